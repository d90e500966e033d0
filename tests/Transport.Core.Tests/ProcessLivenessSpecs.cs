using System.Diagnostics;

namespace XStateNet.Actors.Transport.Tests;

public sealed class ProcessLivenessSpecs
{
    [Fact]
    public void This_process_is_running() => Assert.True(ProcessLiveness.IsRunning(Environment.ProcessId));

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Impossible_ids_are_not_running(int pid) => Assert.False(ProcessLiveness.IsRunning(pid));

    [Fact]
    public async Task A_process_that_exited_is_not_running()
    {
        using var child = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            Assert.True(ProcessLiveness.IsRunning(child.Id));
            child.Kill();
            await child.WaitForExitAsync();

            Assert.False(ProcessLiveness.IsRunning(child.Id));
        }
        finally
        {
            if (!child.HasExited) child.Kill();
        }
    }
}
