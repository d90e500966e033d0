namespace XStateNet.Actors.Serialization;

/// <summary>
/// One growable write buffer per thread, reused for every message that thread serializes: a message is written
/// once into it and copied once into the exact-size array Akka's serializer API returns, instead of growing a new
/// stream for every message (each growth a fresh zeroed array and a copy).
/// </summary>
internal static class PooledWriteBuffer
{
    // A buffer that grew for a rare huge message is not kept, so a thread never holds more than this for long.
    private const int KeptCapacity = 256 * 1024;

    [ThreadStatic] private static MemoryStream? _buffer;

    /// <summary>The thread's empty buffer; give it back with <see cref="Return"/> once its bytes are copied.</summary>
    /// <remarks>A rent while the buffer is out (a serializer called from inside another) gets a fresh buffer.</remarks>
    public static MemoryStream Rent()
    {
        var buffer = _buffer ?? new MemoryStream(4096);
        _buffer = null;
        buffer.SetLength(0);
        return buffer;
    }

    public static void Return(MemoryStream buffer)
    {
        if (buffer.Capacity <= KeptCapacity) _buffer = buffer;
    }
}
