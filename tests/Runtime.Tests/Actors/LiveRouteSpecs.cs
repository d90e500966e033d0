using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Actors;

/// <summary>
/// MachineRoutes change at run time: a host program re-points or removes a route and the next send follows; a
/// target that terminates is resolved afresh on the next send.
/// </summary>
public sealed class LiveRouteSpecs(ITestOutputHelper output) : TestKit("""
    xstatenet.machines { alias = "akka://test/user/first" }
    xstatenet.resolve-timeout = 5s
    """, output: output)
{
    private const string Sender = """
        { "initial": "a", "states": { "a": { "on": {
            "GO": { "actions": "send" },
            "error.communication": { "actions": "report" },
            "xstatenet.target.terminated": { "actions": "report" } } } } }
        """;

    [Fact]
    public void A_route_set_at_run_time_takes_over_on_the_next_send()
    {
        Receiver("first");
        Receiver("second");
        var sender = SpawnSender("resetter", "alias");

        sender.Tell(new MachineEvent("GO"));
        ExpectMsg("first got HI from resetter", TimeSpan.FromSeconds(10));

        MachineRoutes.For(Sys).SetRoute("alias", "akka://test/user/second");
        sender.Tell(new MachineEvent("GO"));
        ExpectMsg("second got HI from resetter", TimeSpan.FromSeconds(10));
        Assert.Equal("akka://test/user/second", MachineRoutes.For(Sys).Resolve("alias").Path);
    }

    [Fact]
    public void A_removed_route_leaves_the_id_to_be_found_like_any_other()
    {
        var routes = MachineRoutes.For(Sys);
        routes.SetRoute("moving", "akka://test/user/first");
        Receiver("first");
        var sender = SpawnSender("remover", "moving");
        sender.Tell(new MachineEvent("GO"));
        ExpectMsg("first got HI from remover", TimeSpan.FromSeconds(10));

        Assert.True(routes.RemoveRoute("moving"));
        Assert.False(routes.RemoveRoute("moving"));
        Receiver("moving");
        sender.Tell(new MachineEvent("GO"));
        ExpectMsg("moving got HI from remover", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_route_that_is_no_actor_path_is_refused_with_the_reason()
    {
        var error = Assert.Throws<ArgumentException>(() => MachineRoutes.For(Sys).SetRoute("bad", "not a path"));
        Assert.Contains("'bad'", error.Message);
        Assert.Contains("has no scheme", error.Message);
    }

    [Fact]
    public void After_its_target_terminates_the_next_send_resolves_the_id_again()
    {
        var first = Receiver("target");
        var sender = SpawnSender("resender", "target");
        sender.Tell(new MachineEvent("GO"));
        ExpectMsg("target got HI from resender", TimeSpan.FromSeconds(10));

        Sys.Stop(first);
        ExpectMsg("xstatenet.target.terminated target", TimeSpan.FromSeconds(10));
        AwaitCondition(() => Sys.ActorSelection("/user/target").Ask<ActorIdentity>(new Identify(null)).Result.Subject is null, TimeSpan.FromSeconds(10));
        Receiver("target");
        sender.Tell(new MachineEvent("GO"));
        ExpectMsg("target got HI from resender", TimeSpan.FromSeconds(10));
    }

    private IActorRef Receiver(string id) =>
        Sys.SpawnMachine(id, """{ "initial": "a", "states": { "a": { "on": { "HI": { "actions": "got" } } } } }""",
            new Dictionary<string, Action<OrchestratedContext>> { ["got"] = ctx => TestActor.Tell($"{ctx.MachineId} got HI from {ctx.SourceMachineId}") });

    private IActorRef SpawnSender(string id, string target) =>
        Sys.SpawnMachine(id, Sender, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["send"] = ctx => ctx.RequestSend(target, "HI"),
            ["report"] = ctx => TestActor.Tell(ctx.Payload switch
            {
                MachineTerminated terminated => $"{ctx.EventName} {terminated.MachineId}",
                CommunicationError error => $"{ctx.EventName} {error.TargetMachineId}: {error.Reason}",
                var other => $"{ctx.EventName} {other}",
            }),
        });
}
