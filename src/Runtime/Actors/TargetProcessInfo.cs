namespace XStateNet.Actors;

/// <summary>Where a machine id resolves to, as <see cref="OrchestratedContext.GetTargetProcessInfo"/> reports it.</summary>
/// <param name="MachineId">The machine id asked about.</param>
/// <param name="Path">The actor path sends go to, e.g. <c>akka.pipe://Pipeline@localhost:20002/user/processor</c>.</param>
/// <param name="Address">The actor system address part of the path.</param>
/// <param name="IsLocal">True when the machine lives in this actor system.</param>
/// <param name="IsRouted">True when the path came from the <c>xstatenet.machines</c> HOCON section, false when it is the local default <c>/user/&lt;id&gt;</c>.</param>
public sealed record TargetProcessInfo(string MachineId, string Path, string Address, bool IsLocal, bool IsRouted);
