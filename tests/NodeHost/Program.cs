using Akka.Actor;
using XStateNet.Actors;
using XStateNet.Actors.Tests.NodeHost;
using XStateNet.Actors.Tests.NodeHost.Behaviours;

// A child node of the multi-process specs. Protocol on standard output, one line each:
//   READY <address>     the system is up, listening, and its machines are spawned
//   FAILED <reason>     it could not start (the process then exits with code 1)
//   EXIT <reason>       the parent went away; the node shuts down
// Everything else on standard output is Akka's log, which the spec forwards to its test output.

NodeHostOptions options;
try
{
    options = NodeHostOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"nodehost: {e.Message}");
    Console.Error.WriteLine(NodeHostOptions.Usage);
    return 2;
}

var parentGone = ParentWatch.UntilParentGone(options.ParentPid);

ActorSystem system;
try
{
    system = ActorSystem.Create(options.SystemName, options.BuildConfig());
    foreach (var machine in options.Machines)
    {
        system.SpawnMachine(machine.Id, File.ReadAllText(machine.ScriptPath), ActionCatalogue.For(machine.Id));
    }
}
catch (Exception e)
{
    Console.WriteLine($"FAILED {e.GetType().Name}: {e.Message}");
    return 1;
}

Console.WriteLine($"READY {((ExtendedActorSystem)system).Provider.DefaultAddress}");

var finished = await Task.WhenAny(parentGone, system.WhenTerminated);
Console.WriteLine(finished == parentGone ? $"EXIT {parentGone.Result}" : "EXIT actor system terminated");
await Task.WhenAny(system.Terminate(), Task.Delay(TimeSpan.FromSeconds(5)));
return 0;
