using XStateNet.Actors.MultiProcess.Tests.Machines;

namespace XStateNet.Actors.MultiProcess.Tests.Roles;

/// <summary>A ring A → B → C → A: each node's <c>link</c> machine sends to the id <c>next</c>, routed to the following node.</summary>
public sealed class ChainRoles : ReportingRoles
{
    public ChainRoles()
    {
        Host(Role("A"), "a", "link").Route("next", "B", "b");
        Host(Role("B"), "b", "link").Route("next", "C", "c");
        Host(Role("C"), "c", "link").Route("next", "A", "a");
    }
}
