using Akka.Actor;
using XStateNet.Actors;
using XStateNet.Actors.Hosting;
using XStateNet.Actors.Tests.NodeHost;
using XStateNet.Actors.Tests.NodeHost.Behaviours;

// A child node of the multi-process specs. Protocol on standard output, one line each:
//   READY <address>     the system is up, listening, and its machines are spawned
//   FAILED <reason>     it could not start (the process then exits with code 1)
//   RESTARTED <address> its peers declared it dead (a long pause, a quarantine): it started a new actor system
//                       at the same address, with a fresh uid, and spawned its machines again (RecoveringNode)
//   EXIT <reason>       the parent went away, or the node stopped; the node shuts down
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

RecoveringNode node;
try
{
    node = RecoveringNode.Start(options.SystemName, options.BuildConfig(), system =>
    {
        MachineRoutes.For(system); // bad routes fail here, before READY, even on a node that hosts no machine
        foreach (var machine in options.Machines)
        {
            system.SpawnMachine(machine.Id, File.ReadAllText(machine.ScriptPath), ActionCatalogue.For(machine.Id));
        }
    });
}
catch (Exception e)
{
    Console.WriteLine($"FAILED {e.GetType().Name}: {e.Message}");
    return 1;
}

node.Restarted += (system, reason) => Console.WriteLine($"RESTARTED {((ExtendedActorSystem)system).Provider.DefaultAddress} {reason}");
Console.WriteLine($"READY {((ExtendedActorSystem)node.System).Provider.DefaultAddress}");

var finished = await Task.WhenAny(parentGone, node.Stopped);
Console.WriteLine(finished == parentGone
    ? $"EXIT {parentGone.Result}"
    : node.Stopped.IsFaulted ? $"EXIT {node.Stopped.Exception!.InnerException!.Message}" : "EXIT actor system terminated");
await Task.WhenAny(node.StopAsync(), Task.Delay(TimeSpan.FromSeconds(5)));
return node.Stopped.IsFaulted ? 1 : Environment.ExitCode;
