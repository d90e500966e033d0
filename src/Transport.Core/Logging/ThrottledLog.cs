using Akka.Event;

namespace XStateNet.Actors.Transport;

/// <summary>
/// The transport's log for what a peer or a stranger can cause (bad input, refused connections): each kind of line is
/// rate-limited by <see cref="RepeatedErrorLog"/>, so a client that connects and misbehaves thousands of times writes
/// a few lines, each telling how many like it were left out.
/// </summary>
/// <remarks>The message is passed as an argument, never as a format: it may quote what a peer sent.</remarks>
internal sealed class ThrottledLog(ILoggingAdapter log, RepeatedErrorLog repeats)
{
    /// <summary>With the default rate: five lines of each kind per ten seconds.</summary>
    public ThrottledLog(ILoggingAdapter log) : this(log, new RepeatedErrorLog())
    {
    }

    /// <summary>The plain log, for lines no peer can repeat at will.</summary>
    public ILoggingAdapter Log => log;

    public void Error(string kind, string message)
    {
        if (repeats.ShouldWrite(kind, out var suppressed)) log.Error("{0}{1}", message, RepeatedErrorLog.SuppressedNote(suppressed));
    }

    public void Warning(string kind, string message)
    {
        if (repeats.ShouldWrite(kind, out var suppressed)) log.Warning("{0}{1}", message, RepeatedErrorLog.SuppressedNote(suppressed));
    }
}
