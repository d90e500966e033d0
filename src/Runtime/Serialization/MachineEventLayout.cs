using System.Diagnostics;
using System.Runtime.Serialization;
using System.Text;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// The bytes of a machine event (manifest <see cref="MachineEventSerializer.ManifestV1"/>):
/// <code>
/// flags (1 byte: bit 0 = has a sender id; bit 1 = has a trace context; bits 4-7 = payload kind)
/// name            (length as a 7-bit varint, then UTF-8)
/// sender id       (the same, when bit 0 is set)
/// trace context   (when bit 1 is set: W3C trace id 16 bytes, parent span id 8 bytes, trace flags 1 byte)
/// payload         none | byte[]: length + bytes | string: length + UTF-8 | Hyperion: to the end
///                 | members: count, then per member its name and a value kind (null, byte[] or string as above,
///                   or "in the array"), then the members of that last kind as one Hyperion object[] to the end
/// </code>
/// Byte arrays and strings, the common bulk payloads, are copied as they are: never walked, never boxed. An
/// anonymous payload (a dictionary of its members once portable) is written member by member, so its bytes and
/// strings cost what a record's do, and Hyperion writes no dictionary, key or type name for them.
/// </summary>
internal static class MachineEventLayout
{
    private const byte HasSource = 0x01;
    private const byte HasTrace = 0x02;
    private const int TraceBytes = 16 + 8 + 1;
    private const int KindShift = 4;

    private enum PayloadKind : byte
    {
        None = 0,
        Bytes = 1,
        Text = 2,
        Hyperion = 3,
        Members = 4,
    }

    // The kind of one member's value in a members payload.
    private enum MemberKind : byte
    {
        Null = 0,
        Bytes = 1,
        Text = 2,
        InArray = 3,
    }

    // Strict: a peer's invalid UTF-8 is refused, not turned into replacement characters.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void Write(MachineEvent machineEvent, MemoryStream buffer, GuardedHyperion payloads)
    {
        var data = PortablePayload.Convert(machineEvent.Data);
        var kind = data switch
        {
            null => PayloadKind.None,
            byte[] => PayloadKind.Bytes,
            string => PayloadKind.Text,
            Dictionary<string, object?> members when IsPlain(members) => PayloadKind.Members,
            _ => PayloadKind.Hyperion,
        };
        var traced = machineEvent.HasTraceContext;
        buffer.WriteByte((byte)(((byte)kind << KindShift) | (machineEvent.SourceMachineId is null ? 0 : HasSource) | (traced ? HasTrace : 0)));
        WriteText(buffer, machineEvent.Name);
        if (machineEvent.SourceMachineId is { } source) WriteText(buffer, source);
        if (traced) WriteTrace(buffer, machineEvent.TraceContext);
        switch (data)
        {
            case byte[] bytes:
                WriteLength(buffer, bytes.Length);
                buffer.Write(bytes);
                break;
            case string text:
                WriteText(buffer, text);
                break;
            case Dictionary<string, object?> members when kind == PayloadKind.Members:
                WriteMembers(buffer, members, payloads);
                break;
            case not null:
                payloads.Write(data, buffer);
                break;
        }
    }

    public static MachineEvent Read(byte[] bytes, GuardedHyperion payloads)
    {
        var position = 0;
        if (bytes.Length == 0) throw Corrupt(bytes, "it is empty");
        var flags = bytes[position++];
        var kind = (PayloadKind)(flags >> KindShift);
        if ((flags & ~(HasSource | HasTrace | 0xF0)) != 0 || kind > PayloadKind.Members)
            throw Corrupt(bytes, $"its flags byte 0x{flags:X2} is not one this layout writes");
        var name = ReadText(bytes, ref position, "name");
        if (name.Length == 0) throw Corrupt(bytes, "its event name is empty");
        var source = (flags & HasSource) != 0 ? ReadText(bytes, ref position, "sender id") : null;
        var trace = (flags & HasTrace) != 0 ? ReadTrace(bytes, ref position) : default;
        object? data = null;
        switch (kind)
        {
            case PayloadKind.Bytes:
                data = ReadBytes(bytes, ref position, "byte[] payload");
                break;
            case PayloadKind.Text:
                data = ReadText(bytes, ref position, "string payload");
                break;
            case PayloadKind.Hyperion:
                data = payloads.Read(bytes, position);
                position = bytes.Length;
                break;
            case PayloadKind.Members:
                data = ReadMembers(bytes, ref position, payloads);
                break;
        }
        if (position != bytes.Length) throw Corrupt(bytes, $"{bytes.Length - position} bytes follow its end");
        return new MachineEvent(name, data) { SourceMachineId = source, TraceContext = trace };
    }

    private static void WriteTrace(MemoryStream buffer, ActivityContext context)
    {
        Span<byte> bytes = stackalloc byte[TraceBytes];
        context.TraceId.CopyTo(bytes[..16]);
        context.SpanId.CopyTo(bytes.Slice(16, 8));
        bytes[24] = (byte)(context.TraceFlags & ActivityTraceFlags.Recorded); // the only flag W3C's version 00 defines
        buffer.Write(bytes);
    }

    // A peer's trace context is checked as W3C's traceparent is: all-zero ids are invalid, and no flag but "sampled".
    private static ActivityContext ReadTrace(byte[] bytes, ref int position)
    {
        if (bytes.Length - position < TraceBytes) throw Corrupt(bytes, $"its trace context needs {TraceBytes} bytes but only {bytes.Length - position} follow");
        var span = bytes.AsSpan(position, TraceBytes);
        if (!span[..16].ContainsAnyExcept((byte)0)) throw Corrupt(bytes, "its trace id is all zeros");
        if (!span.Slice(16, 8).ContainsAnyExcept((byte)0)) throw Corrupt(bytes, "its parent span id is all zeros");
        if ((span[24] & ~(byte)ActivityTraceFlags.Recorded) != 0) throw Corrupt(bytes, $"its trace flags 0x{span[24]:X2} are not ones this layout writes");
        position += TraceBytes;
        return new ActivityContext(ActivityTraceId.CreateFromBytes(span[..16]), ActivitySpanId.CreateFromBytes(span.Slice(16, 8)),
            (ActivityTraceFlags)span[24], traceState: null, isRemote: true);
    }

