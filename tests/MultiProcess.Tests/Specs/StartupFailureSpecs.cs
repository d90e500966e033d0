using XStateNet.Actors.MultiProcess.Tests.Roles;
using XStateNet.Actors.TestKit;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>
/// A node with a bad route or a refused transport setting never says READY: its first line says FAILED with the key
/// and the problem, and it exits.
/// </summary>
public sealed class StartupFailureSpecs(ITestOutputHelper output) : ReportingSpec<StartupFailureRoles>(output)
{
    [Theory]
    [MemberData(nameof(MultiNodeTransports.All), MemberType = typeof(MultiNodeTransports))]
    public async Task A_node_with_a_bad_route_fails_before_ready_naming_the_route(string transport)
    {
        await UseTransport(transport);
        var planned = AddressOf("BadRoute");
        ConfigureRole("BadRoute", $"xstatenet.machines.ping = \"{planned.Protocol}://Left@{planned.Host}/user/ping\"");

        var failed = await FailedStart("BadRoute");

        Assert.Contains("xstatenet.machines.ping", failed);
        Assert.Contains("needs a host and a port", failed);
    }

    [Theory]
    [InlineData("shm", "akka.remote.shm.ring-size", "5000", "not a power of two")]
    [InlineData("pipe", "akka.remote.pipe.maximum-frame-size", "1000b", "at least 32000 bytes")]
    public async Task A_node_with_a_refused_transport_setting_fails_with_the_key_in_its_first_line(string transport, string key, string value, string problem)
    {
        await UseTransport(transport);
        ConfigureRole("BadSetting", $"{key} = {value}");

        var failed = await FailedStart("BadSetting");

        Assert.Matches(@"^FAILED ([\w.]+\.)?ConfigurationException: ", failed);
        Assert.Contains(key.Split('.')[^1], failed);
        Assert.Contains(problem, failed);
    }

    private async Task<string> FailedStart(string role)
    {
        var failed = FailedLine(await Assert.ThrowsAsync<TimeoutException>(() => StartNodes(role)));
        Note(failed);
        return failed;
    }
}
