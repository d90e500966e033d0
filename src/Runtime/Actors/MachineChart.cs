namespace XStateNet.Actors;

/// <summary>A machine's chart, as answered to <see cref="GetMachineChart"/>.</summary>
/// <param name="MachineId">The machine's id.</param>
/// <param name="Json">The XState JSON its chart was parsed from (<see cref="Statecharts.Statechart.Parse"/>).</param>
public sealed record MachineChart(string MachineId, string Json);
