using System.Threading.Channels;
using XStateNet.Actors.Processes;

namespace XStateNet.Actors.Tests.Shared;

/// <summary>
/// A test host program of this repository (a project beside the test project, built with it) running as a child
/// process on the repository's one child-process host (<see cref="ChildCommand"/>, <see cref="ChildProcess"/>): without
/// the runtime's diagnostics, its standard input ours (so it also exits on its own when the test process dies), its
/// lines kept for <see cref="LineAsync"/>, signalled and killed by pid only. What the transport specs' child wrappers
/// add is only their commands and answers.
/// </summary>
internal sealed class TestHostProcess : IDisposable
{
    private readonly ChildProcess _child;
    private readonly Channel<string> _lines;
    private readonly List<string> _errors;

    private TestHostProcess(ChildProcess child, Channel<string> lines, List<string> errors)
    {
        _child = child;
        _lines = lines;
        _errors = errors;
    }

    public int Pid => _child.Pid;

    /// <summary>
    /// Starts <c>tests/&lt;hostProject&gt;</c>'s assembly (same configuration and framework as the calling test
    /// project) with <paramref name="arguments"/>.
    /// </summary>
    /// <param name="hostProject">The test host's folder under <c>tests/</c>.</param>
    /// <param name="arguments">Its command line.</param>
    /// <param name="aside">
    /// Sees each line the host prints first; a line it returns true for is taken (a log line, say) and not kept for
    /// <see cref="LineAsync"/>. Null: every line is kept.
    /// </param>
    public static TestHostProcess Start(string hostProject, IEnumerable<string> arguments, Func<string, bool>? aside = null)
    {
        var lines = Channel.CreateUnbounded<string>();
        var errors = new List<string>();
        var child = ChildProcess.Start(
            ChildCommand.Assembly(HostAssembly(hostProject), arguments, diagnostics: false),
            line =>
            {
                if (aside?.Invoke(line) != true) lines.Writer.TryWrite(line);
            },
            line =>
            {
                lock (errors) errors.Add(line);
            });
        // Exited completes once the output has been read to the end: no line comes after.
        _ = child.Exited.ContinueWith(_ => lines.Writer.TryComplete(), TaskScheduler.Default);
        return new TestHostProcess(child, lines, errors);
    }

    /// <summary>Sends a command line to the host's standard input.</summary>
    public void Command(string line)
    {
        _child.Input.WriteLine(line);
        _child.Input.Flush();
    }

    /// <summary>
    /// Waits for the host's next kept line starting with one of <paramref name="starts"/> (earlier lines are skipped)
    /// and returns which start it was and the rest of the line.
    /// </summary>
    /// <exception cref="InvalidOperationException">The host ended first; the message has its standard error.</exception>
    /// <exception cref="OperationCanceledException">No such line within <paramref name="timeout"/>.</exception>
    public async Task<(string Start, string After)> LineAsync(TimeSpan timeout, params string[] starts)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            string line;
            try
            {
                line = await _lines.Reader.ReadAsync(cancel.Token);
            }
            catch (ChannelClosedException)
            {
                string errors;
                lock (_errors) errors = string.Join('\n', _errors);
                throw new InvalidOperationException($"the test host {Pid} exited early (waiting for {string.Join(" or ", starts)}): {errors}");
            }

            foreach (var start in starts)
            {
                if (line.StartsWith(start, StringComparison.Ordinal)) return (start, line[start.Length..]);
            }
        }
    }

    /// <summary>SIGSTOP.</summary>
    public void Pause() => _child.Pause();

    /// <summary>SIGCONT.</summary>
    public void Resume() => _child.Resume();

    /// <summary><c>kill -9</c>, and wait until it is reaped.</summary>
    public void Kill()
    {
        _child.Kill();
        _child.WaitForExitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
    }

    /// <summary>Kills it by pid if it still runs (a paused one too: SIGKILL needs no SIGCONT) and reaps it.</summary>
    public void Dispose() => _child.Dispose();

    private static string HostAssembly(string hostProject)
    {
        // bin/<configuration>/<tfm>/ of this test project -> the same folders of the test host project.
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!.Name;
        var tests = tfm.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(tests, hostProject, "bin", configuration, tfm.Name, $"XStateNet.Actors.{hostProject}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("build the test host first", path);
    }
}
