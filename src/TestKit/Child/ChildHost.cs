using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Hosting;
using XStateNet.Actors.TestKit.Protocol;
using XStateNet.Actors.TestKit.Transports;
using XStateNet.Actors.Transport;

namespace XStateNet.Actors.TestKit.Child;

/// <summary>
/// A child node: plays one role of the user's <see cref="MultiNodeConfig"/> on the transport under test. Protocol on
/// standard output, one line each (everything else is the node's log, which the spec shows in its output):
/// <c>READY &lt;address&gt;</c> once the node listens and its machines are spawned; <c>FAILED &lt;error&gt;</c> (then
/// exit code 1) when it could not start; <c>RESTARTED &lt;address&gt; &lt;why&gt;</c> when its peers declared it dead and
/// it restarted its actor system at the same address; <c>EXIT &lt;why&gt;</c> when it ends.
/// </summary>
internal static class ChildHost
{
    /// <summary>Set by the test process on its children only: the startup hook does nothing elsewhere.</summary>
    public const string MarkerVariable = "XSTATENET_TESTKIT_CHILD";

    public static bool IsChild => Environment.GetEnvironmentVariable(MarkerVariable) == "1";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        // Processes the user's code starts are not children of the TestKit.
        Environment.SetEnvironmentVariable("DOTNET_STARTUP_HOOKS", null);
        Environment.SetEnvironmentVariable(MarkerVariable, null);

        ChildArguments options;
        RoleDefinition role;
        MultiNodeConfig declared;
        Config config;
        try
        {
            options = ChildArguments.Parse(args);
            declared = LoadConfig(options.ConfigType);
            role = declared[options.Role];
            config = ConfigurationFactory.ParseString(options.Hocon)
                .WithFallback(TransportCatalogue.Get(options.Transport).ReadyConfig())
                .WithFallback(XStateNetConfig.Default);
        }
        catch (Exception e)
        {
            Console.WriteLine($"FAILED {e}");
            return 2;
        }

        var parentGone = ParentWatch.UntilGone(options.ParentPid);
        var body = new NodeAgent.BodyState();
        RecoveringNode? node = null;
        NodeContext Context() => new(role.Name, node!.System, options.ProbePath, name => EnterBarrier(node!.System, name));
        try
        {
            node = RecoveringNode.Start(declared.SystemNameOf(role), config, system =>
            {
                MachineRoutes.For(system); // bad routes fail here, before READY, even on a node that hosts no machine
                system.ActorOf(Props.Create(typeof(NodeAgent), role.Name, (Func<NodeContext>)Context, body), AgentPath.Name);
                role.SetUp(system);
            });
        }
        catch (Exception e)
        {
            Console.WriteLine($"FAILED {e}");
            return 1;
        }

        node.Restarted += (system, reason) => Console.WriteLine($"RESTARTED {((ExtendedActorSystem)system).Provider.DefaultAddress} {reason}");
        Console.WriteLine($"READY {((ExtendedActorSystem)node.System).Provider.DefaultAddress}");
        if (role.Body is { } run) StartBody(run, Context(), body, node);

        var finished = await Task.WhenAny(parentGone, node.Stopped);
        Console.WriteLine(finished == parentGone
            ? $"EXIT {parentGone.Result}"
            : node.Stopped.IsFaulted ? $"EXIT {node.Stopped.Exception!.InnerException!.Message}" : "EXIT actor system terminated");
        await Task.WhenAny(node.StopAsync(), Task.Delay(TimeSpan.FromSeconds(5)));
        return node.Stopped.IsFaulted ? 1 : 0;
    }

    /// <summary>The user's config type, created as the test process created it.</summary>
    private static MultiNodeConfig LoadConfig(string typeName)
    {
        var type = Type.GetType(typeName, throwOnError: false)
            ?? throw new InvalidOperationException($"the config type {typeName} is not in the child's assemblies");
        var config = Activator.CreateInstance(type) as MultiNodeConfig
            ?? throw new InvalidOperationException($"{type.Name} is not a MultiNodeConfig");
        config.Validate();
        return config;
    }

    private static void StartBody(Func<NodeContext, Task> run, NodeContext context, NodeAgent.BodyState body, RecoveringNode node)
    {
        body.Started();
        _ = Task.Run(async () =>
        {
            Exception? error = null;
            try
            {
                await run(context);
            }
            catch (Exception e)
            {
                error = e;
                Console.WriteLine($"[{context.Role}] its Run body failed: {e}");
            }
            body.Finished(error);
            node.System.ActorSelection($"/user/{AgentPath.Name}").Tell(new NodeAgent.BodyFinished());
        });
    }

    private static Task EnterBarrier(ActorSystem system, string name)
    {
        var passed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorSelection($"/user/{AgentPath.Name}").Tell(new NodeAgent.BodyAtBarrier(name, passed));
        return passed.Task;
    }
}
