using System.Buffers.Binary;
using System.Diagnostics;
using XStateNet.Actors.Transport.SharedMemory.Ring;

namespace XStateNet.Actors.Bench.SharedMemory;

/// <summary>The parent process: owns the segment and the child, drives both measurements.</summary>
internal sealed class RingBench : IDisposable, IRingRecordHandler
{
    private const long RingSize = 4 << 20;
    private readonly SharedSegment _segment;
    private readonly RingWriter _writer;
    private readonly RingReader _reader;
    private readonly Process _child;
    private readonly int _messages;
    private readonly int _roundTrips;
    private readonly byte[] _message = new byte[Protocol.MessageSize];
    private long _reportCount;
    private long _reportChecksum;
    private int _replies;

    private RingBench(SharedSegment segment, Process child, int messages, int roundTrips)
    {
        _segment = segment;
        _child = child;
        _messages = messages;
        _roundTrips = roundTrips;
        _writer = segment.CreateWriter();
        _reader = segment.CreateReader();
    }

    public static RingBench Start(int messages, int roundTrips)
    {
        var segment = SharedSegment.Create($"xstatenet-shm-bench-{Environment.ProcessId}", RingSize);
        try
        {
            return new RingBench(segment, Launch.Child(segment.Descriptor), messages, roundTrips);
        }
        catch
        {
            segment.Dispose();
            throw;
        }
    }

    public void Run()
    {
        while (_segment.PeerPid == 0) Thread.Sleep(1);
        Console.WriteLine($"shared-memory ring, {Protocol.MessageSize}-byte messages, parent pid {Environment.ProcessId} -> child pid {_child.Id}, ring {RingSize >> 20} MiB");
        Throughput(_messages / 10, print: false); // warm-up: JIT, page faults of the ring
        Throughput(_messages, print: true);
        RoundTrips(_roundTrips / 10, print: false);
        RoundTrips(_roundTrips, print: true);
        _message[0] = Protocol.Quit;
        Send(_message);
        _child.WaitForExit(10_000);
    }

    public void OnRecord(ReadOnlySpan<byte> payload)
    {
        _replies++;
        if (payload[0] != Protocol.Report) return;
        _reportCount = BinaryPrimitives.ReadInt64LittleEndian(payload[8..]);
        _reportChecksum = BinaryPrimitives.ReadInt64LittleEndian(payload[16..]);
    }

    private void Throughput(int count, bool print)
    {
        var expectedCount = _reportCount + count;
        var expectedChecksum = _reportChecksum;
        _message[0] = Protocol.Count;
        var full = 0L;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_message.AsSpan(8), i);
            expectedChecksum += i;
            while (!_writer.TryWrite(_message))
            {
                full++;
                Thread.SpinWait(4);
            }
        }

        _message[0] = Protocol.Report;
        Send(_message);
        AwaitReplies(1);
        var elapsed = clock.Elapsed;
        if (_reportCount != expectedCount || _reportChecksum != expectedChecksum)
            throw new InvalidOperationException($"child counted {_reportCount} (checksum {_reportChecksum}), expected {expectedCount} ({expectedChecksum})");
        if (!print) return;
        var perSecond = count / elapsed.TotalSeconds;
        Console.WriteLine($"one way:    {perSecond / 1e6,6:F2} million messages/s ({count:N0} in {elapsed.TotalMilliseconds:F0} ms, checksum ok, writer found the ring full {full:N0} times) [goal >= 5 million/s: {(perSecond >= 5e6 ? "met" : "NOT met")}]");
    }

    private void RoundTrips(int count, bool print)
    {
        var samples = new long[count];
        _message[0] = Protocol.Echo;
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            Send(_message);
            AwaitReplies(1);
            samples[i] = Stopwatch.GetTimestamp() - start;
        }

        if (!print) return;
        Array.Sort(samples);
        double Micros(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
        Console.WriteLine($"round trip: p50 {Micros(samples[count / 2]):F2} µs, p99 {Micros(samples[count * 99 / 100]):F2} µs, max {Micros(samples[^1]):F1} µs ({count:N0} one-in-flight round trips, both readers spin first)");
    }

    private void AwaitReplies(int count)
    {
        _replies = 0;
        while (_replies < count)
        {
            if (_reader.Drain(this, 16) == 0) Thread.SpinWait(1);
        }
    }

    private void Send(ReadOnlySpan<byte> message)
    {
        while (!_writer.TryWrite(message)) Thread.SpinWait(4);
    }

    public void Dispose()
    {
        if (!_child.HasExited)
        {
            _child.Kill();
            _child.WaitForExit(5000);
        }

        _child.Dispose();
        _segment.Dispose();
    }
}
