using XStateNet.Actors.MultiProcess.Tests.Harness;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>
/// A node with a bad route or a refused transport setting never says READY: its first line says FAILED with the key
/// and the problem, and it exits.
/// </summary>
public sealed class StartupFailureSpecs(ITestOutputHelper output) : MultiProcessSpec(output)
{
    [Theory]
    [MemberData(nameof(TransportCatalogue.UnderTest), MemberType = typeof(TransportCatalogue))]
    public async Task A_node_with_a_bad_route_fails_before_ready_naming_the_route(string transport)
    {
        await UseTransport(transport);
        var node = Plan("BadRoute").Hosting("pong", "ponger").Routing("ping", $"{Transport.Protocol}://Left@{Transport.Hostname}/user/ping");

        var failed = await FailedLine(node);

        Assert.Contains("xstatenet.machines.ping", failed);
        Assert.Contains("needs a host and a port", failed);
    }

    [Theory]
    [InlineData("shm", "akka.remote.shm.ring-size", "5000", "not a power of two")]
    [InlineData("pipe", "akka.remote.pipe.maximum-frame-size", "1000b", "at least 32000 bytes")]
    public async Task A_node_with_a_refused_transport_setting_fails_with_the_key_in_its_first_line(string transport, string key, string value, string problem)
    {
        await UseTransport(transport);
        var node = Plan("BadSetting").Hosting("pong", "ponger").With(key, value);

        var failed = await FailedLine(node);

        Assert.StartsWith("FAILED ConfigurationException: ", failed);
        Assert.Contains(key.Split('.')[^1], failed);
        Assert.Contains(problem, failed);
    }

    private async Task<string> FailedLine(NodePlan plan)
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() => StartNode(plan));
        Assert.Contains("exited with code 1", error.Message);
        Assert.DoesNotContain("\nREADY ", error.Message);
        var failed = error.Message.Split('\n').Single(line => line.StartsWith("FAILED ", StringComparison.Ordinal));
        Note(failed);
        return failed;
    }
}
