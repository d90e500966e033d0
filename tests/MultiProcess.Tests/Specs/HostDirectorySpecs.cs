using XStateNet.Actors.MultiProcess.Tests.Roles;
using XStateNet.Actors.TestKit;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>
/// Machines in several processes find each other by id through the host directory, with no routes between them
/// (the only route is the spec's own to its report probe): ping-pong, broadcast and request/reply; a
/// killed process is never used again and its successor on another port is found; a second live claim of an id
/// fails naming the first process; a corrupt directory file is replaced; files are owner-only.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostDirectorySpecs(ITestOutputHelper output) : ReportingSpec<DirectoryRoles>(output)
{
    /// <summary>The directory sees one host: on by default for the host-local transports only.</summary>
    public static TheoryData<string> HostLocal => new() { "pipe", "shm" };

    [Theory]
    [MemberData(nameof(HostLocal))]
    public async Task Three_processes_play_ping_pong_broadcast_and_request_reply_by_id_with_no_routes(string transport)
    {
        await UseTransport(transport);
        await StartNodes("Left", "Right", "Third");
        foreach (var role in new[] { "Left", "Right", "Third" })
        {
            await RunOn(role, static node =>
            {
                Assert.Equal(["report"], node.System.Settings.Config.GetConfig("xstatenet.machines").AsEnumerable().Select(route => route.Key));
                return Task.CompletedTask;
            });
        }

        Machine("Left", "ping").Tell(new MachineEvent("START", Fields(("rounds", 300), ("target", "pong"))));
        Assert.Equal("pong", Field(await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(60)), "from"));

        Machine("Left", "asker").Tell(new MachineEvent("START", Fields(("rounds", 100), ("target", "answerer"))));
        Assert.Equal("answerer", Field(await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(60)), "from"));

        Machine("Left", "caster").Tell(new MachineEvent("START", Fields(("count", 2000), ("targets", "s1,s2"))));
        await ExpectReport("BROADCAST_SENT", TimeSpan.FromSeconds(60));
        foreach (var (node, id) in new[] { ("Right", "s1"), ("Third", "s2") })
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
        var nodes = await StartNodes("Left", "Right");
        var right = nodes[1];
        Machine("Left", "ping").Tell(new MachineEvent("START", Fields(("rounds", 20), ("target", "pong"))));
        await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(60));

        await Kill("Right");
        var terminated = await ExpectReport("TARGET_TERMINATED", TimeSpan.FromSeconds(60));
        Assert.Equal("pong", Field(terminated, "target"));

        // Its entry is still in the directory (a killed process cannot remove it), but its pid is gone: never chosen.
        Machine("Left", "ping").Tell(new MachineEvent("START", Fields(("rounds", 1), ("target", "pong"))));
        var lost = await ExpectReport("COMMUNICATION_ERROR", TimeSpan.FromSeconds(60));
        Assert.Contains("not in the host directory", (string)Field(lost, "reason")!);
        Assert.DoesNotContain(right.Address.ToString(), (string)Field(lost, "reason")!);

        var successor = await StartAtNewAddress("Right");
        Assert.NotEqual(right.Address.Port, successor.Address.Port);
        Machine("Left", "ping").Tell(new MachineEvent("START", Fields(("rounds", 20), ("target", "pong"))));
        Assert.Equal("pong", Field(await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(60)), "from"));
        Assert.DoesNotContain(DirectoryFiles(), file => file.Contains($"node-{right.Pid}-", StringComparison.Ordinal)); // reclaimed by the successor
    }

    [Theory]
    [MemberData(nameof(HostLocal))]
    public async Task A_second_live_process_claiming_an_id_fails_naming_the_first_unless_the_id_may_move(string transport)
    {
        await UseTransport(transport);
        var first = (await StartNodes("First"))[0];

        var failed = FailedLine(await Assert.ThrowsAsync<TimeoutException>(() => StartNodes("Second")));
        Note(failed);
        Assert.Contains("MachineIdTakenException", failed);
        Assert.Contains("'sink'", failed);
        Assert.Contains($"(pid {first.Pid})", failed);
        Assert.Contains(first.Address.ToString(), failed);

        // Allowed to move: both list it, and the newest claim is the one found.
        await StartNodes("Mover", "Caster");
        Machine("Caster", "caster").Tell(new MachineEvent("START", Fields(("count", 100), ("targets", "sink"))));
        await ExpectReport("BROADCAST_SENT", TimeSpan.FromSeconds(60));
        Assert.Equal(100, ContextNumber(await AwaitReceived("Mover", "sink", 100, TimeSpan.FromSeconds(60)), "received"));
        Assert.Equal(0, ContextNumber(await Snapshot("First", "sink"), "received"));
    }

    [Theory]
    [MemberData(nameof(HostLocal))]
    public async Task A_corrupt_directory_file_is_reported_and_replaced_and_files_are_owner_only(string transport)
    {
        await UseTransport(transport);
        await StartNodes("Left");
        var corrupt = Path.Combine(Folder, "node-1-00000000deadbeef.json");
        await File.WriteAllTextAsync(corrupt, "{\"format\":\"xstatenet-directory/1\",\"pid\":1,\"addr"); // torn, as by a writer that did not rename

        var right = (await StartNodes("Right"))[0];
        Assert.False(File.Exists(corrupt));
        Assert.Contains(right.Log.Split('\n'), line => line.Contains("removed " + corrupt, StringComparison.Ordinal) && line.Contains("not a node file", StringComparison.Ordinal));

        Machine("Left", "ping").Tell(new MachineEvent("START", Fields(("rounds", 5), ("target", "pong"))));
        await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(60));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Folder));
        var files = DirectoryFiles();
        Assert.Equal(2, files.Count);
        Assert.All(files, file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
    }

    /// <summary>The run's directory folder, which the TestKit gives every node of the run (the test node too).</summary>
    private string Folder => Sys.Settings.Config.GetString("xstatenet.directory.path");

    private List<string> DirectoryFiles() => System.IO.Directory.GetFiles(Folder, "node-*.json").ToList();
}
