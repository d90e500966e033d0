using Akka.Actor;

namespace XStateNet.Actors.Bench.CrossProcess;

/// <summary>
/// The child process: an actor system on the chosen transport with one echo actor. Prints <c>READY address pid</c>,
/// then runs until its standard input ends (the parent exited or closed it), and shuts down cleanly.
/// </summary>
internal static class EchoServer
{
    public const string ReadyPrefix = "READY ";

    public static async Task<int> RunAsync(TransportCase transport, string prefix)
    {
        var system = ActorSystem.Create(transport.Cluster ? TransportCatalog.ClusterSystem : "EchoServer",
            TransportCatalog.Common.WithFallback(transport.NodeConfig(prefix)));
        system.ActorOf(EchoActor.Props(), "echo");
        // A cluster row: this node founds the cluster, the client joins it before measuring.
        if (transport.Cluster) await Akka.Cluster.Cluster.Get(system).JoinAsync(((ExtendedActorSystem)system).Provider.DefaultAddress);
        await ServeUntilInputEndsAsync(system);
        return 0;
    }

    /// <summary>Prints <c>READY address pid</c>, serves until standard input ends, then terminates the system.</summary>
    public static async Task ServeUntilInputEndsAsync(ActorSystem system)
    {
        var address = ((ExtendedActorSystem)system).Provider.DefaultAddress;
        Console.WriteLine($"{ReadyPrefix}{address} {Environment.ProcessId}");
        Console.Out.Flush();

        await Task.Run(() =>
        {
            while (Console.In.ReadLine() is not null)
            {
            }
        });
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
    }

}
