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

[CollectionDefinition(MultiNodeCollection.Name, DisableParallelization = true)]
public sealed class MultiNodeSpecs;
