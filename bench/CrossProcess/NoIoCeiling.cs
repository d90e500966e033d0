using Akka.Actor;
using Akka.Configuration;

namespace XStateNet.Actors.Bench.CrossProcess;

/// <summary>
/// Akka.Remote's endpoint pipeline with no I/O at all: two systems in this process over Akka's
/// <c>TestTransport</c>, which hands each write straight to the other side. The ceiling a transport can reach.
/// </summary>
internal static class NoIoCeiling
{
    public const string Name = "no I/O (TestTransport)";

    public static async Task<TransportResult> RunAsync(BenchSettings settings)
    {
        var registry = "bench-" + Guid.NewGuid().ToString("N");
        var server = ActorSystem.Create("EchoServer", Node("EchoServer", 1, registry));
        var client = ActorSystem.Create("Client", Node("Client", 2, registry));
        try
        {
            server.ActorOf(EchoActor.Props(), "echo");
            var echoPath = new RootActorPath(new Address("akka.test", "EchoServer", "localhost", 1)) / "user" / "echo";
            return await Measurement.RunAsync(Name, client, echoPath, settings);
        }
        finally
        {
            await Task.WhenAll(client.Terminate(), server.Terminate());
        }
    }

    private static Config Node(string system, int port, string registry) => ConfigurationFactory.ParseString($$"""
        akka.actor.provider = remote
        akka.remote.enabled-transports = ["akka.remote.test"]
        akka.remote.test {
          transport-class = "Akka.Remote.Transport.TestTransport, Akka.Remote"
          applied-adapters = []
          registry-key = "{{registry}}"
          local-address = "test://{{system}}@localhost:{{port}}"
          maximum-payload-bytes = 128000b
          scheme-identifier = test
        }
        """).WithFallback(TransportCatalog.Common);

}
