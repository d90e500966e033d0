using System.Diagnostics;
using Akka.Actor;

namespace XStateNet.Actors.Bench.CrossProcess;

/// <summary>
/// How long after <c>kill -9</c> of the echo server's process the client's DeathWatch delivers <see cref="Terminated"/>.
/// </summary>
internal static class DeathWatchTiming
{
    public static async Task<TimeSpan> MeasureAsync(TransportCase transport, string prefix, TimeSpan limit)
    {
        using var server = await ChildServer.StartAsync(transport, prefix, TimeSpan.FromSeconds(60));
        var client = ActorSystem.Create("Client", TransportCatalog.Common.WithFallback(transport.NodeConfig(prefix)));
        try
        {
            var echo = await client.ActorSelection(new RootActorPath(server.Address) / "user" / "echo").ResolveOne(TimeSpan.FromSeconds(20));
            var terminated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            client.ActorOf(Props.Create(() => new Watcher(echo, terminated)));
            await echo.Ask<object>("ready", TimeSpan.FromSeconds(10));
            await Task.Delay(300); // the watch is established on the remote side

            var clock = Stopwatch.StartNew();
            server.KillHard();
            await terminated.Task.WaitAsync(limit);
            return clock.Elapsed;
        }
        finally
        {
            await client.Terminate();
        }
    }

    private sealed class Watcher : UntypedActor
    {
        private readonly TaskCompletionSource _terminated;

        public Watcher(IActorRef target, TaskCompletionSource terminated)
        {
            _terminated = terminated;
            Context.Watch(target);
        }

        protected override void OnReceive(object message)
        {
            if (message is Terminated) _terminated.TrySetResult();
        }
    }
}
