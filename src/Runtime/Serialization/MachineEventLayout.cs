using System.Runtime.Serialization;
using System.Text;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// The bytes of a machine event (manifest <see cref="MachineEventSerializer.ManifestV1"/>):
/// <code>
/// flags (1 byte: bit 0 = has a sender id; bits 4-7 = payload kind)
/// name            (length as a 7-bit varint, then UTF-8)
/// sender id       (the same, when bit 0 is set)
/// payload         none | byte[]: length + bytes | string: length + UTF-8 | Hyperion: to the end
/// </code>
/// Byte arrays and strings, the common bulk payloads, are copied as they are: never walked, never boxed.
/// </summary>
internal static class MachineEventLayout
{
    private const byte HasSource = 0x01;
    private const int KindShift = 4;

    private enum PayloadKind : byte
    {
        None = 0,
        Bytes = 1,
        Text = 2,
        Hyperion = 3,
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
            _ => PayloadKind.Hyperion,
        };
        buffer.WriteByte((byte)(((byte)kind << KindShift) | (machineEvent.SourceMachineId is null ? 0 : HasSource)));
        WriteText(buffer, machineEvent.Name);
        if (machineEvent.SourceMachineId is { } source) WriteText(buffer, source);
        switch (data)
        {
            case byte[] bytes:
                WriteLength(buffer, bytes.Length);
                buffer.Write(bytes);
                break;
            case string text:
                WriteText(buffer, text);
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
        if ((flags & ~(HasSource | 0xF0)) != 0 || kind > PayloadKind.Hyperion)
            throw Corrupt(bytes, $"its flags byte 0x{flags:X2} is not one this layout writes");
        var name = ReadText(bytes, ref position, "name");
        if (name.Length == 0) throw Corrupt(bytes, "its event name is empty");
        var source = (flags & HasSource) != 0 ? ReadText(bytes, ref position, "sender id") : null;
        object? data = null;
        switch (kind)
        {
            case PayloadKind.Bytes:
                var length = ReadLength(bytes, ref position, "byte[] payload");
                data = bytes.AsSpan(position, length).ToArray();
                position += length;
                break;
            case PayloadKind.Text:
                data = ReadText(bytes, ref position, "string payload");
                break;
            case PayloadKind.Hyperion:
                data = payloads.Read(bytes, position);
                position = bytes.Length;
                break;
        }
        if (position != bytes.Length) throw Corrupt(bytes, $"{bytes.Length - position} bytes follow its end");
        return new MachineEvent(name, data) { SourceMachineId = source };
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
