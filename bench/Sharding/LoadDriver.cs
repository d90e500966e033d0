using Akka.Actor;

namespace XStateNet.Actors.Bench.Sharding;

/// <summary>
/// Sends <c>events</c> INC events round-robin over <c>machines</c> targets, at most <c>window</c> unacknowledged at once,
/// and completes when every one is acknowledged: events/s end to end, acknowledgement included.
/// </summary>
internal sealed class LoadDriver : ReceiveActor
{
    private readonly Action<int, MachineEvent, IActorRef> _send;
    private readonly int _machines;
    private readonly long _events;
    private readonly TaskCompletionSource _done;
    private long _sent;
    private long _acked;

    public LoadDriver(Action<int, MachineEvent, IActorRef> send, int machines, long events, int window, TaskCompletionSource done)
    {
        _send = send;
        _machines = machines;
        _events = events;
        _done = done;
        Receive<MachineEvent>(_ =>
        {
            Interlocked.Increment(ref Acked);
            if (++_acked == _events) _done.TrySetResult();
            else SendNext();
        });
        for (var i = 0; i < window && _sent < _events; i++) SendNext();
    }

    private static readonly MachineEvent Inc = new("INC");

    /// <summary>Acknowledgements so far, read by <see cref="LoadRun"/> to notice a run that stopped making progress.</summary>
    public static long Acked;

    private void SendNext()
    {
        if (_sent >= _events) return;
        _send((int)(_sent % _machines), Inc, Self);
        _sent++;
    }
}

/// <summary>Runs a <see cref="LoadDriver"/> and reports events/s.</summary>
internal static class LoadRun
{
    public static async Task<double> RunAsync(ActorSystem system, Action<int, MachineEvent, IActorRef> send, int machines, long events, int window = 2000)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var driver = system.ActorOf(Props.Create(() => new LoadDriver(send, machines, events, window, done)));
        // Every event is acknowledged or the run fails: an event whose machine could not store it is never
        // acknowledged (the machine stops), and the driver does not resend, so a stalled run is reported, not waited out.
        var last = Interlocked.Read(ref LoadDriver.Acked);
        var stalledSince = DateTime.UtcNow;
        while (!done.Task.IsCompleted)
        {
            await Task.WhenAny(done.Task, Task.Delay(1000));
            var now = Interlocked.Read(ref LoadDriver.Acked);
            if (now != last) (last, stalledSince) = (now, DateTime.UtcNow);
            else if (DateTime.UtcNow - stalledSince > TimeSpan.FromSeconds(60))
                throw new TimeoutException("no acknowledgement for 60 s: events were lost (see the log for persistence failures)");
        }
        clock.Stop();
        system.Stop(driver);
        return events / clock.Elapsed.TotalSeconds;
    }
}
