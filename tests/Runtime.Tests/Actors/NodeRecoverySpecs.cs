using Akka.Actor;
using Akka.Configuration;
using Akka.Remote;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Hosting;

namespace XStateNet.Actors.Tests.Actors;

/// <summary>
/// What a node does once its peers have declared it dead (here: Akka's <see cref="ThisActorSystemQuarantinedEvent"/>,
/// published as Akka publishes it when a peer refuses this node): restart its actor system in the process under
/// <see cref="RecoveringNode"/>, shut down for a supervisor otherwise, or only log.
/// </summary>
[Collection(nameof(NodeRecoverySpecs))] // one sets the process exit code; none runs beside another
[CollectionDefinition(nameof(NodeRecoverySpecs), DisableParallelization = true)]
public sealed class NodeRecoverySpecs
{
    private const string Counter = """{ "initial": "a", "context": { "n": 0 }, "states": { "a": { "on": { "INC": { "actions": "inc" } } } } }""";

    [Fact]
    public async Task A_recovering_node_told_it_was_quarantined_restarts_at_the_same_address_with_a_new_uid_and_its_machines()
    {
        await using var node = RecoveringNode.Start("Recovering", Remote("restart"), SpawnCounter);
        var first = node.System;
        var address = Address(first);
        var uid = AddressUidExtension.Uid(first);
        var restarted = new TaskCompletionSource<(ActorSystem System, string Reason)>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Restarted += (system, reason) => restarted.TrySetResult((system, reason));
        await Increment(first);

        first.EventStream.Publish(new ThisActorSystemQuarantinedEvent(address, new Address("akka.tcp", "Peer", "127.0.0.1", 1)));

        var (second, why) = await restarted.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains("akka.tcp://Peer@127.0.0.1:1 has quarantined this actor system", why);
        Assert.True(first.WhenTerminated.IsCompleted);
        Assert.Same(second, node.System);
        Assert.Equal(1, node.Restarts);
        Assert.Equal(address, Address(second)); // the port was 0: the restart took the same one
        Assert.NotEqual(uid, AddressUidExtension.Uid(second));
        var counter = await second.ActorSelection("/user/counter").ResolveOne(TimeSpan.FromSeconds(5));
        Assert.Equal(0L, (await counter.SnapshotAsync()).Context["n"]); // a fresh machine, from its initial context
        Assert.False(node.Stopped.IsCompleted);
    }

    [Fact]
    public async Task With_on_quarantined_none_the_node_only_notes_it()
    {
        using var system = ActorSystem.Create("Untouched", Remote("none"));
        var recovery = NodeRecovery.For(system);

        system.EventStream.Publish(new ThisActorSystemQuarantinedEvent(Address(system), new Address("akka.tcp", "Peer", "127.0.0.1", 1)));

        Assert.Contains("has quarantined", await recovery.DeclaredDead.WaitAsync(TimeSpan.FromSeconds(10)));
        await Task.Delay(500);
        Assert.False(system.WhenTerminated.IsCompleted);
    }

    [Fact]
    public async Task A_node_not_run_by_a_recovering_node_shuts_down_with_the_exit_code_for_its_supervisor()
    {
        var exitCode = Environment.ExitCode;
        try
        {
            using var system = ActorSystem.Create("Supervised", Remote("restart"));
            SpawnCounter(system); // starts the recovery, as any node with machines does

            system.EventStream.Publish(new ThisActorSystemQuarantinedEvent(Address(system), new Address("akka.tcp", "Peer", "127.0.0.1", 1)));

            await system.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.IsType<NodeRecovery.DeclaredDeadReason>(CoordinatedShutdown.Get(system).ShutdownReason);
            Assert.Equal(75, Environment.ExitCode);
        }
        finally
        {
            Environment.ExitCode = exitCode;
        }
    }

    [Fact]
    public void Settings_have_defaults_and_name_the_key_of_a_bad_value()
    {
        var defaults = NodeRecoverySettings.From(XStateNetConfig.Default.WithFallback(ConfigurationFactory.ParseString(
            "akka.remote.watch-failure-detector.acceptable-heartbeat-pause = 4s")));
        Assert.Equal(new NodeRecoverySettings(QuarantinePolicy.Restart, TimeSpan.FromSeconds(4), 75), defaults);
        Assert.Null(NodeRecoverySettings.From(Settings("after-pause = off")).AfterPause);
        Assert.Equal(TimeSpan.FromSeconds(20), NodeRecoverySettings.From(Settings("after-pause = 20s")).AfterPause);

        Assert.Contains("xstatenet.recovery.on-quarantined = \"reboot\"",
            Assert.Throws<ConfigurationException>(() => NodeRecoverySettings.From(Settings("on-quarantined = reboot"))).Message);
        Assert.Contains("xstatenet.recovery.after-pause",
            Assert.Throws<ConfigurationException>(() => NodeRecoverySettings.From(Settings("after-pause = soon"))).Message);
        Assert.Contains("xstatenet.recovery.exit-code",
            Assert.Throws<ConfigurationException>(() => NodeRecoverySettings.From(Settings("exit-code = 0"))).Message);
    }

    private static Config Settings(string line) =>
        ConfigurationFactory.ParseString("xstatenet.recovery." + line).WithFallback(XStateNetConfig.Default);

    private static void SpawnCounter(ActorSystem system) => system.SpawnMachine("counter", Counter,
        new Dictionary<string, Action<OrchestratedContext>> { ["inc"] = ctx => ctx.Context["n"] = (long)ctx.Context["n"]! + 1 });

    private static async Task Increment(ActorSystem system)
    {
        var counter = await system.ActorSelection("/user/counter").ResolveOne(TimeSpan.FromSeconds(5));
        counter.Tell(new MachineEvent("INC"));
        Assert.Equal(1L, (await counter.SnapshotAsync()).Context["n"]);
    }

    private static Address Address(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    private static Config Remote(string policy) => ConfigurationFactory.ParseString($$"""
        akka.actor.provider = remote
        akka.remote.enabled-transports = ["akka.remote.dot-netty.tcp"]
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        xstatenet.recovery.on-quarantined = {{policy}}
        """).WithFallback(XStateNetConfig.Default);
}
