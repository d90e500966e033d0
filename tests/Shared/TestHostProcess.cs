using System.Diagnostics;
using System.Runtime.InteropServices;

namespace XStateNet.Actors.Tests.Shared;

/// <summary>
/// A test host program of this repository (a project beside the test project, built with it) running as a child
/// process, with its standard streams ours: what the transport specs' child wrappers share. Disposing resumes it if
/// paused and kills it by pid if it still runs; since its standard input is ours, it also exits on its own when the
/// test process dies.
/// </summary>
internal sealed partial class TestHostProcess : IDisposable
{
    private const int SigStop = 19;
    private const int SigCont = 18;

    private TestHostProcess(Process process) => Process = process;

    /// <summary>The child; its standard input, output and error are redirected to the test.</summary>
    public Process Process { get; }

    public int Pid => Process.Id;

    /// <summary>
    /// Starts <c>tests/&lt;hostProject&gt;</c>'s assembly (same configuration and framework as the calling test
    /// project) with <paramref name="arguments"/>.
    /// </summary>
    public static TestHostProcess Start(string hostProject, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(HostAssembly(hostProject));
        // A child killed with SIGKILL cannot remove the runtime's diagnostic pipes and socket in /tmp
        // (clr-debug-pipe-<pid>-*, dotnet-diagnostic-<pid>-*): children of tests run without them, so nothing is left.
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        return new TestHostProcess(Process.Start(info) ?? throw new InvalidOperationException($"the test host {hostProject} did not start"));
    }

    /// <summary>SIGSTOP.</summary>
    public void Pause() => Signal(SigStop);

    /// <summary>SIGCONT.</summary>
    public void Resume() => Signal(SigCont);

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                SendSignal(Process.Id, SigCont); // a paused child would not die before it runs again
                Process.Kill();
                Process.WaitForExit(5000);
            }
        }
        finally
        {
            Process.Dispose();
        }
    }

    private void Signal(int signal)
    {
        if (SendSignal(Process.Id, signal) != 0) throw new InvalidOperationException($"kill({Process.Id}, {signal}) failed");
    }

    private static string HostAssembly(string hostProject)
    {
        // bin/<configuration>/<tfm>/ of this test project -> the same folders of the test host project.
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!.Name;
        var tests = tfm.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(tests, hostProject, "bin", configuration, tfm.Name, $"XStateNet.Actors.{hostProject}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("build the test host first", path);
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);
}
