using System.Globalization;
using System.Text.RegularExpressions;

namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>
/// What a run reports beside its counts, so the next regression shows: the one-thread baseline and the ratio to it
/// (<c>--baseline</c>), each stage's CPU per file from its own process's CPU time, and each stage's transport figures
/// per peer from the transport meter. Values are checked for being there and plausible, never against a speed.
/// </summary>
public sealed class SummarySpecs
{
    // The launcher reads each stage's CPU time from /proc, in clock ticks (10 ms): enough files that every stage's share
    // of the run is several ticks (about 8 µs per file for the processor, the cheapest), or a stage that did its part
    // in under a tick reads 0.
    private const int Files = 3000;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_run_with_the_baseline_prints_the_ratio_every_stages_cpu_per_file_and_its_transport_figures_per_peer()
    {
        using var folder = new TempFolder();
        using var run = PipelineRun.Start(folder.Path, "--files", Files.ToString(CultureInfo.InvariantCulture), "--size", "512",
            "--batch", "7", "--baseline");
        await run.WaitForExitAsync(RunTimeout);
        Assert.True(run.ExitCode == 0, $"launcher exit code {run.ExitCode}:\n{run.Output}");

        var baseline = Regex.Match(run.Output, @"(?m)^baseline files=(?<files>\d+) rejected=3 elapsed_ms=\d+ files_per_s=(?<rate>\d+) cpu_us_per_file=(?<cpu>[\d.]+)$");
        Assert.True(baseline.Success, run.Output);
        Assert.Equal(Files, int.Parse(baseline.Groups["files"].Value, CultureInfo.InvariantCulture));
        Assert.True(double.Parse(baseline.Groups["cpu"].Value, CultureInfo.InvariantCulture) > 0, run.Output);

        var summary = Regex.Match(run.Output, $@"(?m)^summary .*files={Files} .* one_thread_files_per_s=(?<rate>\d+) vs_one_thread=(?<ratio>[\d.]+)$");
        Assert.True(summary.Success, run.Output);
        Assert.Equal(baseline.Groups["rate"].Value, summary.Groups["rate"].Value);

        foreach (var stage in new[] { "ingester", "processor", "storage" })
        {
            var cpu = Regex.Match(run.Output, $@"(?m)^cpu {stage} us_per_file=(?<perFile>[\d.]+) run_ms=(?<run>\d+) startup_ms=(?<startup>\d+)$");
            Assert.True(cpu.Success, $"no cpu line for {stage}:\n{run.Output}");
            // A process that started a runtime and an actor system has used CPU; a stage that handled every file too.
            Assert.True(int.Parse(cpu.Groups["startup"].Value, CultureInfo.InvariantCulture) > 0, run.Output);
            Assert.True(double.Parse(cpu.Groups["perFile"].Value, CultureInfo.InvariantCulture) > 0, run.Output);

            // The transport meter, read in each stage: both other stages are its peers, with traffic each way.
            var peers = Regex.Matches(run.Output,
                $@"(?m)^transport {stage} peer=(?<peer>shm://Pipeline@localhost:\d+) messages_sent=(?<sent>\d+) messages_received=(?<received>\d+) bytes_sent=(?<bytesSent>\d+) bytes_received=(?<bytesReceived>\d+) backoffs=\d+$");
            Assert.True(peers.Count == 2, $"{stage} should list its two peers' transport figures:\n{run.Output}");
            Assert.All(peers, p =>
            {
                foreach (var figure in new[] { "sent", "received", "bytesSent", "bytesReceived" })
                    Assert.True(long.Parse(p.Groups[figure].Value, CultureInfo.InvariantCulture) > 0, $"{stage} {figure} to {p.Groups["peer"].Value}:\n{run.Output}");
            });
        }
    }
}