    // What the receiver rebuilds: a dictionary of exactly this type with ordinal keys (anonymous payloads made
    // portable are such); any other dictionary keeps its type and comparer through Hyperion.
    private static bool IsPlain(Dictionary<string, object?> members) =>
        members.GetType() == typeof(Dictionary<string, object?>)
        && (ReferenceEquals(members.Comparer, StringComparer.Ordinal) || ReferenceEquals(members.Comparer, EqualityComparer<string>.Default));

    private static void WriteMembers(MemoryStream buffer, Dictionary<string, object?> members, GuardedHyperion payloads)
    {
        WriteLength(buffer, members.Count);
        List<object?>? inArray = null;
        foreach (var (name, value) in members)
        {
            WriteText(buffer, name);
            switch (value)
            {
                case null:
                    buffer.WriteByte((byte)MemberKind.Null);
                    break;
                case byte[] bytes:
                    buffer.WriteByte((byte)MemberKind.Bytes);
                    WriteLength(buffer, bytes.Length);
                    buffer.Write(bytes);
                    break;
                case string text:
                    buffer.WriteByte((byte)MemberKind.Text);
                    WriteText(buffer, text);
                    break;
                default:
                    buffer.WriteByte((byte)MemberKind.InArray);
                    (inArray ??= []).Add(value);
                    break;
            }
        }
        if (inArray is not null) payloads.Write(inArray.ToArray(), buffer);
    }

    private static Dictionary<string, object?> ReadMembers(byte[] bytes, ref int position, GuardedHyperion payloads)
    {
        // Every member takes at least two bytes (an empty name and a kind): a count larger than that is a lie.
        var count = ReadLength(bytes, ref position, "member count");
        if (count > (bytes.Length - position) / 2) throw Corrupt(bytes, $"it declares {count} members in {bytes.Length - position} bytes");
        var members = new Dictionary<string, object?>(count, StringComparer.Ordinal);
        List<string>? inArray = null;
        for (var i = 0; i < count; i++)
        {
            var name = ReadText(bytes, ref position, "member name");
            if (position >= bytes.Length) throw Corrupt(bytes, $"it ends before the value of member '{name}'");
            var kind = (MemberKind)bytes[position++];
            object? value = kind switch
            {
                MemberKind.Null or MemberKind.InArray => null, // the array's values are filled in below
                MemberKind.Bytes => ReadBytes(bytes, ref position, $"member '{name}'"),
                MemberKind.Text => ReadText(bytes, ref position, $"member '{name}'"),
                _ => throw Corrupt(bytes, $"member '{name}' has value kind {(byte)kind}, which this layout never writes"),
            };
            if (kind == MemberKind.InArray) (inArray ??= []).Add(name);
            if (!members.TryAdd(name, value)) throw Corrupt(bytes, $"member '{name}' appears twice");
        }
        if (inArray is null) return members;
        if (payloads.Read(bytes, position) is not object?[] values || values.Length != inArray.Count)
            throw Corrupt(bytes, $"its members' values are not the array of {inArray.Count} values it announces");
        for (var i = 0; i < values.Length; i++) members[inArray[i]] = values[i];
        position = bytes.Length;
        return members;
    }

    private static byte[] ReadBytes(byte[] bytes, ref int position, string what)
    {
        var length = ReadLength(bytes, ref position, what);
        var value = bytes.AsSpan(position, length).ToArray();
        position += length;
        return value;
    }

    private static void WriteText(MemoryStream buffer, string text)
    {
        var count = Encoding.UTF8.GetByteCount(text);
        WriteLength(buffer, count);
        var at = (int)buffer.Length;
        buffer.SetLength(at + count);
        Encoding.UTF8.GetBytes(text, buffer.GetBuffer().AsSpan(at, count));
        buffer.Position = at + count;
    }

    private static void WriteLength(MemoryStream buffer, int length)
    {
        var value = (uint)length;
        while (value >= 0x80)
        {
            buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        buffer.WriteByte((byte)value);
    }

    private static string ReadText(byte[] bytes, ref int position, string what)
    {
        var length = ReadLength(bytes, ref position, what);
        try
        {
            var text = StrictUtf8.GetString(bytes, position, length);
            position += length;
            return text;
        }
        catch (DecoderFallbackException)
        {
            throw Corrupt(bytes, $"its {what} is not valid UTF-8");
        }
    }

    // A length is at most five 7-bit groups, and never more than the bytes left: a peer cannot make us allocate for
    // bytes it did not send.
    private static int ReadLength(byte[] bytes, ref int position, string what)
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (position >= bytes.Length) throw Corrupt(bytes, $"it ends inside the length of its {what}");
            var next = bytes[position++];
            value |= (uint)(next & 0x7F) << shift;
            if ((next & 0x80) != 0) continue;
            if (value > (uint)(bytes.Length - position))
                throw Corrupt(bytes, $"its {what} declares {value} bytes but only {bytes.Length - position} follow");
            return (int)value;
        }
        throw Corrupt(bytes, $"the length of its {what} is longer than five bytes");
    }

    private static SerializationException Corrupt(byte[] bytes, string problem) =>
        new($"Could not read a {bytes.Length}-byte machine event: {problem} (corrupt, truncated, or from an incompatible peer).");
}
