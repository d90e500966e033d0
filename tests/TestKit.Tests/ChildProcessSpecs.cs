using System.Collections.Concurrent;
using XStateNet.Actors.Processes;

namespace XStateNet.Actors.TestKit.Tests;

/// <summary>
/// The repository's one child-process host (src/Shared/Processes, compiled into the TestKit, the pipeline sample and
/// the benchmarks): lines read from both streams, kill by process id, the exit reaped, and what a killed runtime
/// leaves in the temp folder removed. A shell stands in for a .NET child: the host does not care what it runs.
/// </summary>
public sealed class ChildProcessSpecs
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Lines_of_both_streams_arrive_and_a_killed_child_is_reaped_with_its_runtime_files_removed()
    {
        var output = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        using var child = ChildProcess.Start(Shell("echo READY; echo oops >&2; exec sleep 60"), output.Enqueue, errors.Enqueue);
        // What a runtime killed with SIGKILL leaves (its diagnostic pipes and socket), under this child's pid.
        var leftovers = new[] { $"clr-debug-pipe-{child.Pid}-in", $"dotnet-diagnostic-{child.Pid}-1-socket" }
            .Select(name => Path.Combine(Path.GetTempPath(), name)).ToArray();
        try
        {
            foreach (var file in leftovers) await File.WriteAllTextAsync(file, "");
            await Until(() => output.Contains("READY") && errors.Contains("oops"));
            Assert.False(child.HasExited);

            child.Kill();
            Assert.True(await child.WaitForExitAsync(Limit), "the killed child was not reaped");
            Assert.True(child.HasExited);
            Assert.Equal(128 + 9, child.ExitCode);
            Assert.All(leftovers, file => Assert.False(File.Exists(file), $"{file} is left"));
        }
        finally
        {
            foreach (var file in leftovers) File.Delete(file);
        }
    }

    [Fact]
    public void A_child_of_a_test_runs_its_assembly_with_every_stream_redirected_and_without_the_runtime_s_diagnostics()
    {
        var start = ChildCommand.Assembly("/some/where/Program.dll", ["--role", "a b"], diagnostics: false);
        Assert.Equal(["exec", "/some/where/Program.dll", "--role", "a b"], start.ArgumentList);
        Assert.Equal("0", start.Environment["DOTNET_EnableDiagnostics"]);
        Assert.True(start.RedirectStandardInput && start.RedirectStandardOutput && start.RedirectStandardError && !start.UseShellExecute);
        // With diagnostics, the child's environment is the parent's (dotnet-trace may attach; the host removes leftovers).
        var diagnosed = ChildCommand.Assembly("/some/where/Program.dll", [], diagnostics: true).Environment;
        Assert.Equal(Environment.GetEnvironmentVariable("DOTNET_EnableDiagnostics"), diagnosed.TryGetValue("DOTNET_EnableDiagnostics", out var value) ? value : null);
    }

    [Fact]
    public async Task Stopping_closes_the_input_and_a_child_that_reads_its_end_exits_by_itself()
    {
        var output = new ConcurrentQueue<string>();
        // A child that stops at the end of its input, as the repository's programs do (ParentWatch).
        using var child = ChildProcess.Start(Shell("cat >/dev/null; echo BYE"), output.Enqueue, null);
        await child.StopAsync(Limit);
        Assert.True(child.Exited.IsCompleted);
        Assert.Equal(0, child.ExitCode);
        Assert.Equal(["BYE"], output);
    }

    private static System.Diagnostics.ProcessStartInfo Shell(string script) => new("sh", ["-c", script])
    {
        RedirectStandardInput = true,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
    };

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the child's lines did not arrive");
            await Task.Delay(20);
        }
    }
}
