using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Microsoft.Playwright;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Sharding;
using XStateNet.Actors.Tool;
using XStateNet.Actors.Transport.SameHost;
using static Microsoft.Playwright.Assertions;

namespace XStateNet.Actors.Diagrams.Tests.Inspection;

/// <summary>
/// <c>xstatenet inspect --transport tcp</c> lists the sharded machines of a cluster node of the host (akka.tcp, its host
/// directory on; the node's same-host fast path has a folder of its own here, so the tool reaches it over TCP): the node lists itself in the directory with its first machine, the
/// tool asks it for the machines it runs (its <c>/system/xstatenet-machines</c>), and shows each entity's chart and
/// state, live, in headless Chromium. Nothing is shared: its own host directory, cluster name, same-host folder.
/// </summary>
public sealed class InspectShardedTests : IAsyncLifetime
{
    /// <summary>How long a wait may take before it fails: a hang guard on a loaded machine, not a speed bound.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(90);

    private const string Chromium = "/usr/bin/chromium";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"xsn-ish-{Guid.NewGuid():N}"[..20]);
    private readonly string _sameHost = Path.Combine(Path.GetTempPath(), $"xsn-isr-{Guid.NewGuid():N}"[..20]);
    private ActorSystem _node = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_sameHost);
        _node = ActorSystem.Create("Sharded" + Guid.NewGuid().ToString("N")[..8], ConfigurationFactory.ParseString($$"""
                akka.loglevel = WARNING
                akka.actor.provider = cluster
                akka.remote.dot-netty.tcp { hostname = "localhost", port = 0 }
                akka.remote.same-host.directory = "{{_sameHost}}"
                akka.cluster.min-nr-of-members = 1
                akka.coordinated-shutdown.exit-clr = off
                akka.coordinated-shutdown.run-by-actor-system-terminate = on
                xstatenet.directory { enabled = on, path = "{{_folder}}" }
                """)
            .WithFallback(MachineStore.InMemory)
            .WithFallback(SameHostConfig.Ready)
            .WithFallback(XStateNetConfig.Default));
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cluster = Cluster.Get(_node);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(TimeSpan.FromSeconds(60));
        await up.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _node.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var folder in new[] { _folder, _sameHost })
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Inspect_lists_the_sharded_machines_of_a_cluster_node_and_follows_them()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} not found: install Debian's chromium package (apt-get install -y chromium); .ci/run does.");
        var machines = ShardedMachines.For(_node);
        await machines.StartAsync("door", new ShardedMachineOptions()
            .Script(InspectedNode.DoorChart)
            .IdPrefix("door-")
            .Actions(new Dictionary<string, Action<OrchestratedContext>>
            {
                ["count"] = ctx => ctx.Context["opened"] = Convert.ToInt64(ctx.Context["opened"]) + 1,
            }));
        foreach (var id in new[] { "door-7", "door-8" })
            await machines.GetSnapshotAsync(id, TimeSpan.FromSeconds(30)); // started: the entities exist on this node

        var output = new StringWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => XStateNetTool.RunAsync(
            ["inspect", "--directory", _folder, "--transport", "tcp", "--refresh", "100"],
            TextWriter.Synchronized(output), TextWriter.Synchronized(error), stop.Token));
        try
        {
            var url = await InspectToolRun.EventuallyAsync(() => Task.FromResult(InspectToolRun.PageUrl(output.ToString())),
                () => $"no URL printed; output: {output}; errors: {error}", Guard);
            var token = new Uri(url).Query;
            using var http = new HttpClient();
            var listed = await InspectToolRun.EventuallyAsync(async () =>
            {
                var json = await http.GetStringAsync(new Uri(new Uri(url), "api/machines" + token));
                return json.Contains("\"door-7\"", StringComparison.Ordinal) && json.Contains("\"door-8\"", StringComparison.Ordinal) ? json : null;
            }, () => $"the sharded machines were never listed; errors: {error}", Guard);
            Assert.Contains($"akka.tcp://{_node.Name}@localhost:", listed); // under the cluster node's address

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 640 } });
            await page.GotoAsync(url);
            var door = page.Locator("section.machine[data-machine='door-7']");
            await Expect(door.Locator("g.xsn-active[data-path='closed']")).ToHaveCountAsync(1);
            await Expect(page.Locator("section.machine[data-machine='door-8'] g.xsn-active[data-path='closed']")).ToHaveCountAsync(1);

            machines.Tell("door-7", new MachineEvent("OPEN")); // through the shard region; the page follows with no reload

            await Expect(door.Locator("g.xsn-active[data-path='open']")).ToHaveCountAsync(1);
            await Expect(door.Locator("pre.context")).ToContainTextAsync("\"opened\": 1");
            await Expect(page.Locator("section.machine[data-machine='door-8'] g.xsn-active[data-path='closed']")).ToHaveCountAsync(1);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(XStateNetTool.Success, await run.WaitAsync(TimeSpan.FromSeconds(60)));
        }
    }
}
