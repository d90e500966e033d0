using System.Buffers.Binary;
using XStateNet.Actors.Transport.SharedMemory.Ring;

namespace XStateNet.Actors.Bench.SharedMemory;

/// <summary>The child process: drains ring 0, counts and checksums, echoes and reports on ring 1.</summary>
internal sealed class RingPeer : IRingRecordHandler
{
    private readonly RingWriter _writer;
    private readonly byte[] _reply = new byte[Protocol.MessageSize];
    private long _count;
    private long _checksum;
    private volatile bool _quit;

    private RingPeer(RingWriter writer) => _writer = writer;

    public static int Run(int parentPid, int segmentDescriptor)
    {
        using var segment = SharedSegment.Open(parentPid, segmentDescriptor, "bench");
        segment.Accept(Environment.ProcessId, MonotonicClock.NowMs);
        var peer = new RingPeer(segment.CreateWriter());
        var reader = segment.CreateReader();
        var idler = new RingIdler(ShmIdleStrategy.Futex, 2000, 50, 1000);
        // The parent holds our standard input: when it goes away (even killed), so do we.
        var orphanWatch = new Thread(() =>
        {
            Console.In.ReadToEnd();
            peer._quit = true;
            reader.Wake();
        }) { IsBackground = true };
        orphanWatch.Start();
        while (!peer._quit)
        {
            if (reader.Drain(peer, 256) == 0) idler.Idle(reader, () => peer._quit);
        }

        return 0;
    }

    public void OnRecord(ReadOnlySpan<byte> payload)
    {
        switch (payload[0])
        {
            case Protocol.Count:
                _count++;
                _checksum += BinaryPrimitives.ReadInt64LittleEndian(payload[8..]);
                break;
            case Protocol.Echo:
                Send(payload);
                break;
            case Protocol.Report:
                _reply[0] = Protocol.Report;
                BinaryPrimitives.WriteInt64LittleEndian(_reply.AsSpan(8), _count);
                BinaryPrimitives.WriteInt64LittleEndian(_reply.AsSpan(16), _checksum);
                Send(_reply);
                break;
            default:
                _quit = true;
                break;
        }
    }

    private void Send(ReadOnlySpan<byte> payload)
    {
        while (!_writer.TryWrite(payload)) Thread.SpinWait(1);
    }
}
