using Akka.Actor;
using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors;

/// <summary>
/// Gives the engine's delayed transitions the actor's timers: a due timer becomes a message to the machine, so
/// its transition runs on the actor's thread, in mailbox order (and waits behind an async action). The actor's
/// timers are cancelled with it, so a stopped machine leaves nothing scheduled.
/// </summary>
internal sealed class ActorTimerScheduler(IWithTimers owner) : IStatechartScheduler
{
    public IDisposable Schedule(TimeSpan delay, Action callback)
    {
        var cancellation = new Cancellation(owner);
        owner.Timers.StartSingleTimer(cancellation, new TimerDue(callback), delay);
        return cancellation;
    }

    /// <summary>Also the timer's key: one key per scheduled callback.</summary>
    private sealed class Cancellation(IWithTimers owner) : IDisposable
    {
        public void Dispose() => owner.Timers.Cancel(this);
    }
}

/// <summary>A delayed transition's timer fell due; the machine runs the callback.</summary>
internal sealed record TimerDue(Action Callback);

/// <summary>A delayed send's time has come; the machine delivers it.</summary>
internal sealed record DelayedSendDue(string TargetMachineId, MachineEvent Event);
