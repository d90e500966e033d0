namespace XStateNet.Actors.TestKit;

/// <summary>
/// A route a role declares on its node (<see cref="RoleDefinition.Route"/>): the id <paramref name="Id"/> reaches the
/// machine <paramref name="MachineId"/> of <paramref name="Role"/>'s node.
/// </summary>
/// <param name="Id">The id the node's machines send to.</param>
/// <param name="Role">The role whose node hosts the target.</param>
/// <param name="MachineId">The target machine's id on that node.</param>
public sealed record RoleRoute(string Id, string Role, string MachineId);
