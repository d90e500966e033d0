using XStateNet.Actors.MultiProcess.Tests.Harness;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>
/// Machines in several processes find each other by id through the host directory, with no routes between them
/// (the only route is the harness's own to the test's report actor): ping-pong, broadcast and request/reply; a
/// killed process is never used again and its successor on another port is found; a second live claim of an id
/// fails naming the first process; a corrupt directory file is replaced; files are owner-only.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostDirectorySpecs(ITestOutputHelper output) : MultiProcessSpec(output)
{
    /// <summary>The directory sees one host: on by default for the host-local transports only.</summary>
    public static TheoryData<string> HostLocal => new() { "pipe", "shm" };

    [Theory]
    [MemberData(nameof(HostLocal))]
    public async Task Three_processes_play_ping_pong_broadcast_and_request_reply_by_id_with_no_routes(string transport)
    {
        await UseTransport(transport);
        // The first association on a loaded two-core host can take longer than the default 5 s.
        var left = Plan("Left").Hosting("ping", "pinger").Hosting("asker", "pinger").Hosting("caster", "broadcaster").With("xstatenet.resolve-timeout", "30s");
        var right = Plan("Right").Hosting("pong", "ponger").Hosting("s1", "sink");
        var third = Plan("Third").Hosting("answerer", "replier").Hosting("s2", "sink");
        await StartNodes(left, right, third);
        Assert.All(new[] { left, right, third }, plan => Assert.Empty(plan.Routes));

        Machine(left, "ping").Tell(new MachineEvent("START", Fields(("rounds", 300), ("target", "pong"))));
        Assert.Equal("pong", Field(await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(60)), "from"));

        Machine(left, "asker").Tell(new MachineEvent("START", Fields(("rounds", 100), ("target", "answerer"))));
        Assert.Equal("answerer", Field(await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(60)), "from"));

        Machine(left, "caster").Tell(new MachineEvent("START", Fields(("count", 2000), ("targets", "s1,s2"))));
        await ExpectReport("BROADCAST_SENT", TimeSpan.FromSeconds(60));
        foreach (var (node, id) in new[] { (right, "s1"), (third, "s2") })
        {
            var snapshot = await AwaitReceived(node, id, 2000, TimeSpan.FromSeconds(60));
            Assert.Equal(2000, ContextNumber(snapshot, "received"));
            Assert.Equal(0, ContextNumber(snapshot, "outOfOrder"));
        }
    }

    [Theory]
    [MemberData(nameof(HostLocal))]
    public async Task A_killed_process_is_never_used_and_its_successor_on_another_port_is_found(string transport)
    {
        await UseTransport(transport);
        var left = Plan("Left").Hosting("ping", "pinger").With("xstatenet.resolve-timeout", "30s");
        var right = Plan("Right").Hosting("pong", "ponger");
        var nodes = await StartNodes(left, right);
        Machine(left, "ping").Tell(new MachineEvent("START", Fields(("rounds", 20), ("target", "pong"))));
        await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(60));

        nodes[1].Kill();
        Assert.True(await nodes[1].WaitForExit(TimeSpan.FromSeconds(30)));
        var terminated = await ExpectReport("TARGET_TERMINATED", TimeSpan.FromSeconds(60));
        Assert.Equal("pong", Field(terminated, "target"));

        // Its entry is still in the directory (a killed process cannot remove it), but its pid is gone: never chosen.
        Machine(left, "ping").Tell(new MachineEvent("START", Fields(("rounds", 1), ("target", "pong"))));
        var lost = await ExpectReport("COMMUNICATION_ERROR", TimeSpan.FromSeconds(60));
        Assert.Contains("not in the host directory", (string)Field(lost, "reason")!);
        Assert.DoesNotContain(right.Address.ToString(), (string)Field(lost, "reason")!);

        var successor = Plan("Right").Hosting("pong", "ponger");
        Assert.NotEqual(right.Port, successor.Port);
        await StartNode(successor);
        Machine(left, "ping").Tell(new MachineEvent("START", Fields(("rounds", 20), ("target", "pong"))));
        Assert.Equal("pong", Field(await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(60)), "from"));
        Assert.DoesNotContain(DirectoryFiles(), file => file.Contains($"node-{nodes[1].Pid}-", StringComparison.Ordinal)); // reclaimed by the successor
    }

    [Theory]
    [MemberData(nameof(HostLocal))]
    public async Task A_second_live_process_claiming_an_id_fails_naming_the_first_unless_the_id_may_move(string transport)
    {
        await UseTransport(transport);
        var firstPlan = Plan("First").Hosting("sink", "sink");
        var first = await StartNode(firstPlan);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => StartNode(Plan("Second").Hosting("sink", "sink")));
        var failed = error.Message.Split('\n').Single(line => line.StartsWith("FAILED ", StringComparison.Ordinal));
        Note(failed);
        Assert.Contains("MachineIdTakenException", failed);
        Assert.Contains("'sink'", failed);
        Assert.Contains($"(pid {first.Pid})", failed);
        Assert.Contains(first.Address.ToString(), failed);

        // Allowed to move: both list it, and the newest claim is the one found.
        var mover = Plan("Mover").Hosting("sink", "sink").With("xstatenet.directory.movable-ids", "[sink]");
        var caster = Plan("Caster").Hosting("caster", "broadcaster").With("xstatenet.resolve-timeout", "30s");
        await StartNodes(mover, caster);
        Machine(caster, "caster").Tell(new MachineEvent("START", Fields(("count", 100), ("targets", "sink"))));
        await ExpectReport("BROADCAST_SENT", TimeSpan.FromSeconds(60));
        Assert.Equal(100, ContextNumber(await AwaitReceived(mover, "sink", 100, TimeSpan.FromSeconds(60)), "received"));
        Assert.Equal(0, ContextNumber(await Snapshot(firstPlan, "sink"), "received"));
    }

    [Theory]
    [MemberData(nameof(HostLocal))]
    public async Task A_corrupt_directory_file_is_reported_and_replaced_and_files_are_owner_only(string transport)
    {
        await UseTransport(transport);
        var left = Plan("Left").Hosting("ping", "pinger");
        await StartNode(left);
        var corrupt = Path.Combine(Folder, "node-1-00000000deadbeef.json");
        await File.WriteAllTextAsync(corrupt, "{\"format\":\"xstatenet-directory/1\",\"pid\":1,\"addr"); // torn, as by a writer that did not rename

        var right = await StartNode(Plan("Right").Hosting("pong", "ponger"));
        Assert.False(File.Exists(corrupt));
        Assert.Contains(right.OutputText().Split('\n'), line => line.Contains("removed " + corrupt, StringComparison.Ordinal) && line.Contains("not a node file", StringComparison.Ordinal));

        Machine(left, "ping").Tell(new MachineEvent("START", Fields(("rounds", 5), ("target", "pong"))));
        await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(60));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Folder));
        var files = DirectoryFiles();
        Assert.Equal(2, files.Count);
        Assert.All(files, file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
    }

    /// <summary>The run's directory folder, as the catalogue gives it to every node of the run.</summary>
    private string Folder =>
        Transport.RunSettings(Run).Single(setting => setting.Key == "xstatenet.directory.path").Value.Trim('"');

    private List<string> DirectoryFiles() => System.IO.Directory.GetFiles(Folder, "node-*.json").ToList();

    private async Task<MachineSnapshot> AwaitReceived(NodePlan node, string id, long expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            ThrowIfAnyReport($"waiting for {id}"); // a lost event is reported by its sender: show why
            var snapshot = await Snapshot(node, id);
            if (ContextNumber(snapshot, "received") >= expected || DateTime.UtcNow > deadline) return snapshot;
            await Task.Delay(100);
        }
    }
}
