// Usage: TestHost <directory> <system>
// Starts <system> on the shared-memory transport (files in <directory>, a free port), creates /user/target (echo),
// prints "READY <address>" and runs until its standard input closes: a test that dies takes this process with it.
using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Transport.SharedMemory;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: TestHost <directory> <system>");
    return 2;
}

var config = ConfigurationFactory.ParseString($$"""
    akka.remote.shm { directory = "{{args[0]}}", hostname = "localhost", port = 0 }
    akka.loglevel = WARNING
    """).WithFallback(ShmConfig.Ready).WithFallback(XStateNetConfig.Default);
using var system = ActorSystem.Create(args[1], config);
system.ActorOf(Props.Create(() => new Echo()), "target");
Console.WriteLine($"READY {((ExtendedActorSystem)system).Provider.DefaultAddress}");
Console.Out.Flush();
while (Console.ReadLine() is not null)
{
}

await system.Terminate();
return 0;

internal sealed class Echo : ReceiveActor
{
    public Echo() => ReceiveAny(message => Sender.Tell(message));
}
