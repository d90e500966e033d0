using Akka.Actor;

namespace XStateNet.Actors;

/// <summary>
/// Where each machine id last sent this machine an event from: the sender's <see cref="IActorRef"/> of the inbound
/// message. It lets a machine answer <c>ctx.SourceMachineId</c> in a process it has no route to (tcp included).
/// </summary>
/// <remarks>
/// Bounded, oldest-learned first out: a machine answers the few peers it talks to, while a flood of ids (a broadcast
/// from thousands of senders, or a hostile peer inventing ids) must not grow it without end. An evicted id is not
/// lost: it is found again through its route or the host directory, or learned again with its next event. Order is
/// by first learning, not by use, so that the per-message cost stays one dictionary lookup (no list reordering on
/// every event). The owner watches each learned ref, so a sender that dies is forgotten.
/// </remarks>
internal sealed class LearnedSenders(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<Learned>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<Learned> _oldestFirst = new();

    /// <summary>How many ids it remembers at most.</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must be positive");

    public int Count => _byId.Count;

    /// <summary>
    /// Remembers that <paramref name="machineId"/> sent from <paramref name="sender"/>. Returns the ref that now needs
    /// watching (null when nothing changed) and the one no longer remembered (replaced or evicted), or null.
    /// </summary>
    public (IActorRef? Watch, IActorRef? Forgotten) Learn(string machineId, IActorRef sender)
    {
        if (_byId.TryGetValue(machineId, out var known))
        {
            if (ReferenceEquals(known.Value.Sender, sender) || known.Value.Sender.Equals(sender)) return (null, null);
            var replaced = known.Value.Sender;
            known.Value = new Learned(machineId, sender);
            return (sender, replaced);
        }
        IActorRef? evicted = null;
        if (_byId.Count >= Capacity)
        {
            var oldest = _oldestFirst.First!;
            _oldestFirst.RemoveFirst();
            _byId.Remove(oldest.Value.MachineId);
            evicted = oldest.Value.Sender;
        }
        _byId.Add(machineId, _oldestFirst.AddLast(new Learned(machineId, sender)));
        return (sender, evicted);
    }

    /// <summary>The ref <paramref name="machineId"/> last sent from, if remembered.</summary>
    public bool TryGet(string machineId, out IActorRef sender)
    {
        if (_byId.TryGetValue(machineId, out var known))
        {
            sender = known.Value.Sender;
            return true;
        }
        sender = ActorRefs.Nobody;
        return false;
    }

    /// <summary>Whether some id is still remembered at <paramref name="sender"/> (then it must stay watched).</summary>
    public bool Remembers(IActorRef sender)
    {
        foreach (var learned in _oldestFirst)
        {
            if (learned.Sender.Equals(sender)) return true;
        }
        return false;
    }

    /// <summary>Forgets every id learned at <paramref name="sender"/> (it terminated); true when there was one.</summary>
    public bool Forget(IActorRef sender)
    {
        var forgot = false;
        for (var node = _oldestFirst.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.Sender.Equals(sender))
            {
                _byId.Remove(node.Value.MachineId);
                _oldestFirst.Remove(node);
                forgot = true;
            }
            node = next;
        }
        return forgot;
    }

    private readonly record struct Learned(string MachineId, IActorRef Sender);
}
