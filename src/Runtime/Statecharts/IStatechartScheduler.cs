using System.Diagnostics;

namespace XStateNet.Actors.Statecharts;

/// <summary>
/// Where an interpreter asks for time: delayed (<c>after</c>) transitions schedule a callback when their state
/// is entered and dispose it when the state is left. Swap in <see cref="VirtualClock"/> for tests, or a
/// scheduler that posts to an actor's mailbox so callbacks run on the actor's thread.
/// </summary>
public interface IStatechartScheduler
{
    /// <summary>Calls <paramref name="callback"/> once after <paramref name="delay"/>; disposing the result cancels it.</summary>
    IDisposable Schedule(TimeSpan delay, Action callback);

    /// <summary>
    /// This scheduler's monotonic time (any origin). The interpreter reads it when it starts a timer and when it
    /// takes a snapshot, to tell how long a delayed event still has to wait. The default is the system's
    /// monotonic clock, right for any scheduler on real time.
    /// </summary>
    TimeSpan Now => Stopwatch.GetElapsedTime(0);
}
