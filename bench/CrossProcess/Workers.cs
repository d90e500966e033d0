using System.Diagnostics;
using Akka.Actor;

namespace XStateNet.Actors.Bench.CrossProcess;

/// <summary>Counts round trips of many workers; read at the start and end of the measured window.</summary>
internal sealed class RoundTripCounter
{
    private long _count;
    private volatile bool _stopped;

    public long Count => Interlocked.Read(ref _count);

    public bool Stopped => _stopped;

    public void Add() => Interlocked.Increment(ref _count);

    public void Stop() => _stopped = true;
}

/// <summary>Keeps <c>window</c> messages in flight to the echo: every reply sends the next one.</summary>
internal sealed class ThroughputWorker : UntypedActor
{
    private readonly IActorRef _echo;
    private readonly int _window;
    private readonly RoundTripCounter _counter;
    private readonly object? _payload;

    /// <param name="payload">What each message is (echoed back as it is); null: the numbers 0 to window - 1.</param>
    public ThroughputWorker(IActorRef echo, int window, RoundTripCounter counter, object? payload = null)
    {
        _echo = echo;
        _window = window;
        _counter = counter;
        _payload = payload;
    }

    public static readonly object Start = new();

    protected override void OnReceive(object message)
    {
        if (ReferenceEquals(message, Start))
        {
            for (var i = 0; i < _window; i++) _echo.Tell(_payload ?? i, Self);
            return;
        }

        _counter.Add();
        if (!_counter.Stopped) _echo.Tell(message, Self);
    }
}

/// <summary>One message in flight: records each round trip's time, and completes after <c>count</c> of them.</summary>
internal sealed class LatencyWorker : UntypedActor
{
    private readonly IActorRef _echo;
    private readonly long[] _ticks;
    private readonly TaskCompletionSource<long[]> _done;
    private int _next;
    private long _sentAt;

    public LatencyWorker(IActorRef echo, int count, TaskCompletionSource<long[]> done)
    {
        _echo = echo;
        _ticks = new long[count];
        _done = done;
    }

    public static readonly object Start = new();

    protected override void OnReceive(object message)
    {
        if (!ReferenceEquals(message, Start))
        {
            _ticks[_next++] = Stopwatch.GetTimestamp() - _sentAt;
            if (_next == _ticks.Length)
            {
                _done.TrySetResult(_ticks);
                return;
            }
        }

        _sentAt = Stopwatch.GetTimestamp();
        _echo.Tell(_next, Self);
    }
}
