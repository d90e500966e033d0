using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;

namespace XStateNet.Actors.Transport.SharedMemory.Tests;

/// <summary>
/// An Akka logger that keeps every line of its actor system (by system name), for tests that count log lines.
/// Use with <c>akka.loggers = ["XStateNet.Actors.Transport.SharedMemory.Tests.LogCapture, XStateNet.Actors.Transport.SharedMemory.Tests"]</c>.
/// </summary>
public sealed class LogCapture : ReceiveActor
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<LogEvent>> Lines = new(StringComparer.Ordinal);

    public LogCapture()
    {
        var lines = Lines.GetOrAdd(Context.System.Name, static _ => new ConcurrentQueue<LogEvent>());
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(lines.Enqueue);
    }

    public const string Setting =
        "akka.loggers = [\"XStateNet.Actors.Transport.SharedMemory.Tests.LogCapture, XStateNet.Actors.Transport.SharedMemory.Tests\"]";

    /// <summary>The warnings and errors logged so far by the system named <paramref name="system"/>.</summary>
    public static string[] WarningsAndErrors(string system) =>
        Lines.TryGetValue(system, out var lines)
            ? lines.Where(e => e.LogLevel() >= LogLevel.WarningLevel).Select(e => e.Message?.ToString() ?? "").ToArray()
            : [];
}
