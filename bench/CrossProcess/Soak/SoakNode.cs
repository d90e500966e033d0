using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;

namespace XStateNet.Actors.Bench.CrossProcess.Soak;

/// <summary>
/// A soak node as a child process: one actor system on the chosen transport with a <see cref="SoakNodeActor"/>,
/// driven by lines on its standard input (PEERS, START, STOP, REPORT), answering on its standard output.
/// Shuts down cleanly when its input ends.
/// </summary>
internal static class SoakNode
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(TransportCase transport, string prefix)
    {
        var system = ActorSystem.Create("Soak", TransportCatalog.Common.WithFallback(transport.NodeConfig(prefix)));
        var node = system.ActorOf(Props.Create(() => new SoakNodeActor()), "soak");
        Console.WriteLine($"{EchoServer.ReadyPrefix}{((ExtendedActorSystem)system).Provider.DefaultAddress} {Environment.ProcessId}");
        Console.Out.Flush();

        while (await Console.In.ReadLineAsync() is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words.FirstOrDefault())
            {
                case "PEERS":
                    var self = int.Parse(words[1]);
                    var refs = new List<IActorRef?>();
                    for (var i = 2; i < words.Length; i++)
                        refs.Add(i - 2 == self ? null : await system.ActorSelection(new RootActorPath(Address.Parse(words[i])) / "user" / "soak").ResolveOne(AskTimeout));
                    Answer("OK " + await node.Ask<string>(new SoakNodeActor.Peers(self, refs), AskTimeout));
                    break;
                case "START":
                    Answer("OK " + await node.Ask<string>(new SoakNodeActor.Start(double.Parse(words[1]), int.Parse(words[2])), AskTimeout));
                    break;
                case "STOP":
                    Answer("OK " + await node.Ask<string>(new SoakNodeActor.Stop(), AskTimeout));
                    break;
                case "RSS":
                    Answer("RSS " + ResidentBytes());
                    break;
                case "REPORT":
                    Answer("RESULT " + JsonSerializer.Serialize(await node.Ask<SoakNodeReport>(new SoakNodeActor.Report(), AskTimeout)));
                    break;
            }
        }

        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        return 0;
    }

    private static long ResidentBytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    private static void Answer(string line)
    {
        Console.WriteLine(line);
        Console.Out.Flush();
    }
}
