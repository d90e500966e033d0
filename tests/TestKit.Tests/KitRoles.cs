using XStateNet.Actors.TestKit;

namespace XStateNet.Actors.TestKit.Tests;

/// <summary>
/// Two roles: <c>alpha</c> has a Run body that reports before and after the barrier <c>one</c>; <c>beta</c> hosts an
/// echo machine that answers the probe with what it was sent.
/// </summary>
public sealed class KitRoles : MultiNodeConfig
{
    public KitRoles()
    {
        EnableNetworkFaults();
        Role("alpha").Run(async node =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1)); // the spec is at the barrier first and must wait for this body
            node.TellProbe("alpha before one");
            await node.EnterBarrier("one");
            node.TellProbe("alpha after one");
        });
        Role("beta").Machine("echo", """
            { "id": "echo", "initial": "on", "states": { "on": { "on": { "SAY": { "actions": "echo" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["echo"] = ctx => ctx.RequestSend("probe", "ECHO", ctx.Payload),
        });
    }
}

/// <summary>A role whose set-up throws: its node must fail to start, with the user's error in the spec's failure.</summary>
public sealed class BrokenRoles : MultiNodeConfig
{
    public BrokenRoles() => Role("broken").Setup(_ => throw new InvalidOperationException("the set-up of broken refuses to run"));
}

/// <summary>Everything wrong at once: the declaration check must list all of it.</summary>
public sealed class BadlyDeclaredRoles : MultiNodeConfig
{
    public BadlyDeclaredRoles()
    {
        var noActions = new Dictionary<string, Action<OrchestratedContext>>();
        const string Chart = """{ "initial": "a", "states": { "a": {} } }""";
        Role("one").Machine("same", Chart, noActions);
        Role("two").Machine("same", Chart, noActions).Machine("probe", Chart, noActions);
        Role("no spaces allowed");
    }
}

/// <summary>Routes declared by hand: a ring's alias, a role without the default routes, one to an undeclared role.</summary>
public sealed class RoutedRoles : MultiNodeConfig
{
    public const string Chart = """{ "initial": "a", "states": { "a": {} } }""";

    public RoutedRoles()
    {
        var none = new Dictionary<string, Action<OrchestratedContext>>();
        Role("one").Machine("a", Chart, none).Route("next", "two", "b");
        Role("two").Machine("b", Chart, none).WithoutRoutes();
    }
}

/// <summary>Machines found through the host directory: an id may have several homes, and nobody gets routes.</summary>
public sealed class DirectoryRoles : MultiNodeConfig
{
    public DirectoryRoles()
    {
        UseHostDirectory();
        var none = new Dictionary<string, Action<OrchestratedContext>>();
        Role("first").Machine("sink", RoutedRoles.Chart, none);
        Role("second").Machine("sink", RoutedRoles.Chart, none).Route("alias", "first", "sink");
    }
}

/// <summary>A route to a role nobody declared.</summary>
public sealed class MisroutedRoles : MultiNodeConfig
{
    public MisroutedRoles() => Role("one").Route("next", "nowhere");
}

[CollectionDefinition(MultiNodeCollection.Name, DisableParallelization = true)]
public sealed class MultiNodeSpecs;
