using Akka.Actor;
using Akka.Cluster.Sharding;

namespace XStateNet.Actors.Sharding;

/// <summary>
/// Asks a sharded machine for its snapshot through its region, again every <c>every</c> until the first answer (to
/// any of the asks) or until <c>limit</c> has passed; then completes <c>answer</c> and stops. Asking again is safe:
/// <see cref="GetMachineSnapshot"/> changes nothing. It covers what sharding drops while a shard moves.
/// </summary>
internal sealed class SnapshotAsker : ReceiveActor, IWithTimers
{
    private readonly TaskCompletionSource<object> _answer;
    private int _asked;

    public SnapshotAsker(IActorRef region, string machineId, TimeSpan every, TimeSpan limit, TaskCompletionSource<object> answer)
    {
        _answer = answer;
        var started = DateTime.UtcNow;
        Receive<Retry>(_ =>
        {
            if (DateTime.UtcNow - started >= limit)
            {
                _answer.TrySetException(new AskTimeoutException(
                    $"machine '{machineId}' did not answer {nameof(GetMachineSnapshot)} within {limit.TotalSeconds:0.###} s, asked {_asked} time(s) " +
                    $"through {region.Path} (its shard may be moving, its node down and not yet downed, or its store failing)"));
                Context.Stop(Self);
                return;
            }
            _asked++;
            region.Tell(new ShardingEnvelope(machineId, GetMachineSnapshot.Instance), Self);
            Timers.StartSingleTimer(Retry.Instance, Retry.Instance, Min(every, limit - (DateTime.UtcNow - started)));
        });
        ReceiveAny(message =>
        {
            _answer.TrySetResult(message);
            Context.Stop(Self);
        });
        Self.Tell(Retry.Instance);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PostStop() =>
        _answer.TrySetException(new AskTimeoutException($"the snapshot ask stopped before an answer (its actor system is shutting down)"));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? (a > TimeSpan.Zero ? a : TimeSpan.Zero) : (b > TimeSpan.Zero ? b : TimeSpan.Zero);

    private sealed class Retry
    {
        public static readonly Retry Instance = new();
    }
}
