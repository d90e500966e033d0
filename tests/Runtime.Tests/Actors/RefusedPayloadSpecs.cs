using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Tests.Serialization;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Actors;

/// <summary>
/// A receiver that accepts only some payload types, over Akka's TCP: a refused message is logged and dropped on
/// its own, and the association keeps carrying the messages after it.
/// </summary>
public sealed class RefusedPayloadSpecs : TestKit
{
    private readonly ActorSystem _strict;
    private readonly Address _strictAddress;

    public RefusedPayloadSpecs(ITestOutputHelper output) : base(Node(0, allowList: false), "lenient", output)
    {
        _strict = ActorSystem.Create("strict", Node(0, allowList: true));
        _strict.ActorOf(Props.Create(() => new Echo()), "echo");
        _strictAddress = ((ExtendedActorSystem)_strict).Provider.DefaultAddress;
    }

    [Fact]
    public void A_refused_payload_is_dropped_alone_and_the_association_stays_up()
    {
        var echo = Sys.ActorSelection(new RootActorPath(_strictAddress) / "user" / "echo");

        echo.Tell(new MachineEvent("FIRST", new SaveRequest("a", 1)));
        ExpectMsg<MachineEvent>(e => e.Name == "FIRST", TimeSpan.FromSeconds(20));

        echo.Tell(new MachineEvent("REFUSED", new OrderLine("apple", 1, 1m)));
        echo.Tell(new MachineEvent("AFTER", new SaveRequest("b", 2)));

        var after = ExpectMsg<MachineEvent>(TimeSpan.FromSeconds(10));
        Assert.Equal("AFTER", after.Name);
        Assert.Equal(new SaveRequest("b", 2), after.Data);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    protected override void AfterAll()
    {
        _strict.Terminate().Wait(TimeSpan.FromSeconds(10));
        base.AfterAll();
    }

    private static Config Node(int port, bool allowList) => ConfigurationFactory.ParseString($$"""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = {{port}} }
        akka.actor.serialization-settings.hyperion.allowed-types = [{{(allowList ? $"\"{typeof(SaveRequest).FullName}\"" : "")}}]
        """).WithFallback(XStateNetConfig.Default);

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }
}
