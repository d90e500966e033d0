namespace XStateNet.Actors.Statecharts;

// Calling user code (actions and guards) and keeping delayed-transition timers.
public sealed partial class StatechartInterpreter
{
    private readonly IDisposable?[] _timers;
    private readonly int[] _timerGenerations;
    /// <summary>When each running timer falls due, on the scheduler's clock; read only by <see cref="GetSnapshot"/>.</summary>
    private readonly TimeSpan[] _timerDue;
    /// <summary>The order timers were started in, so a restore schedules ties in the same order.</summary>
    private readonly long[] _timerSequence;
    private long _timersStarted;

    /// <summary>
    /// Runs a block of actions. As SCXML prescribes, an action that throws ends its block and raises
    /// <c>error.execution</c>; the microstep itself carries on, so the configuration stays consistent.
    /// </summary>
    private void RunActions(int[] actionIds)
    {
        var context = PrepareContext();
        foreach (var id in actionIds)
        {
            var name = _chart.Actions.Names[id];
            context.Name = name;
            try
            {
                _actions[id](context);
            }
            catch (Exception e)
            {
                ReportExecutionError(name, isGuard: false, e);
                return;
            }
        }
    }

    /// <summary>A guard that throws counts as false, and raises <c>error.execution</c>.</summary>
    private bool EvaluateGuard(int guardId)
    {
        var context = PrepareContext();
        var name = _chart.Guards.Names[guardId];
        context.Name = name;
        try
        {
            return _guards[guardId](context);
        }
        catch (Exception e)
        {
            ReportExecutionError(name, isGuard: true, e);
            return false;
        }
    }

    private StatechartActionContext PrepareContext()
    {
        _actionContext.EventName = _eventName;
        _actionContext.EventData = _eventData;
        return _actionContext;
    }

    private void ReportExecutionError(string name, bool isGuard, Exception exception)
    {
        var error = new StatechartExecutionError(name, isGuard, _eventName, exception);
        var eventId = _chart.Events.TryGetIndex(StatechartEvents.ErrorExecution, out var id) ? id : -1;
        _queue.Enqueue(new PendingEvent(eventId, StatechartEvents.ErrorExecution, error));
        _onExecutionError?.Invoke(error);
    }

    private void StartTimers(StateNode state)
    {
        var now = _scheduler.Now;
        foreach (var delayed in state.Delayed)
        {
            var delay = delayed.DelayName >= 0 ? _delays[delayed.DelayName] : delayed.FixedDelay;
            StartTimer(delayed.Slot, delayed.EventId, delay, now);
        }
    }

    private void StartTimer(int slot, int eventId, TimeSpan delay, TimeSpan now)
    {
        var generation = ++_timerGenerations[slot];
        _timerDue[slot] = now + delay;
        _timerSequence[slot] = ++_timersStarted;
        _timers[slot] = _scheduler.Schedule(delay, () => OnTimerDue(slot, generation, eventId));
    }

    private void CancelTimers(StateNode state)
    {
        foreach (var delayed in state.Delayed) CancelTimer(delayed.Slot);
    }

    private void CancelTimer(int slot)
    {
        _timerGenerations[slot]++;
        var timer = _timers[slot];
        _timers[slot] = null;
        timer?.Dispose();
    }

    /// <summary>A timer that fired after its state was left (a race with cancellation) finds a newer generation and does nothing.</summary>
    private void OnTimerDue(int slot, int generation, int eventId)
    {
        using var gate = EnterGate();
        if (_timerGenerations[slot] != generation) return;
        _timers[slot] = null;
        Enqueue(eventId, _chart.Events.Names[eventId], null);
    }
}
