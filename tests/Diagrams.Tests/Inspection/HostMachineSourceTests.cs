using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Inspection;
using XStateNet.Actors.Transport.Pipes;

namespace XStateNet.Actors.Diagrams.Tests.Inspection;

/// <summary>
/// <see cref="HostMachineSource"/> between two nodes of this process over the pipe transport, sharing a host directory
/// of the test's own: the inspecting node lists the other's machine with its chart, sees its steps and raises
/// <see cref="IMachineSource.Changed"/>, and drops the machine once it stops. (The tool on a real multi-process
/// pipeline: tests/Pipeline.Tests/InspectorSpecs.)
/// </summary>
public sealed class HostMachineSourceTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"xsn-hms-{Guid.NewGuid():N}");
    private readonly string _prefix = $"xsn-hms-{Guid.NewGuid():N}"[..16];
    private ActorSystem _node = null!;
    private ActorSystem _inspecting = null!;

    public Task InitializeAsync()
    {
        // The folder is created owner-only by the first node that opens the directory.
        _node = ActorSystem.Create("node", Config());
        _inspecting = ActorSystem.Create("inspecting", Config());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_node.Terminate(), _inspecting.Terminate());
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Lists_the_other_nodes_machine_with_its_chart_follows_its_steps_and_drops_it_when_it_stops()
    {
        var door = _node.SpawnMachine("door", InspectedNode.DoorChart, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["count"] = ctx => ctx.Context["opened"] = Convert.ToInt64(ctx.Context["opened"]) + 1,
        });
        await door.Ask<MachineSnapshot>(GetMachineSnapshot.Instance, TimeSpan.FromSeconds(10));
        using var source = new HostMachineSource(_inspecting, TimeSpan.FromMilliseconds(50));
        var changes = 0;
        source.Changed += () => Interlocked.Increment(ref changes);

        var listed = await EventuallyAsync(source, m => m.Count == 1 && m[0].ActiveStates.SequenceEqual(["closed"]));
        var machine = listed[0];
        Assert.Equal("door", machine.Id);
        Assert.Equal("door", machine.Chart.Id);
        Assert.Matches(@"^akka\.pipe://node@localhost:\d+ \(pid \d+\)$", machine.Node);
        Assert.Equal(["xstate.init"], machine.LastEvents.Select(e => e.EventName));

        var before = Volatile.Read(ref changes);
        door.Tell(new MachineEvent("OPEN"));
        listed = await EventuallyAsync(source, m => m.Count == 1 && m[0].ActiveStates.SequenceEqual(["open"]));
        Assert.Equal(1L, Convert.ToInt64(listed[0].Context["opened"]));
        Assert.Equal("OPEN", listed[0].LastEvents[^1].EventName);
        Assert.True(Volatile.Read(ref changes) > before, "a step raises Changed, so the page refreshes");

        await door.GracefulStop(TimeSpan.FromSeconds(10));
        await EventuallyAsync(source, m => m.Count == 0);
    }

    [Fact]
    public void A_node_without_the_host_directory_is_refused_naming_the_setting()
    {
        using var off = ActorSystem.Create("off", ConfigurationFactory.ParseString("xstatenet.directory.enabled = off").WithFallback(Config()));
        var refused = Assert.ThrowsAny<ConfigurationException>(() => new HostMachineSource(off));
        Assert.Contains("xstatenet.directory.enabled", refused.Message);
    }

    /// <summary>One pipe prefix for both: a node finds a peer's pipe under its own prefix (the address does not carry it).</summary>
    private Config Config() => ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        akka.remote.pipe { hostname = "localhost", port = 0, file-prefix = "{{_prefix}}" }
        xstatenet.directory.path = "{{_folder}}"
        """).WithFallback(PipeConfig.Ready).WithFallback(XStateNetConfig.Default);

    private static async Task<IReadOnlyList<InspectedMachine>> EventuallyAsync(IMachineSource source, Func<IReadOnlyList<InspectedMachine>, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        IReadOnlyList<InspectedMachine> last;
        do
        {
            last = await source.GetMachinesAsync(CancellationToken.None);
            if (done(last)) return last;
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"the source listed [{string.Join(", ", last.Select(m => $"{m.Id}: {string.Join(",", m.ActiveStates)}"))}]");
    }
}
