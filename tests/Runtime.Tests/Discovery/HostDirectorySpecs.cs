using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Discovery;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Discovery;

/// <summary>
/// The host directory with actor systems of this process (over tcp with the directory forced on, each spec in a
/// folder of its own): lookups by id with no route, the duplicate-id rule, dead and reused pids, stale heartbeats,
/// corrupt, torn and oversized files, and owner-only modes. Across processes: see the multi-process specs and
/// <see cref="ConcurrentWriterSpecs"/>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostDirectorySpecs : TestKit, IDisposable
{
    private const string Receiver = """{ "initial": "a", "states": { "a": { "on": { "HI": { "actions": "got" } } } } }""";
    private const string Sender = """
        { "initial": "a", "states": { "a": { "on": { "GO": { "actions": "send" }, "error.communication": { "actions": "report" } } } } }
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"xstatenet-dirspec-{Guid.NewGuid():N}");
    private readonly List<ActorSystem> _systems = new();

    public HostDirectorySpecs(ITestOutputHelper output) : base("akka.loglevel = INFO", "test", output)
    {
    }

    [Fact]
    public void A_machine_of_another_node_is_found_by_id_with_no_route_and_files_are_owner_only()
    {
        var left = Node("Left");
        var right = Node("Right");
        SpawnReceiver(right, "far");

        SpawnSender(left, "near", "far").Tell(new MachineEvent("GO"));

        ExpectMsg("far got HI from near on Right", TimeSpan.FromSeconds(20));
        var own = HostDirectory.For(right).OwnFile;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(own));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));
        var record = NodeFileFormat.Read(File.ReadAllBytes(own), 10);
        Assert.Equal(Environment.ProcessId, record.Pid);
        Assert.Contains(((ExtendedActorSystem)right).Provider.DefaultAddress.ToString(), record.Addresses);
        Assert.Contains(record.Machines, machine => machine is { Id: "far", Path: "/user/far" });
    }

    [Fact]
    public void A_machine_spawned_after_a_failed_lookup_is_found_by_the_next_send()
    {
        var left = Node("Left");
        var right = Node("Right");
        var sender = SpawnSender(left, "early", "late");
        sender.Tell(new MachineEvent("GO"));
        Assert.Contains("not in the host directory", ExpectMsg<string>(TimeSpan.FromSeconds(20)));

        SpawnReceiver(right, "late");
        sender.Tell(new MachineEvent("GO"));
        ExpectMsg("late got HI from early on Right", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void A_second_live_claim_of_an_id_fails_naming_the_first_process_unless_the_id_may_move()
    {
        var left = Node("Left");
        SpawnReceiver(left, "single");
        var right = Node("Right");

        var taken = Assert.Throws<MachineIdTakenException>(() => SpawnReceiver(right, "single"));
        Assert.Equal("single", taken.MachineId);
        Assert.Equal(Environment.ProcessId, taken.OwnerPid);
        Assert.Contains(((ExtendedActorSystem)left).Provider.DefaultAddress.ToString(), taken.Message);
        Assert.Contains("xstatenet.directory.movable-ids", taken.Message);

        var mover = Node("Mover", extra: "xstatenet.directory.movable-ids = [single]");
        SpawnReceiver(mover, "single"); // allowed: and as the newest claim, it is the one found
        SpawnSender(right, "caller", "single").Tell(new MachineEvent("GO"));
        ExpectMsg("single got HI from caller on Mover", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Entries_of_dead_or_reused_pids_and_stale_heartbeats_are_never_used_and_dead_ones_are_reclaimed()
    {
        var left = Node("Left", resolveTimeout: "1s");
        var sender = SpawnSender(left, "asker", null);
        var deadPid = DeadPid();
        var ghostAddress = $"akka.tcp://Ghost@127.0.0.1:{FreePort()}";
        var dead = WriteForeign($"node-{deadPid}-0000000000000001.json", new NodeRecord(deadPid, 1, [ghostAddress], [new MachineRecord("ghost", "/user/ghost", 1)]));
        var reused = WriteForeign($"node-{Environment.ProcessId}-0000000000000002.json",
            new NodeRecord(Environment.ProcessId, ProcessStart.Of(Environment.ProcessId)!.Value + 1, [ghostAddress], [new MachineRecord("reused", "/user/reused", 1)]));
        var stale = WriteForeign($"node-{Environment.ProcessId}-0000000000000003.json",
            new NodeRecord(Environment.ProcessId, ProcessStart.Of(Environment.ProcessId)!.Value, [ghostAddress], [new MachineRecord("frozen", "/user/frozen", 1)]));
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));

        foreach (var id in new[] { "ghost", "reused", "frozen" })
        {
            sender.Tell(new MachineEvent("GO", id));
            var reason = ExpectMsg<string>(TimeSpan.FromSeconds(20));
            Assert.Contains("not in the host directory", reason);
            Assert.DoesNotContain("Ghost", reason);
        }

        SpawnReceiver(left, "writer"); // the next writer reclaims what belongs to dead processes
        Assert.False(File.Exists(dead));
        Assert.False(File.Exists(reused));
        Assert.True(File.Exists(stale)); // its process runs: frozen maybe, not dead
        SpawnReceiver(Node("Right"), "ghost"); // the dead process's id is free
    }

    [Fact]
    public void Corrupt_foreign_torn_and_oversized_files_are_reported_skipped_and_replaced_by_the_next_writer()
    {
        var right = Node("Right");
        SpawnReceiver(right, "target");
        var left = Node("Left");
        var reader = SpawnSender(left, "reader", "target");
        var corrupt = Path.Combine(_folder, "node-1-00000000000000aa.json");
        File.WriteAllText(corrupt, "{\"format\":\"xstatenet-directory/1\",\"pid\":"); // torn by a writer that did not rename
        var foreign = Path.Combine(_folder, "node-2-00000000000000bb.json");
        File.WriteAllText(foreign, "{\"hello\":\"I am someone else's\"}");
        var huge = Path.Combine(_folder, "node-3-00000000000000cc.json");
        File.WriteAllBytes(huge, new byte[2 * 1024 * 1024]);
        var tornTemp = Path.Combine(_folder, "node-4-00000000000000dd.json.0123.tmp");
        File.WriteAllText(tornTemp, "{\"format\":\"xstatenet-dire");
        File.SetLastWriteTimeUtc(tornTemp, DateTime.UtcNow.AddHours(-1));

        CreateEventFilter(left).Warning(contains: "ignoring").Expect(3, TimeSpan.FromSeconds(20), () =>
        {
            reader.Tell(new MachineEvent("GO"));
            ExpectMsg("target got HI from reader on Right", TimeSpan.FromSeconds(20));
        });

        CreateEventFilter(left).Warning(contains: "removed").Expect(3, TimeSpan.FromSeconds(20), () => SpawnReceiver(left, "writer"));
        Assert.False(File.Exists(corrupt));
        Assert.False(File.Exists(foreign));
        Assert.False(File.Exists(huge));
        Assert.False(File.Exists(tornTemp));
        Assert.True(File.Exists(HostDirectory.For(right).OwnFile));
    }

    [Fact]
    public void A_folder_open_to_other_users_is_refused_naming_the_setting()
    {
        System.IO.Directory.CreateDirectory(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var left = Node("Left");

        var error = Assert.Throws<ConfigurationException>(() => SpawnReceiver(left, "anything"));
        Assert.Contains("xstatenet.directory.path", error.Message);
        Assert.Contains("owner-only", error.Message);
    }

    [Fact]
    public async Task A_stopped_machine_is_withdrawn_and_a_stopped_node_removes_its_file()
    {
        var right = Node("Right");
        var machine = SpawnReceiver(right, "brief");
        var own = HostDirectory.For(right).OwnFile;
        Watch(machine);
        right.Stop(machine);
        ExpectTerminated(machine);
        AwaitAssert(() => Assert.DoesNotContain(NodeFileFormat.Read(File.ReadAllBytes(own), 10).Machines, m => m.Id == "brief"), TimeSpan.FromSeconds(10));

        await right.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(File.Exists(own));
    }

    [Fact]
    public void Bad_directory_settings_are_refused_naming_their_key()
    {
        var error = Assert.Throws<ConfigurationException>(() => HostDirectory.For(Node("Bad", extra: "xstatenet.directory.enabled = sometimes")));
        Assert.Contains("xstatenet.directory.enabled", error.Message);
        error = Assert.Throws<ConfigurationException>(() => HostDirectory.For(Node("Typo", extra: "xstatenet.directory.heartbeat-intervall = 1s")));
        Assert.Contains("xstatenet.directory.heartbeat-intervall", error.Message);
        error = Assert.Throws<ConfigurationException>(() => HostDirectory.For(Node("Stale", extra: "xstatenet.directory.stale-after = 1s")));
        Assert.Contains("xstatenet.directory.stale-after", error.Message);
    }

    /// <inheritdoc />
    protected override void AfterAll()
    {
        foreach (var system in _systems) system.Terminate().Wait(TimeSpan.FromSeconds(20));
        base.AfterAll();
    }

    void IDisposable.Dispose()
    {
        Dispose();
        if (System.IO.Directory.Exists(_folder)) System.IO.Directory.Delete(_folder, recursive: true);
    }

    private ActorSystem Node(string name, string resolveTimeout = "10s", string extra = "")
    {
        var system = ActorSystem.Create(name, ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.loglevel = INFO
            akka.loggers = ["Akka.TestKit.TestEventListener, Akka.TestKit"]
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = {{FreePort()}} }
            xstatenet.resolve-timeout = {{resolveTimeout}}
            xstatenet.directory { enabled = on, path = "{{_folder}}" }
            {{extra}}
            """).WithFallback(XStateNetConfig.Default));
        _systems.Add(system);
        return system;
    }

    private IActorRef SpawnReceiver(ActorSystem system, string id) =>
        system.SpawnMachine(id, Receiver, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["got"] = ctx => TestActor.Tell($"{ctx.MachineId} got HI from {ctx.SourceMachineId} on {system.Name}"),
        });

    /// <summary>A sender to <paramref name="target"/>, or to the id in GO's payload when null.</summary>
    private IActorRef SpawnSender(ActorSystem system, string id, string? target) =>
        system.SpawnMachine(id, Sender, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["send"] = ctx => ctx.RequestSend(target ?? (string)ctx.Payload!, "HI"),
            ["report"] = ctx => TestActor.Tell(((CommunicationError)ctx.Payload!).Reason),
        });

    private string WriteForeign(string name, NodeRecord record)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, NodeFileFormat.Write(record));
        return path;
    }

    /// <summary>The pid of a process that has exited (and been reaped).</summary>
    private static int DeadPid()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
