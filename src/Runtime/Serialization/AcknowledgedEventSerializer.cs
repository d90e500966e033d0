using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// Akka serializer of <see cref="AcknowledgedEvent"/>: the channel (length-prefixed UTF-8), the sequence number (8
/// bytes), then the machine event's bytes as <see cref="MachineEventSerializer"/> writes them, so the event keeps its
/// own layout and every read check of that serializer. Manifest "A1". Bound by the runtime's reference.conf.
/// </summary>
internal sealed class AcknowledgedEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The serializer id (next to the machine events' 2751).</summary>
    public const int SerializerIdentifier = 2752;

    private const string ManifestV1 = "A1";
    private const int MaxChannelBytes = 4096;

    private MachineEventSerializer? _events;

    /// <inheritdoc />
    public override int Identifier => SerializerIdentifier;

    /// <inheritdoc />
    public override string Manifest(object o) => o is AcknowledgedEvent
        ? ManifestV1
        : throw new SerializationException($"{nameof(AcknowledgedEventSerializer)} writes only {nameof(AcknowledgedEvent)}, not {o?.GetType().FullName ?? "null"}");

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        if (obj is not AcknowledgedEvent acknowledged)
            throw new SerializationException($"{nameof(AcknowledgedEventSerializer)} writes only {nameof(AcknowledgedEvent)}, not {obj?.GetType().FullName ?? "null"}");
        var channel = Encoding.UTF8.GetBytes(acknowledged.Channel);
        if (channel.Length > MaxChannelBytes) throw new SerializationException($"An acknowledged event's channel is {channel.Length} bytes long (at most {MaxChannelBytes})");
        var inner = Events().ToBinary(acknowledged.Event);
        var bytes = new byte[2 + channel.Length + 8 + inner.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)channel.Length);
        channel.CopyTo(bytes, 2);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(2 + channel.Length), acknowledged.Sequence);
        inner.CopyTo(bytes, 2 + channel.Length + 8);
        return bytes;
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (manifest != ManifestV1)
            throw new SerializationException($"An acknowledged event came with manifest '{manifest}', which this node cannot read (it reads '{ManifestV1}'): the peer runs another version of XStateNet.Actors.");
        if (bytes.Length < 2) throw new SerializationException("An acknowledged event is shorter than its header");
        int channelLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        if (channelLength > MaxChannelBytes || bytes.Length < 2 + channelLength + 8)
            throw new SerializationException($"An acknowledged event declares a channel of {channelLength} bytes, more than it holds or than {MaxChannelBytes}");
        string channel;
        try
        {
            channel = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 2, channelLength);
        }
        catch (DecoderFallbackException e)
        {
            throw new SerializationException("An acknowledged event's channel is not valid UTF-8", e);
        }
        var sequence = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(2 + channelLength));
        if (sequence < 1) throw new SerializationException($"An acknowledged event carries sequence number {sequence} (they start at 1)");
        var inner = bytes.AsSpan(2 + channelLength + 8).ToArray();
        var machineEvent = (MachineEvent)Events().FromBinary(inner, MachineEventSerializer.ManifestV1);
        return new AcknowledgedEvent(channel, sequence, machineEvent);
    }

    private MachineEventSerializer Events() => _events ??= system.Serialization.FindSerializerForType(typeof(MachineEvent)) as MachineEventSerializer
        ?? throw new SerializationException($"{nameof(AcknowledgedEvent)}: machine events are bound to another serializer than {nameof(MachineEventSerializer)}");
}
