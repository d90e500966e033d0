using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>
/// <c>xstatenet inspect</c> on a running pipeline: the tool (a child process) finds the three stages (child processes
/// of the launcher) through the host directory the run publishes in (<c>--directory</c>), its JSON lists their
/// machines only with the token, and its page in a real headless browser (Debian's chromium, driven by Playwright)
/// follows them live: the processor is held (SIGSTOP) as it starts, so the page first shows the ingester waiting in
/// <c>connecting</c> beside storage; once the processor is let go, it shows all three stages' machines and the
/// ingester in <c>ingesting</c>.
/// </summary>
public sealed partial class InspectorSpecs(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_page_lists_the_three_stages_machines_and_follows_the_ingester_into_ingesting()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} not found: install Debian's chromium package (apt-get install -y chromium); .ci/run does.");
        using var folder = new TempFolder();
        var directory = folder["directory"];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Milestone(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {what}");
        using var tool = ToolProcess.Start("inspect", "--directory", directory, "--refresh", "100");
        PipelineRun? run = null;
        int? held = null;
        try
        {
            var url = await tool.UrlAsync(Wait);

            run = PipelineRun.Start(folder["work"], "--files", "20", "--size", "256", "--batch", "1", "--in-flight", "2",
                "--process-delay", "150", "--directory", directory);
            await run.WaitForLineAsync(StartedProcessor(), Wait);
            held = run.StagePid("processor");
            Assert.Equal(0, Signal(held.Value, SigStop));
            Milestone("processor held");

            // While the processor is held: the JSON lists the two machines up, each on its own node; nothing without the token.
            using var http = new HttpClient();
            var api = new Uri(url, "/api/machines" + url.Query);
            var machines = await EventuallyAsync(() => MachinesAsync(http, api), found => found.Length == 2,
                found => $"the JSON to list ingester and storage; it listed [{string.Join(", ", found)}]; tool: {tool.Output}; pipeline:\n{run.Output}");
            Assert.Equal(["ingester", "storage"], machines.Select(m => m.Id).Order());
            Assert.All(machines, m => Assert.Matches(@"^akka\.shm://Pipeline@localhost:\d+ \(pid \d+\)$", m.Node));
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(url, "/api/machines"))).StatusCode);

            Milestone("JSON lists ingester and storage");
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
            await page.GotoAsync(url.ToString());

            var patient = new LocatorAssertionsToHaveCountOptions { Timeout = (float)Wait.TotalMilliseconds };
            var ingester = page.Locator("section.machine[data-machine='ingester']");
            await Expect(page.Locator("section.machine")).ToHaveCountAsync(2, patient);
            await Expect(ingester.Locator("g.xsn-active[data-path='connecting']")).ToHaveCountAsync(1, patient);

            Milestone("page shows the ingester connecting");
            Assert.Equal(0, Signal(held.Value, SigCont)); // the processor starts and answers the ingester's PING
            held = null;

            // Nothing reloads the page: the processor appears and the ingester moves on as the tool's refreshes see it.
            await Expect(page.Locator("section.machine")).ToHaveCountAsync(3, patient);
            await Expect(page.Locator("section.machine[data-machine='processor'] g.xsn-active[data-path='ready']")).ToHaveCountAsync(1, patient);
            await Expect(page.Locator("section.machine[data-machine='storage'] g.xsn-active[data-path='ready']")).ToHaveCountAsync(1, patient);
            await Expect(ingester.Locator("g.xsn-active[data-path='ingesting']")).ToHaveCountAsync(1, patient);
            await Expect(ingester.Locator("g.xsn-active[data-path='connecting']")).ToHaveCountAsync(0, patient);
            await Expect(ingester.Locator("ol.events li").First).ToContainTextAsync(new Regex("PONG|FILE_COMPLETE"),
                new LocatorAssertionsToContainTextOptions { Timeout = (float)Wait.TotalMilliseconds });

            Milestone("page shows three machines, the ingester ingesting");
            machines = await MachinesAsync(http, api);
            Assert.Equal(["ingester", "processor", "storage"], machines.Select(m => m.Id).Order());
            Assert.Equal(3, machines.Select(m => m.Node).Distinct().Count());

            if (Environment.GetEnvironmentVariable("XSN_INSPECTOR_SCREENSHOT") is { Length: > 0 } screenshot)
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });

            await run.WaitForExitAsync(Wait);
            Milestone("pipeline finished");
            Assert.True(run.ExitCode == 0, $"launcher exit code {run.ExitCode}:\n{run.Output}");
        }
        finally
        {
            if (held is { } pid) Signal(pid, SigCont);
            run?.Dispose();
        }
        Assert.Equal(0, Signal(tool.Pid, SigTerm));
        var stopped = await tool.ExitCodeAsync(Wait);
        Milestone("tool stopped");
        Assert.True(stopped == 0, $"xstatenet inspect did not stop cleanly on SIGTERM:\n{tool.Output}");
    }

    private static async Task<(string Id, string Node)[]> MachinesAsync(HttpClient http, Uri api)
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync(api));
        return json.RootElement.GetProperty("machines").EnumerateArray()
            .Select(m => (m.GetProperty("id").GetString()!, m.GetProperty("node").GetString()!))
            .ToArray();
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, Func<T, string> what)
    {
        var deadline = DateTime.UtcNow + Wait;
        T last;
        do
        {
            last = await read();
            if (done(last)) return last;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"waited {Wait.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s for {what(last)}");
    }

    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);

    [GeneratedRegex(@"^started processor pid=\d+")]
    private static partial Regex StartedProcessor();
}
