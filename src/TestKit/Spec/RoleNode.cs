using System.Diagnostics;
using Akka.Actor;
using XStateNet.Actors.Processes;
using XStateNet.Actors.TestKit.Processes;

namespace XStateNet.Actors.TestKit;

/// <summary>
/// One child process playing a role: its address, its log (every line it printed, also written to the test
/// output) and the faults done to it by process id: <see cref="Kill"/>, <see cref="Pause"/>, <see cref="Resume"/>.
/// </summary>
public sealed class RoleNode : IDisposable
{
    private readonly List<string> _log = [];
    private readonly TaskCompletionSource<Address> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string> _output;

    private ChildProcess? _process;

    private RoleNode(string role, Address plannedAddress, Action<string> output)
    {
        Role = role;
        Address = plannedAddress;
        _output = output;
    }

    /// <summary>The role it plays (also its actor system name).</summary>
    public string Role { get; }

    /// <summary>Its address, planned before it started; a restarted node has the same one.</summary>
    public Address Address { get; }

    /// <summary>The child's process id.</summary>
    public int Pid => Child.Pid;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => Child.HasExited;

    /// <summary>How many lines it has printed so far (a mark for <see cref="WaitForLine"/>).</summary>
    public int LineCount
    {
        get { lock (_log) return _log.Count; }
    }

    /// <summary>Everything the child printed so far.</summary>
    public string Log
    {
        get { lock (_log) return string.Join('\n', _log); }
    }

    /// <summary><c>kill -9</c>: ends the process at once; it removes nothing (the spec does, when it ends).</summary>
    public void Kill() => Child.Kill();

    /// <summary><c>SIGSTOP</c>: the process keeps its sockets and memory but runs nothing, as in a very long GC pause.</summary>
    public void Pause() => Child.Pause();

    /// <summary><c>SIGCONT</c>: resumes a paused process.</summary>
    public void Resume() => Child.Resume();

    /// <summary>Waits until the process has ended, up to <paramref name="timeout"/>.</summary>
    public Task<bool> WaitForExit(TimeSpan timeout) => Child.WaitForExitAsync(timeout);

    /// <summary>Waits for a line after line number <paramref name="afterLine"/> that satisfies <paramref name="match"/>.</summary>
    /// <exception cref="TimeoutException">No such line in time; the message has the whole log.</exception>
    public async Task<string> WaitForLine(int afterLine, Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            lock (_log)
            {
                for (var i = afterLine; i < _log.Count; i++)
                {
                    if (match(_log[i])) return _log[i];
                }
            }
            if (deadline.Elapsed > timeout) throw new TimeoutException($"{Role} printed no matching line within {timeout.TotalSeconds:0} s. Its log:\n{Log}");
            await Task.Delay(50);
        }
    }

    /// <summary>Kills the process if it still runs and releases it.</summary>
    public void Dispose() => Child.Dispose();

    /// <inheritdoc />
    public override string ToString() => $"{Role} at {Address} (pid {Pid})";

    private ChildProcess Child => _process ?? throw new InvalidOperationException($"the child for role {Role} has not started");

    internal static RoleNode Start(string role, Address plannedAddress, ProcessStartInfo start, Action<string> output)
    {
        var node = new RoleNode(role, plannedAddress, output);
        try
        {
            node._process = ChildProcess.Start(start, line => node.OnLine(line, isError: false), line => node.OnLine(line, isError: true));
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"could not start the child for role {role}: {e.Message}", e);
        }
        ProcessRegistry.Started(node.Pid);
        node._process.Exited.ContinueWith(_ => node._ready.TrySetException(new InvalidOperationException("exited")), TaskScheduler.Default);
        return node;
    }

    /// <summary>Waits for the ready line; on timeout or early exit, fails with the child's whole log.</summary>
    internal async Task WaitUntilReady(TimeSpan timeout)
    {
        var first = await Task.WhenAny(_ready.Task, Task.Delay(timeout));
        if (first == _ready.Task && _ready.Task.IsCompletedSuccessfully)
        {
            if (_ready.Task.Result != Address) throw new InvalidOperationException($"{Role} listens at {_ready.Task.Result}, not at the planned {Address}. Its log:\n{Log}");
            return;
        }
        if (Child.HasExited) await Child.Exited; // the output, read to its end
        var why = Child.Exited.IsCompleted ? $"exited with code {Child.ExitCode}" : $"printed no READY line within {timeout.TotalSeconds:0} s";
        throw new TimeoutException($"Role {Role} (pid {Pid}) {why}. Its log:\n{Log}");
    }

    private void OnLine(string? line, bool isError)
    {
        if (line is null) return;
        lock (_log) _log.Add(line);
        _output($"[{Role}{(isError ? " stderr" : "")}] {line}");
        if (line.StartsWith("READY ", StringComparison.Ordinal) && Address.TryParse(line["READY ".Length..].Trim(), out var address))
        {
            _ready.TrySetResult(address);
        }
    }
}
