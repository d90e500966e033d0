using System.Diagnostics;
using Akka.Actor;

namespace XStateNet.Actors.MultiProcess.Tests.Harness;

/// <summary>
/// One node host running as a child process: its output (kept for failure messages and forwarded to the test
/// output), its ready line and address, and the means to kill, stop and continue it by process id.
/// </summary>
public sealed class ChildNode : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = new();
    private readonly TaskCompletionSource<Address> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string> _log;
    private Address? _address;

    private ChildNode(NodePlan plan, Process process, Action<string> log)
    {
        Plan = plan;
        _process = process;
        _log = log;
    }

    /// <summary>What the node was started with.</summary>
    public NodePlan Plan { get; }

    /// <summary>The child's process id.</summary>
    public int Pid { get; private set; }

    /// <summary>The address from its ready line.</summary>
    public Address Address => _address ?? throw new InvalidOperationException($"{Plan.System} has not printed its ready line");

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet NodeHost.dll</c> with <paramref name="arguments"/>; output lines go to <paramref name="log"/>.</summary>
    public static ChildNode Start(NodePlan plan, IReadOnlyList<string> arguments, Action<string> log)
    {
        var start = new ProcessStartInfo(NodeHostLocation.DotnetHost)
        {
            RedirectStandardInput = true, // closing it (or our death) ends the child
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(NodeHostLocation.NodeHostDll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // A child killed with SIGKILL cannot remove the runtime's diagnostic pipes and socket in /tmp
        // (clr-debug-pipe-<pid>-*, dotnet-diagnostic-<pid>-*): children of tests run without them, so nothing is left.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        // Two cores shared by several children: the server GC's per-core heaps and threads only cost here.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var node = new ChildNode(plan, process, log);
        process.OutputDataReceived += (_, line) => node.OnLine(line.Data, isError: false);
        process.ErrorDataReceived += (_, line) => node.OnLine(line.Data, isError: true);
        process.Exited += (_, _) => node._ready.TrySetException(new InvalidOperationException("exited"));
        if (!process.Start()) throw new InvalidOperationException($"could not start the node host for {plan.System}");
        node.Pid = process.Id;
        ProcessRegistry.Started(node.Pid);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Waits for the ready line; on timeout or early exit, fails with everything the child printed.</summary>
    public async Task WaitUntilReady(TimeSpan timeout)
    {
        var ready = await Task.WhenAny(_ready.Task, Task.Delay(timeout));
        if (ready == _ready.Task && _ready.Task.IsCompletedSuccessfully) return;
        if (_process.HasExited) await _process.WaitForExitAsync(); // drain the output
        var why = _process.HasExited ? $"exited with code {_process.ExitCode}" : $"printed no READY line within {timeout.TotalSeconds:0} s";
        throw new TimeoutException($"Node {Plan.System} (pid {Pid}) {why}. Its output:\n{OutputText()}");
    }

    /// <summary>Everything the child printed so far.</summary>
    public string OutputText()
    {
        lock (_output) return string.Join('\n', _output);
    }

    /// <summary>How many lines the child has printed so far (a mark for <see cref="WaitForLine"/>).</summary>
    public int LineCount
    {
        get { lock (_output) return _output.Count; }
    }

    /// <summary>Waits for a line after <paramref name="afterLine"/> that satisfies <paramref name="match"/>.</summary>
    public async Task<string> WaitForLine(int afterLine, Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            lock (_output)
            {
                for (var i = afterLine; i < _output.Count; i++)
                {
                    if (match(_output[i])) return _output[i];
                }
            }
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Node {Plan.System} printed no matching line within {timeout.TotalSeconds:0} s. Its output:\n{OutputText()}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary><c>kill -9</c>: ends the process (and any it started) at once.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }
    }

    /// <summary>Waits until the process has ended, up to <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExit(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sends a signal to the process (SIGSTOP, SIGCONT).</summary>
    public void Signal(int signal) => Signals.Send(Pid, signal);

    /// <summary>Kills the process if it still runs and releases it.</summary>
    public void Dispose()
    {
        Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
    }

    private void OnLine(string? line, bool isError)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        _log($"[{Plan.System}{(isError ? " stderr" : "")}] {line}");
        if (line.StartsWith("READY ", StringComparison.Ordinal))
        {
            var address = Address.Parse(line["READY ".Length..].Trim());
            _address = address;
            _ready.TrySetResult(address);
        }
    }
}
