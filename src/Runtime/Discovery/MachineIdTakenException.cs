namespace XStateNet.Actors.Discovery;

/// <summary>
/// A machine was spawned with an id that another live process on the host already runs, as the host directory
/// shows. Ids are unique on a host unless listed in <c>xstatenet.directory.movable-ids</c>.
/// </summary>
public sealed class MachineIdTakenException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="machineId"/>, held by <paramref name="owner"/>.</summary>
    public MachineIdTakenException(string machineId, string owner, int ownerPid)
        : base($"The machine id '{machineId}' is already run by {owner} on this host (host directory). Stop that machine first, " +
               $"use another id, or list '{machineId}' in {DirectorySettings.Section}.movable-ids to let it move here (the newest claim then wins).")
    {
        MachineId = machineId;
        Owner = owner;
        OwnerPid = ownerPid;
    }

    /// <summary>The id that is taken.</summary>
    public string MachineId { get; }

    /// <summary>The node that runs it: its address and pid.</summary>
    public string Owner { get; }

    /// <summary>The process id of that node.</summary>
    public int OwnerPid { get; }
}
