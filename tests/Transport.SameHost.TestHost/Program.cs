// Usage: TestHost <directory> <file-prefix> <system> <remote|cluster> <port> [<seed address>]
// Starts <system> on Akka's TCP (127.0.0.1, <port>; 0 picks one) with the same-host fast path (control sockets in
// <directory>), creates /user/target (echo), prints "READY <address>" and runs until its standard input closes: a test
// that dies takes this process with it. With "cluster" it joins <seed address> (or itself). Prints "LOG <text>" for
// each line the fast path logs at Info or above. Commands on standard input (one line each, answers one line):
//   ping <address>...  asks the target of each address; "PONGS <n>" when all answered, "FAIL <address> <why>" otherwise
//   paths              "PATHS <address>=<ring>/<tcp> ..." (SameHostPaths)
//   members            "MEMBERS <address>=<status> ..." as this node's cluster state has them (unreachable ones marked !)
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Event;
using XStateNet.Actors.Transport.SameHost;

if (args.Length is < 5 or > 6)
{
    Console.Error.WriteLine("usage: TestHost <directory> <file-prefix> <system> <remote|cluster> <port> [<seed address>]");
    return 2;
}

var cluster = args[3] == "cluster";
var seed = args.Length == 6 ? $"akka.cluster.seed-nodes = [\"{args[5]}\"]" : "";
var config = ConfigurationFactory.ParseString($$"""
    akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = {{args[4]}} }
    akka.remote.same-host { directory = "{{args[0]}}", file-prefix = "{{args[1]}}" }
    {{(cluster ? "akka.actor.provider = cluster" : "")}}
    akka.cluster.split-brain-resolver.stable-after = 5s
    akka.cluster.min-nr-of-members = 1
    {{seed}}
    akka.loglevel = INFO
    """).WithFallback(SameHostConfig.Ready);
using var system = ActorSystem.Create(args[2], config);
var output = new Lock();
void Say(string line)
{
    lock (output)
    {
        Console.WriteLine(line);
        Console.Out.Flush();
    }
}

Action<string> say = Say;
system.ActorOf(Props.Create(() => new LogLines(say)), "log-lines");
system.ActorOf(Props.Create(() => new Echo()), "target");
var self = ((ExtendedActorSystem)system).Provider.DefaultAddress;
if (cluster && args.Length == 5) Cluster.Get(system).Join(self);
Say($"READY {self}");

while (Console.ReadLine() is { } command)
{
    var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    switch (words.FirstOrDefault())
    {
        case "ping":
            var failed = false;
            foreach (var address in words.Skip(1))
            {
                try
                {
                    var reply = await system.ActorSelection($"{address}/user/target").Ask<string>("ping", TimeSpan.FromSeconds(10));
                    if (reply != "ping") throw new InvalidOperationException($"answered {reply}");
                }
                catch (Exception e)
                {
                    Say($"FAIL {address} {e.Message}");
                    failed = true;
                    break;
                }
            }

            if (!failed) Say($"PONGS {words.Length - 1}");
            break;
        case "paths":
            Say("PATHS " + string.Join(' ', SameHostPaths.For(system).Snapshot().Select(p => $"{p.Peer}={p.Ring}/{p.Tcp}")));
            break;
        case "members":
            var state = Cluster.Get(system).State;
            Say("MEMBERS " + string.Join(' ', state.Members.Select(m =>
                $"{m.Address}={m.Status}{(state.Unreachable.Contains(m) ? "!" : "")}")));
            break;
    }
}

await system.Terminate();
return 0;

internal sealed class Echo : ReceiveActor
{
    public Echo() => ReceiveAny(message => Sender.Tell(message));
}

/// <summary>Prints what the fast path logs, for the test to read.</summary>
internal sealed class LogLines : ReceiveActor
{
    public LogLines(Action<string> say)
    {
        Context.System.EventStream.Subscribe(Self, typeof(Info));
        Context.System.EventStream.Subscribe(Self, typeof(Warning));
        Receive<LogEvent>(e =>
        {
            var text = e.Message?.ToString() ?? "";
            if (text.StartsWith("Same-host fast path", StringComparison.Ordinal)) say("LOG " + text);
        });
    }
}
