using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Configuration;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>Node configurations for specs: the ready shm.conf, files in the test's own directory.</summary>
internal static class ShmNodes
{
    public static Config Config(string directory, int port = 0, string extra = "") =>
        ConfigurationFactory.ParseString($$"""
            akka.remote.shm { directory = "{{directory}}", hostname = "localhost", port = {{port}} }
            akka.loglevel = WARNING
            akka.test.single-expect-default = 10s
            {{extra}}
            """).WithFallback(ShmConfig.Ready).WithFallback(XStateNetConfig.Default);

    public static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;
}

/// <summary>Replies to every message with the message itself.</summary>
internal sealed class Echo : ReceiveActor
{
    public Echo() => ReceiveAny(message => Sender.Tell(message));
}
