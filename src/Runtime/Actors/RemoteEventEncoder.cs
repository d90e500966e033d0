using System.Text;
using Akka.Actor;
using Akka.Remote;
using XStateNet.Actors.Serialization;
using XStateNet.Actors.Transport;

namespace XStateNet.Actors;

/// <summary>
/// Serializes a machine's event for a target in another process once, in the sending machine, so that an event too
/// large for the way there becomes <c>error.communication</c> in that machine instead of a line in Akka's log.
/// </summary>
/// <remarks>
/// Akka.Remote checks the encoded size only in its endpoint writer, far from the sender, and drops what is too big;
/// a peer whose limit is smaller than ours refuses the frame. <see cref="PayloadLimits"/> knows both (the transports
/// report them); this class asks it before sending. The bytes go out in an <see cref="EncodedMachineEvent"/>, whose
/// serializer only hands them on, so a remote event is still serialized exactly once. Local sends never come here.
/// </remarks>
internal sealed class RemoteEventEncoder
{
    /// <summary>
    /// What Akka adds around a message's bytes besides the two actor paths (serializer id, sequence numbers, the
    /// protocol's framing): generously rounded up, so an event the check lets through is never dropped by Akka.
    /// </summary>
    internal const int EnvelopeBytes = 128;

    private readonly ExtendedActorSystem _system;
    private readonly PayloadLimits _limits;
    // Per target, worked out once (a machine talks to few targets): the envelope's size (its path and ours), and
    // the payload limit, asked again only once the limits changed (a peer's handshake reports its own).
    private readonly Dictionary<IActorRef, TargetLimit> _targets = new();

    /// <exception cref="Akka.Configuration.ConfigurationException">Machine events are not bound to the runtime's serializers.</exception>
    public RemoteEventEncoder(ActorSystem system)
    {
        MachineEventBinding.Check(system);
        _system = (ExtendedActorSystem)system;
        _limits = PayloadLimits.For(system);
    }

    /// <summary>
    /// The message to tell <paramref name="target"/>: the event itself when the target is local; otherwise its
    /// encoding, or null with <paramref name="refusal"/> saying why it cannot go (too large, not serializable).
    /// </summary>
    /// <remarks>Called on the machine's thread only (not thread-safe); <paramref name="sender"/> is always the machine.</remarks>
    public object? Encode(MachineEvent message, IActorRef target, IActorRef sender, out string? refusal)
    {
        refusal = null;
        if (target is not RemoteActorRef remote) return message;

        byte[] bytes;
        string manifest;
        try
        {
            var serializer = _system.Serialization.FindSerializerFor(message);
            // As Akka's endpoint writer does: actor refs in the payload are written with this node's address.
            bytes = Akka.Serialization.Serialization.WithTransport(_system, (serializer, message),
                static state => state.serializer.ToBinary(state.message));
            manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        }
        catch (Exception e)
        {
            refusal = $"the event could not be serialized: {e.Message}";
            return null;
        }

        if (LimitFor(remote, sender) is ({ } limit, var envelope))
        {
            var size = bytes.LongLength + envelope;
            if (size > limit)
            {
                refusal = $"the event is {bytes.LongLength} bytes encoded ({size} with its envelope), over the payload limit " +
                          $"of {limit} bytes to {remote.Path.Address} (the smaller of this node's transport limit and the peer's)";
                return null;
            }
        }
        return new EncodedMachineEvent(bytes, manifest);
    }

    private (long? Limit, long Envelope) LimitFor(RemoteActorRef remote, IActorRef sender)
    {
        var version = _limits.Version; // read before the limit: a report in between is seen on the next event
        if (_targets.TryGetValue(remote, out var known) && known.Version == version) return (known.Limit, known.Envelope);
        if (_targets.Count > 1024) _targets.Clear(); // targets come and go (restarts): never grow without bound
        var envelope = known.Envelope > 0 ? known.Envelope : PathBytes(remote) + PathBytes(sender) + EnvelopeBytes;
        var limit = _limits.LimitFor(remote.Path.Address);
        _targets[remote] = new TargetLimit(limit, envelope, version);
        return (limit, envelope);
    }

    private readonly record struct TargetLimit(long? Limit, long Envelope, int Version);

    private static int PathBytes(IActorRef actor) => Encoding.UTF8.GetByteCount(actor.Path.ToStringWithAddress()) + 16;
}
