using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Tool;
using XStateNet.Actors.Transport.Pipes;
using XStateNet.Actors.Transport.SharedMemory;

namespace XStateNet.Actors.Diagrams.Tests.Inspection;

/// <summary>
/// <c>xstatenet inspect</c>, run in-process, reaches a node whose pipe transport keeps its sockets under another
/// folder and prefix than the defaults when told them (<c>--pipe-directory</c>, <c>--pipe-prefix</c>): the page's
/// data lists that node's machine; given several prefixes (repeated options), it lists the nodes of each, once.
/// Nothing of the test is shared: its own host directory, socket folder and prefixes.
/// </summary>
public sealed class InspectCommandReachTests : IAsyncLifetime
{
    /// <summary>How long a wait may take before it fails: a hang guard on a loaded machine, not a speed bound.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"xsn-icr-{Guid.NewGuid():N}"[..20]);
    private readonly string _sockets = Path.Combine(Path.GetTempPath(), $"xsn-ics-{Guid.NewGuid():N}"[..20]);
    private readonly string _prefix = $"xsn-own-{Guid.NewGuid():N}"[..14];
    private ActorSystem _node = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_sockets);
        _node = ActorSystem.Create("reached", ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.remote.pipe { hostname = "localhost", port = 0, file-prefix = "{{_prefix}}", directory = "{{_sockets}}" }
            xstatenet.directory.path = "{{_folder}}"
            """).WithFallback(PipeConfig.Ready).WithFallback(XStateNetConfig.Default));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _node.Terminate();
        foreach (var folder in new[] { _folder, _sockets })
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Inspect_reaches_a_node_of_another_prefix_and_folder_when_told_them()
    {
        var door = _node.SpawnMachine("prefixed-door", InspectedNode.DoorChart, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["count"] = _ => { },
        });
        await door.Ask<MachineSnapshot>(GetMachineSnapshot.Instance, TimeSpan.FromSeconds(10));
        var output = new StringWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => XStateNetTool.RunAsync(
            ["inspect", "--directory", _folder, "--transport", "pipe", "--refresh", "100",
             "--pipe-prefix", _prefix, "--pipe-directory", _sockets],
            TextWriter.Synchronized(output), TextWriter.Synchronized(error), stop.Token));
        try
        {
            var url = await InspectToolRun.EventuallyAsync(() => Task.FromResult(InspectToolRun.PageUrl(output.ToString())),
                () => $"no URL printed; output: {output}; errors: {error}", Guard);
            var token = new Uri(url).Query; // ?token=...
            using var http = new HttpClient();
            var listed = await InspectToolRun.EventuallyAsync(async () =>
            {
                var json = await http.GetStringAsync(new Uri(new Uri(url), "api/machines" + token));
                return json.Contains("\"prefixed-door\"", StringComparison.Ordinal) ? json : null;
            }, () => $"the machine was never listed; errors: {error}", Guard);
            Assert.Contains("closed", listed);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(XStateNetTool.Success, await run.WaitAsync(TimeSpan.FromSeconds(60)));
        }
    }

    [Fact]
    public async Task Inspect_reaches_nodes_of_several_prefixes_in_one_run_each_listed_once()
    {
        // A second node with a prefix of its own, in the same socket folder, and a third one on shm with a prefix of its own.
        var otherPrefix = $"xsn-two-{Guid.NewGuid():N}"[..14];
        var shmPrefix = $"xsn-shm-{Guid.NewGuid():N}"[..14];
        var second = ActorSystem.Create("reached-too", ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.remote.pipe { hostname = "localhost", port = 0, file-prefix = "{{otherPrefix}}", directory = "{{_sockets}}" }
            xstatenet.directory.path = "{{_folder}}"
            """).WithFallback(PipeConfig.Ready).WithFallback(XStateNetConfig.Default));
        var third = ActorSystem.Create("reached-shm", ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.remote.shm { hostname = "localhost", port = 0, file-prefix = "{{shmPrefix}}", directory = "{{_sockets}}" }
            xstatenet.directory.path = "{{_folder}}"
            """).WithFallback(ShmConfig.Ready).WithFallback(XStateNetConfig.Default));
        // Reachable by two inspecting nodes (the first pipe prefix and the second shm prefix): listed once, by the first.
        var fourth = ActorSystem.Create("reached-both", ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.remote.enabled-transports = ["akka.remote.pipe", "akka.remote.shm"]
            akka.remote.pipe { hostname = "localhost", port = 0, file-prefix = "{{_prefix}}", directory = "{{_sockets}}" }
            akka.remote.shm { hostname = "localhost", port = 0, file-prefix = "{{shmPrefix}}", directory = "{{_sockets}}" }
            xstatenet.directory.path = "{{_folder}}"
            """).WithFallback(PipeConfig.Ready).WithFallback(ShmConfig.Ready).WithFallback(XStateNetConfig.Default));
        var output = new StringWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        Task<int>? run = null;
        try
        {
            var actions = new Dictionary<string, Action<OrchestratedContext>> { ["count"] = _ => { } };
            var doors = new[]
            {
                _node.SpawnMachine("door-of-first", InspectedNode.DoorChart, actions),
                second.SpawnMachine("door-of-second", InspectedNode.DoorChart, actions),
                third.SpawnMachine("door-of-third", InspectedNode.DoorChart, actions),
                fourth.SpawnMachine("door-of-fourth", InspectedNode.DoorChart, actions),
            };
            foreach (var door in doors) await door.Ask<MachineSnapshot>(GetMachineSnapshot.Instance, TimeSpan.FromSeconds(10));
            run = Task.Run(() => XStateNetTool.RunAsync(
                ["inspect", "--directory", _folder, "--refresh", "100",
                 "--pipe-prefix", _prefix, "--pipe-prefix", otherPrefix, "--pipe-directory", _sockets,
                 "--shm-prefix", "xsn-nobody", "--shm-prefix", shmPrefix, "--shm-directory", _sockets],
                TextWriter.Synchronized(output), TextWriter.Synchronized(error), stop.Token));
            var url = await InspectToolRun.EventuallyAsync(() => Task.FromResult(InspectToolRun.PageUrl(output.ToString())),
                () => $"no URL printed; output: {output}; errors: {error}", Guard);
            Assert.Contains("4 inspecting nodes", output.ToString());
            var token = new Uri(url).Query;
            using var http = new HttpClient();
            string[] ids = ["door-of-first", "door-of-second", "door-of-third", "door-of-fourth"];
            var listed = await InspectToolRun.EventuallyAsync(async () =>
            {
                var json = await http.GetStringAsync(new Uri(new Uri(url), "api/machines" + token));
                return ids.All(id => json.Contains($"\"{id}\"", StringComparison.Ordinal)) ? json : null;
            }, () => $"not every machine was listed; errors: {error}", Guard);
            // Each node is asked by one inspecting node only: each machine once, under its own node's address.
            foreach (var id in ids) Assert.Single(Regex.Matches(listed, $"\"id\":\"{id}\""));
            Assert.Contains("akka.shm://reached-shm@", listed);
            Assert.Contains("akka.pipe://reached-too@", listed);
            Assert.Contains("akka.pipe://reached-both@", listed);
            Assert.DoesNotContain("akka.shm://reached-both@", listed);
        }
        finally
        {
            await stop.CancelAsync();
            if (run is not null) Assert.Equal(XStateNetTool.Success, await run.WaitAsync(TimeSpan.FromSeconds(60)));
            await second.Terminate();
            await third.Terminate();
            await fourth.Terminate();
        }
    }

    [Fact]
    public async Task Several_prefixes_of_a_transport_not_run_are_refused_naming_the_option()
    {
        var error = new StringWriter();
        var code = await XStateNetTool.RunAsync(["inspect", "--transport", "shm", "--pipe-prefix", "a", "--pipe-prefix", "b"], new StringWriter(), error);
        Assert.Equal(XStateNetTool.Failure, code);
        Assert.Contains("--pipe-prefix", error.ToString());
        Assert.Contains("--transport shm", error.ToString());
    }

    [Theory]
    [InlineData("--pipe-directory", "relative/dir", "give an absolute path")]
    [InlineData("--pipe-prefix", "", "give a prefix")]
    [InlineData("--shm-directory", "shm", "give an absolute path")]
    public async Task Bad_reach_options_are_refused_naming_the_option(string option, string value, string problem)
    {
        var error = new StringWriter();
        var code = await XStateNetTool.RunAsync(["inspect", option, value], new StringWriter(), error);
        Assert.Equal(XStateNetTool.Failure, code);
        Assert.Contains(option, error.ToString());
        Assert.Contains(problem, error.ToString());
    }
}
