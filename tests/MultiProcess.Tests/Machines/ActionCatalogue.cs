namespace XStateNet.Actors.MultiProcess.Tests.Machines;

/// <summary>
/// Every action a hosted machine's script may name. Each machine gets its own instances (behaviours keep
/// per-machine state, such as the sequence numbers seen from each sender), so two machines in one node never
/// share counters.
/// </summary>
/// <remarks>
/// The charts in <c>Machines/Charts/</c> name these actions; the specs' roles host machines with those charts
/// (<see cref="ReportingRoles.Host"/>) and talk to them by id. Results go to the machine id <c>report</c>, which the spec routes to an actor in
/// the test process, or are read from the machine's context with <see cref="GetMachineSnapshot"/>.
/// </remarks>
internal static class ActionCatalogue
{
    public static IReadOnlyDictionary<string, Action<OrchestratedContext>> For(string machineId)
    {
        var actions = new Dictionary<string, Action<OrchestratedContext>>(StringComparer.Ordinal);
        Add(actions, new Pinger().Actions);
        Add(actions, Ponger.Actions);
        Add(actions, new ChainLink().Actions);
        Add(actions, new Broadcaster().Actions);
        Add(actions, new Sink().Actions);
        Add(actions, AskResponder.Actions);
        Add(actions, Replier.Actions);
        Add(actions, Reporting.Actions);
        return actions;
    }

    private static void Add(Dictionary<string, Action<OrchestratedContext>> all, IEnumerable<KeyValuePair<string, Action<OrchestratedContext>>> some)
    {
        foreach (var (name, action) in some)
        {
            if (!all.TryAdd(name, action)) throw new InvalidOperationException($"two behaviours define the action '{name}'");
        }
    }
}
