using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace XStateNet.Actors.Processes;

/// <summary>
/// A running child program (started from a <see cref="ChildCommand"/>): every line it prints goes to the parent's
/// callbacks as it comes (both streams are always read, since a full pipe would stop the child), and it is signalled
/// and killed by its process id only. Once it has ended, it is reaped and what its runtime could not remove itself
/// (killed, it leaves its diagnostic pipes and socket in the temp folder) is removed. Disposing kills it if it still
/// runs.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int SigKill = 9;
    private const int SigCont = 18;
    private const int SigStop = 19;
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private int? _exitCode;

    private ChildProcess(Process process, int pid)
    {
        _process = process;
        Pid = pid;
        Exited = ReapAsync();
    }

    /// <summary>Its process id.</summary>
    public int Pid { get; }

    /// <summary>
    /// Completes once it has ended, its output has been read to the end and its leftovers removed; also when it was
    /// killed.
    /// </summary>
    public Task Exited { get; }

    /// <summary>Whether it has ended.</summary>
    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    /// <summary>Its exit code; for a killed process, 137 (128 + SIGKILL).</summary>
    /// <exception cref="InvalidOperationException">It has not ended (or not been reaped yet: await <see cref="Exited"/>).</exception>
    public int ExitCode => _exitCode ?? throw new InvalidOperationException($"process {Pid} has not been reaped yet");

    /// <summary>Its standard input (it reads the end of it as its parent's goodbye).</summary>
    public StreamWriter Input => _process.StandardInput;

    /// <summary>CPU time it has used so far (user and system), or null once it has ended.</summary>
    public TimeSpan? CpuTime
    {
        get
        {
            try
            {
                return _process.HasExited ? null : _process.TotalProcessorTime;
            }
            catch (Exception e) when (e is InvalidOperationException or Win32Exception or IOException)
            {
                return null; // it ended between the two calls
            }
        }
    }

    /// <summary>Starts <paramref name="start"/>; each line it prints goes to <paramref name="output"/> or <paramref name="error"/> (null: read and dropped).</summary>
    /// <exception cref="InvalidOperationException">The program could not be started.</exception>
    public static ChildProcess Start(ProcessStartInfo start, Action<string>? output, Action<string>? error)
    {
        if (!start.RedirectStandardOutput || !start.RedirectStandardError) throw new ArgumentException("a child's output and error are read by its parent: redirect both", nameof(start));
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null) output?.Invoke(line.Data);
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null) error?.Invoke(line.Data);
        };
        try
        {
            if (!process.Start()) throw new InvalidOperationException($"{start.FileName} did not start");
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"{start.FileName} cannot be started: {e.Message}", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process, process.Id);
    }

    /// <summary><c>kill -9</c>: ends it at once, with no goodbye and no clean-up of its own (<see cref="Exited"/> does that).</summary>
    public void Kill() => Signal(SigKill);

    /// <summary>SIGSTOP: it keeps its sockets and memory but runs nothing, as in a very long GC pause.</summary>
    public void Pause() => Signal(SigStop);

    /// <summary>SIGCONT: a paused process runs again.</summary>
    public void Resume() => Signal(SigCont);

    /// <summary>Closes its standard input: its cue to stop by itself.</summary>
    public void CloseInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // it has gone already
        }
    }

    /// <summary>Waits until it has ended and been reaped, up to <paramref name="timeout"/>; true when it has.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout) =>
        await Task.WhenAny(Exited, Task.Delay(timeout)).ConfigureAwait(false) == Exited;

    /// <summary>Asks it to stop (closes its input), and kills it if it has not ended within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (HasExited) return;
        CloseInput();
        if (await WaitForExitAsync(grace).ConfigureAwait(false)) return;
        Kill();
        await WaitForExitAsync(ReapTimeout).ConfigureAwait(false);
    }

    /// <summary>Kills it if it still runs, waits until it is reaped and releases it.</summary>
    public void Dispose()
    {
        Kill();
        Exited.Wait(ReapTimeout);
        _process.Dispose();
    }

    /// <exception cref="InvalidOperationException">The signal could not be delivered to a process that still runs.</exception>
    private void Signal(int signal)
    {
        if (HasExited) return;
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("children are signalled the Linux way");
        if (SendSignal(Pid, signal) != 0 && !HasExited)
        {
            throw new InvalidOperationException($"kill({Pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits for the end (and for the output to be read), then removes what the runtime left.</summary>
    private async Task ReapAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _exitCode = _process.ExitCode;
        RemoveDiagnosticFiles(Pid);
    }

    /// <summary>
    /// The runtime's diagnostic pipes and socket of an ended child (<c>clr-debug-pipe-&lt;pid&gt;-*</c>,
    /// <c>dotnet-diagnostic-&lt;pid&gt;-*</c> in the temp folder): a runtime that exits removes its own, a killed one
    /// cannot. Nothing is there when the child ran without diagnostics.
    /// </summary>
    private static void RemoveDiagnosticFiles(int pid)
    {
        foreach (var pattern in new[] { $"clr-debug-pipe-{pid}-*", $"dotnet-diagnostic-{pid}-*" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.GetTempPath(), pattern))
            {
                try
                {
                    File.Delete(file);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // another's file of the same name; nothing of ours to remove
                }
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
