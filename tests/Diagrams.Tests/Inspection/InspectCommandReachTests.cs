using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Tool;
using XStateNet.Actors.Transport.Pipes;

namespace XStateNet.Actors.Diagrams.Tests.Inspection;

/// <summary>
/// <c>xstatenet inspect</c>, run in-process, reaches a node whose pipe transport keeps its sockets under another
/// folder and prefix than the defaults when told them (<c>--pipe-directory</c>, <c>--pipe-prefix</c>): the page's
/// data lists that node's machine. Nothing of the test is shared: its own host directory, socket folder and prefix.
/// </summary>
public sealed partial class InspectCommandReachTests : IAsyncLifetime
{
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
            var url = await EventuallyAsync(() => Task.FromResult(UrlPattern().Match(output.ToString()) is { Success: true } m ? m.Value : null),
                () => $"no URL printed; output: {output}; errors: {error}");
            var token = new Uri(url).Query; // ?token=...
            using var http = new HttpClient();
            var listed = await EventuallyAsync(async () =>
            {
                var json = await http.GetStringAsync(new Uri(new Uri(url), "api/machines" + token));
                return json.Contains("\"prefixed-door\"", StringComparison.Ordinal) ? json : null;
            }, () => $"the machine was never listed; errors: {error}");
            Assert.Contains("closed", listed);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(XStateNetTool.Success, await run.WaitAsync(TimeSpan.FromSeconds(60)));
        }
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

    private static async Task<string> EventuallyAsync(Func<Task<string?>> attempt, Func<string> why)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60); // a hang guard on a loaded machine, not a speed bound
        while (DateTime.UtcNow < deadline)
        {
            if (await attempt() is { } found) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException(why());
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_\-%]+")]
    private static partial Regex UrlPattern();
}
