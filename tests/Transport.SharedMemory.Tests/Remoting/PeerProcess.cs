using System.Diagnostics;
using System.Runtime.InteropServices;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>
/// The test host (tests/Transport.SharedMemory.TestHost) running as a child process. Disposing kills it by pid if it
/// still runs; its standard input is ours, so it also exits on its own if the test process dies.
/// </summary>
internal sealed partial class PeerProcess : IDisposable
{
    private const int SigStop = 19;
    private const int SigCont = 18;
    private readonly Process _process;

    private PeerProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    /// <param name="directory">The control socket directory.</param>
    /// <param name="system">The child's actor system name.</param>
    /// <param name="filePrefix">The child's akka.remote.shm.file-prefix, or null for the default.</param>
    public static PeerProcess Start(string directory, string system, string? filePrefix = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(HostAssembly());
        // A child killed with SIGKILL cannot remove the runtime's diagnostic pipes and socket in /tmp
        // (clr-debug-pipe-<pid>-*, dotnet-diagnostic-<pid>-*): children of tests run without them, so nothing is left.
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        info.ArgumentList.Add(directory);
        info.ArgumentList.Add(system);
        if (filePrefix is not null) info.ArgumentList.Add(filePrefix);
        return new PeerProcess(Process.Start(info) ?? throw new InvalidOperationException("the test host did not start"));
    }

    /// <summary>Waits for the host's "READY &lt;address&gt;" line and returns the address.</summary>
    public Task<string> ReadyAsync(TimeSpan timeout) => LineAsync("READY ", timeout);

    /// <summary>Sends a command line to the host (see its Program.cs).</summary>
    public void Command(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>Waits for the host's next line starting with <paramref name="start"/> and returns the rest of it.</summary>
    public async Task<string> LineAsync(string start, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var line = await _process.StandardOutput.ReadLineAsync(cancel.Token)
                ?? throw new InvalidOperationException($"the test host exited early: {await _process.StandardError.ReadToEndAsync(cancel.Token)}");
            if (line.StartsWith(start, StringComparison.Ordinal)) return line[start.Length..];
        }
    }

    public void Pause() => Signal(SigStop);

    public void Resume() => Signal(SigCont);

    /// <summary>kill -9.</summary>
    public void Kill() => _process.Kill();

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                Resume();
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Signal(int signal)
    {
        if (SendSignal(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
    }

    private static string HostAssembly()
    {
        // bin/<configuration>/<tfm>/ of this test project -> the same folders of the test host project.
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!.Name;
        var tests = tfm.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(tests, "Transport.SharedMemory.TestHost", "bin", configuration, tfm.Name,
            "XStateNet.Actors.Transport.SharedMemory.TestHost.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("build the test host first", path);
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);
}
