namespace XStateNet.Actors.Bench.CrossProcess.Machines;

/// <summary>A public record carrying a file's bytes: the payload shape users are told to prefer.</summary>
public sealed record BlobPayload(byte[] Data);

/// <summary>
/// The same record, registered in both processes as a Hyperion known type (<see cref="BenchKnownTypes"/>), so it
/// crosses as a number instead of its assembly-qualified name: the row beside <see cref="BlobPayload"/>'s shows what
/// <c>known-types-provider</c> saves per event.
/// </summary>
public sealed record KnownBlobPayload(byte[] Data);

/// <summary>The types every node of the machine rows registers (<c>serialization-settings.hyperion.known-types-provider</c>).</summary>
public sealed class BenchKnownTypes : Akka.Serialization.IKnownTypesProvider
{
    /// <inheritdoc />
    public IEnumerable<Type> GetKnownTypes() => [typeof(KnownBlobPayload)];
}

/// <summary>What each machine event of a row carries.</summary>
internal enum PayloadKind
{
    /// <summary>No payload: the event name alone.</summary>
    None,

    /// <summary>A <see cref="BlobPayload"/> with 1 KiB of bytes.</summary>
    Record,

    /// <summary>A <see cref="KnownBlobPayload"/> with 1 KiB of bytes: a record of a Hyperion known type.</summary>
    KnownRecord,

    /// <summary>An anonymous type with the same 1 KiB of bytes (<c>new { Data = bytes }</c>).</summary>
    Anonymous,
}

internal static class EventPayloads
{
    public const int Bytes = 1024;

    public static readonly PayloadKind[] All = [PayloadKind.None, PayloadKind.Record, PayloadKind.KnownRecord, PayloadKind.Anonymous];

    // One buffer for every event: the benchmark measures carrying bytes, not producing them.
    private static readonly byte[] Data = Enumerable.Range(0, Bytes).Select(i => (byte)i).ToArray();

    /// <summary>The raw Akka message of the same size (Akka's own byte-array serializer).</summary>
    public static byte[] RawBytes => Data;

    /// <summary>A fresh payload of that kind (a new object per event, as a real sender makes).</summary>
    public static object? Make(PayloadKind kind) => kind switch
    {
        PayloadKind.None => null,
        PayloadKind.Record => new BlobPayload(Data),
        PayloadKind.KnownRecord => new KnownBlobPayload(Data),
        _ => new { Data },
    };

    /// <summary>The label of a row.</summary>
    public static string Label(PayloadKind kind) => kind switch
    {
        PayloadKind.None => "no payload",
        PayloadKind.Record => "record, 1 KiB byte[]",
        PayloadKind.KnownRecord => "record of a known type, 1 KiB",
        _ => "anonymous, 1 KiB byte[]",
    };

    /// <summary>The ids of the client machines of one row (the server routes its replies to them).</summary>
    public static string ClientId(PayloadKind kind, int worker) => $"{kind.ToString().ToLowerInvariant()}-{worker}";
}
