using XStateNet.Actors.MultiProcess.Tests.Machines;

namespace XStateNet.Actors.MultiProcess.Tests.Roles;

/// <summary>One child, Responder, whose <c>responder</c> answers each <c>REQUEST</c> to the actor in its payload.</summary>
public sealed class AskRoles : ReportingRoles
{
    public AskRoles() => Host(Role("Responder"), "responder", "responder");
}
