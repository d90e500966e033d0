using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Akka.TestKit.Xunit2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Hosting;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Actors;

/// <summary>
/// A bad route fails the node at start-up with its key and the problem named (not every machine in its
/// constructor after the node said it was ready); a route to a transport this node does not run raises
/// <c>error.communication</c> naming the scheme and <c>akka.remote.enabled-transports</c>.
/// </summary>
public sealed class RouteValidationSpecs(ITestOutputHelper output) : TestKit(NodeConfig(), "RouteCheck", output)
{
    private const string Sender = """
        { "initial": "a", "states": { "a": { "on": { "GO": { "actions": "send" }, "error.communication": { "actions": "report" } } } } }
        """;

    public static TheoryData<string, string, string> BadRoutes => new()
    {
        { "broken = \"not a path\"", "xstatenet.machines.broken", "has no scheme" },
        { "noport = \"akka.tcp://Sys@localhost/user/noport\"", "xstatenet.machines.noport", "needs a host and a port" },
        { "noactor = \"akka.tcp://Sys@localhost:2552\"", "xstatenet.machines.noactor", "names no actor" },
        { "empty = \"\"", "xstatenet.machines.empty", "is empty" },
        { "web = \"http://Sys@localhost:80/user/web\"", "xstatenet.machines.web", "not an Akka scheme" },
        { "dotted.id = \"akka.tcp://Sys@localhost:2552/user/x\"", "xstatenet.machines.dotted", "must be quoted" },
        { "list = [\"akka.tcp://Sys@localhost:2552/user/x\"]", "xstatenet.machines.list", "is a list" },
    };

    [Theory]
    [MemberData(nameof(BadRoutes))]
    public void A_bad_route_is_refused_with_its_key_and_problem_when_the_config_is_completed(string route, string key, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => MachineRoutes.Validate(Routes(route).WithFallback(XStateNetConfig.Default)));
        Assert.Contains(key, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [MemberData(nameof(BadRoutes))]
    public void A_bad_route_fails_the_first_spawn_in_the_caller_not_in_the_machine(string route, string key, string problem)
    {
        using var system = ActorSystem.Create("bad-routes-" + Guid.NewGuid().ToString("N")[..8], Routes(route).WithFallback(XStateNetConfig.Default));
        var error = Assert.Throws<ConfigurationException>(() => system.SpawnMachine("m", Sender, Actions(_ => { })));
        Assert.Contains(key, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_local_path_of_another_actor_system_is_refused()
    {
        using var system = ActorSystem.Create("Mine", Routes("other = \"akka://Theirs/user/other\"").WithFallback(XStateNetConfig.Default));
        var error = Assert.Throws<ConfigurationException>(() => MachineRoutes.For(system));
        Assert.Contains("xstatenet.machines.other", error.Message);
        Assert.Contains("'Theirs'", error.Message);
    }

    [Fact]
    public async Task A_bad_route_fails_the_hosts_start()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("hosted-" + Guid.NewGuid().ToString("N")[..8], builder => builder
                .AddHocon("xstatenet.machines { broken = \"akka.tcp://Sys@localhost/user/broken\" }", HoconAddMode.Prepend)
                .WithMachine("m", Sender, Actions(_ => { }))))
            .Build();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        var chain = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains("xstatenet.machines.broken", chain);
        Assert.Contains("needs a host and a port", chain);
        await host.StopAsync();
    }

    [Fact]
    public void A_route_to_a_transport_this_node_does_not_run_raises_error_communication_at_once()
    {
        var machine = Sys.SpawnMachine("sender", Sender, Actions(ctx => ctx.RequestSend("viaPipe", "HELLO", 42)));

        machine.Tell(new MachineEvent("GO"));

        // At once, not after resolve-timeout (60 s here).
        var error = ExpectMsg<CommunicationError>(TimeSpan.FromSeconds(10));
        Assert.Equal("viaPipe", error.TargetMachineId);
        Assert.Equal("HELLO", error.EventName);
        Assert.Equal(42, error.Payload);
        Assert.Contains("akka.pipe", error.Reason);
        Assert.Contains("akka.remote.enabled-transports", error.Reason);
        Assert.Contains("akka.remote.dot-netty.tcp", error.Reason);
    }

    [Fact]
    public void An_error_communication_the_chart_does_not_handle_is_logged_as_a_warning_with_what_was_lost()
    {
        var quiet = Sys.SpawnMachine("quiet", """{ "initial": "idle", "states": { "idle": { "on": { "GO": { "actions": "send" } } } } }""",
            new Dictionary<string, Action<OrchestratedContext>> { ["send"] = ctx => ctx.RequestSend("viaPipe", "HELLO") });

        EventFilter.Warning(contains: "Machine 'quiet' could not send 'HELLO' to 'viaPipe': akka.pipe is not a transport of this node")
            .ExpectOne(TimeSpan.FromSeconds(10), () => quiet.Tell(new MachineEvent("GO")));
    }

    [Fact]
    public void An_error_communication_the_chart_handles_is_not_logged()
    {
        var handling = Sys.SpawnMachine("handling", Sender, Actions(ctx => ctx.RequestSend("viaPipe", "HELLO")));

        EventFilter.Warning(contains: "could not send").Expect(0, TimeSpan.FromSeconds(2), () =>
        {
            handling.Tell(new MachineEvent("GO"));
            ExpectMsg<CommunicationError>(TimeSpan.FromSeconds(10));
        });
    }

    [Fact]
    public void A_remote_route_on_a_node_without_remoting_raises_error_communication_at_once()
    {
        using var local = ActorSystem.Create("plain-" + Guid.NewGuid().ToString("N")[..8],
            Routes("far = \"akka.tcp://Sys@localhost:2552/user/far\"").WithFallback(ConfigurationFactory.ParseString("xstatenet.resolve-timeout = 60s")).WithFallback(XStateNetConfig.Default));
        local.SpawnMachine("sender", Sender, Actions(ctx => ctx.RequestSend("far", "HELLO"))).Tell(new MachineEvent("GO"));

        var error = ExpectMsg<CommunicationError>(TimeSpan.FromSeconds(10));
        Assert.Contains("no remoting", error.Reason);
    }

    private Dictionary<string, Action<OrchestratedContext>> Actions(Action<OrchestratedContext> send) => new()
    {
        ["send"] = send,
        ["report"] = ctx => TestActor.Tell(ctx.Payload),
    };

    private static Config Routes(string routes) => ConfigurationFactory.ParseString($"xstatenet.machines {{\n{routes}\n}}");

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException) yield return e;
    }

    private static Config NodeConfig() => ConfigurationFactory.ParseString($$"""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = {{FreePort()}} }
        xstatenet.resolve-timeout = 60s
        xstatenet.machines { viaPipe = "akka.pipe://Other@localhost:20002/user/viaPipe" }
        """).WithFallback(XStateNetConfig.Default);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
