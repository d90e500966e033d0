namespace XStateNet.Actors.Discovery;

/// <summary>One node's entry in the host directory: who it is and which machines it runs.</summary>
/// <param name="Pid">The writer's process id.</param>
/// <param name="ProcessStart">When that process started (<see cref="ProcessStart"/>), to tell a reused pid.</param>
/// <param name="Addresses">The node's addresses, one per transport (<c>akka.pipe://System@localhost:21001</c>).</param>
/// <param name="Machines">The machines it runs.</param>
internal sealed record NodeRecord(int Pid, long ProcessStart, IReadOnlyList<string> Addresses, IReadOnlyList<MachineRecord> Machines)
{
    /// <summary>How errors name the node: its first address and pid.</summary>
    public string Describe() => $"{(Addresses.Count > 0 ? Addresses[0] : "a node")} (pid {Pid})";
}

/// <summary>A machine a node runs.</summary>
/// <param name="Id">The machine id.</param>
/// <param name="Path">Its actor's path without the address, e.g. <c>/user/door</c>.</param>
/// <param name="Since">When the node claimed it (Unix milliseconds): of two live claims of a movable id, the later wins.</param>
internal sealed record MachineRecord(string Id, string Path, long Since);
