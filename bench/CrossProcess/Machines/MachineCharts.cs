namespace XStateNet.Actors.Bench.CrossProcess.Machines;

/// <summary>The two statecharts of the machine rows: every event is one transition in each of them.</summary>
internal static class MachineCharts
{
    /// <summary>The server's machine: each PING is a transition whose action sends a PONG back to its sender.</summary>
    public const string Echo = """
        { "initial": "serving", "states": {
            "serving": { "on": { "PING": { "target": "serving", "actions": "reply" } } } } }
        """;

    /// <summary>A client machine: START sends a window of PINGs; each PONG is a transition that sends the next one.</summary>
    public const string Client = """
        { "initial": "running", "states": {
            "running": { "on": {
              "START": { "actions": "burst" },
              "PONG":  { "target": "running", "actions": "next" } } } } }
        """;

    public const string EchoId = "echo";
}
