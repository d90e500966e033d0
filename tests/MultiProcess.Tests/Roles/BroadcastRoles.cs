using XStateNet.Actors.MultiProcess.Tests.Machines;

namespace XStateNet.Actors.MultiProcess.Tests.Roles;

/// <summary>Sender's <c>broadcaster</c> and five receivers, Receiver1..5, each hosting a sink <c>r1</c>..<c>r5</c>.</summary>
public sealed class BroadcastRoles : ReportingRoles
{
    public const int Receivers = 5;

    public BroadcastRoles()
    {
        // Six processes starting at once on two cores: finding five targets can take longer than the default 5 s.
        Host(Role("Sender"), "broadcaster", "broadcaster").WithHocon("xstatenet.resolve-timeout = 30s");
        for (var i = 1; i <= Receivers; i++) Host(Role($"Receiver{i}"), $"r{i}", "sink");
    }
}
