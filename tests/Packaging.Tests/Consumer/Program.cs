using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Transport.SharedMemory;

// Two processes over shared memory, configured only from what the packages embed (ShmConfig.Ready,
// XStateNetConfig.Default): "ping" here sends PING to "pong" in a child process, which answers by machine id.
//   Consumer <shm directory>                      the parent: starts the child, plays, prints RESULT
//   Consumer child <shm directory> <port> <peer>  the child: hosts pong until its input closes
const int ParentPort = 31001, ChildPort = 31002;

if (args is ["child", var childDirectory, var port, var peerPort])
{
    using var right = ActorSystem.Create("Right", Node(childDirectory, int.Parse(port), "ping", "Left", int.Parse(peerPort)));
    right.SpawnMachine("pong", """
        { "initial": "ready", "states": { "ready": { "on": { "PING": { "actions": "reply" } } } } }
        """, new Dictionary<string, Action<OrchestratedContext>>
    {
        ["reply"] = ctx => ctx.RequestSend(ctx.SourceMachineId!, "PONG", new { Count = (long)ctx.EventData!.Count + 1 }),
    });
    Console.WriteLine("READY");
    while (Console.ReadLine() is not null)
    {
    }

    await right.Terminate();
    return 0;
}

var directory = args[0];
using var child = Process.Start(new ProcessStartInfo("dotnet")
{
    ArgumentList = { typeof(Program).Assembly.Location, "child", directory, ChildPort.ToString(), ParentPort.ToString() },
    RedirectStandardInput = true,
    RedirectStandardOutput = true,
})!;
try
{
    if (await child.StandardOutput.ReadLineAsync() != "READY") throw new InvalidOperationException("the child did not start");
    using var left = ActorSystem.Create("Left", Node(directory, ParentPort, "pong", "Right", ChildPort));
    var answer = new TaskCompletionSource<string>();
    var ping = left.SpawnMachine("ping", """
        { "initial": "idle", "states": {
            "idle": { "on": { "GO": { "target": "waiting", "actions": "send" } } },
            "waiting": { "on": { "PONG": { "target": "idle", "actions": "report" } } } } }
        """, new Dictionary<string, Action<OrchestratedContext>>
    {
        ["send"] = ctx => ctx.RequestSend("pong", "PING", new { Count = 41L }),
        ["report"] = ctx => answer.TrySetResult($"{ctx.EventData!.Count} from {ctx.SourceMachineId}"),
    });
    ping.Tell(new MachineEvent("GO"));
    Console.WriteLine("RESULT " + await answer.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    await left.Terminate();
    return 0;
}
finally
{
    child.StandardInput.Close();
    if (!child.WaitForExit(10_000)) child.Kill(entireProcessTree: true);
}

static Config Node(string directory, int port, string routeId, string peerSystem, int peerPort) =>
    ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        akka.remote.shm { directory = "{{directory}}", port = {{port}} }
        xstatenet.machines { {{routeId}} = "akka.shm://{{peerSystem}}@localhost:{{peerPort}}/user/{{routeId}}" }
        xstatenet.directory.path = "{{directory}}/machines"
        """).WithFallback(ShmConfig.Ready).WithFallback(XStateNetConfig.Default);
