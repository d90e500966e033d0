namespace XStateNet.Actors.Bench.SharedMemory;

/// <summary>The first byte of each benchmark record says what the child does with it.</summary>
internal static class Protocol
{
    public const int MessageSize = 64;
    public const byte Count = 0;   // add to the count and checksum
    public const byte Echo = 1;    // send straight back
    public const byte Report = 2;  // answer with the count and checksum so far
    public const byte Quit = 3;
}
