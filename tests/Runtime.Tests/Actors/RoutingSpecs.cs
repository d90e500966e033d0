using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Actors;

public class RoutingSpecs(ITestOutputHelper output) : TestKit("""
    xstatenet.machines {
      storage   = "akka.tcp://Pipeline@localhost:20003/user/storage"
      processor = "akka.pipe://Pipeline@localhost:20002/user/processor"
      "dotted.id" = "akka://test/user/elsewhere"
    }
    """, output: output)
{
    [Fact]
    public void Routed_ids_resolve_to_their_hocon_path_and_others_to_user_id_locally()
    {
        var routes = MachineRoutes.For(Sys);

        var storage = routes.Resolve("storage");
        Assert.Equal("akka.tcp://Pipeline@localhost:20003/user/storage", storage.Path);
        Assert.Equal("akka.tcp://Pipeline@localhost:20003", storage.Address);
        Assert.False(storage.IsLocal);
        Assert.True(storage.IsRouted);

        var local = routes.Resolve("ingester");
        Assert.Equal("akka://test/user/ingester", local.Path);
        Assert.True(local.IsLocal);
        Assert.False(local.IsRouted);

        Assert.True(routes.Resolve("dotted.id").IsLocal);
        Assert.Equal(3, routes.RoutedIds.Count);
    }

    [Fact]
    public void Actions_see_the_same_resolution()
    {
        var machine = Sys.SpawnMachine("asker", """{ "initial": "a", "states": { "a": { "on": { "ASK": { "actions": "ask" } } } } }""",
            new Dictionary<string, Action<OrchestratedContext>>
            {
                ["ask"] = ctx => TestActor.Tell(ctx.GetTargetProcessInfo((string)ctx.EventData!)),
            });

        machine.Tell(new MachineEvent("ASK", "processor"));
        var info = ExpectMsg<TargetProcessInfo>();
        Assert.Equal("akka.pipe://Pipeline@localhost:20002/user/processor", info.Path);
        Assert.False(info.IsLocal);
    }

    [Fact]
    public void A_routed_send_to_a_local_path_is_delivered()
    {
        Sys.SpawnMachine("elsewhere", """{ "initial": "a", "states": { "a": { "on": { "HI": { "actions": "tell" } } } } }""",
            new Dictionary<string, Action<OrchestratedContext>> { ["tell"] = ctx => TestActor.Tell($"hi from {ctx.SourceMachineId}") });
        var sender = Sys.SpawnMachine("greeter", """{ "initial": "a", "states": { "a": { "on": { "GO": { "actions": "send" } } } } }""",
            new Dictionary<string, Action<OrchestratedContext>> { ["send"] = ctx => ctx.RequestSend("dotted.id", "HI") });

        sender.Tell(new MachineEvent("GO"));
        ExpectMsg("hi from greeter");
    }

    [Fact]
    public void A_route_that_is_not_an_actor_path_is_a_clear_configuration_error()
    {
        var config = ConfigurationFactory.ParseString("""xstatenet.machines { broken = "not a path" }""");
        using var system = ActorSystem.Create("bad-routes-" + Guid.NewGuid().ToString("N")[..8], config);
        var error = Assert.ThrowsAny<Exception>(() => MachineRoutes.For(system));
        Assert.Contains("xstatenet.machines.broken", (error.InnerException ?? error).Message);
    }
}
