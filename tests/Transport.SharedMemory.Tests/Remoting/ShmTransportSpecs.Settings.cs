using Akka.Configuration;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>Settings errors a user can act on (issue 13, item 11).</summary>
public sealed partial class ShmTransportSpecs
{
    [Fact]
    public void An_unknown_key_is_refused_with_its_full_name_and_the_known_keys()
    {
        var error = Assert.Throws<ConfigurationException>(() => new ShmTransport(_system, ConfigurationFactory.ParseString("ring-sise = 1 MiB")));
        Assert.Contains("akka.remote.shm.ring-sise: unknown setting", error.Message);
        Assert.Contains("ring-size", error.Message);
        Assert.Contains("max-unidentified-connections", error.Message);
    }

    [Theory]
    [InlineData("port = abc", "akka.remote.shm.port")]
    [InlineData("ring-size = lots", "akka.remote.shm.ring-size")]
    [InlineData("heartbeat-timeout = soon", "akka.remote.shm.heartbeat-timeout")]
    [InlineData("owner-only = perhaps", "akka.remote.shm.owner-only")]
    [InlineData("max-unidentified-connections = 0", "akka.remote.shm.max-unidentified-connections: must be positive, was 0")]
    public void A_value_of_the_wrong_kind_is_refused_naming_its_key(string setting, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => new ShmTransport(_system, ConfigurationFactory.ParseString(setting)));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task A_directory_that_does_not_exist_is_an_error_naming_the_setting_and_is_not_created()
    {
        var missing = _dir.File("not-there");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Start($"directory = \"{missing}\""));
        Assert.Contains($"akka.remote.shm.directory: {missing} does not exist", error.ToString());
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task The_default_directory_dev_shm_works()
    {
        var (transport, address, _) = await Start("directory = \"/dev/shm\"");
        var socket = $"/dev/shm/{_prefix}-localhost-{address.Port}.sock";
        Assert.True(File.Exists(socket));
        await transport.Shutdown();
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public async Task Port_0_picks_a_port_in_the_configured_free_port_range()
    {
        var (transport, address, _) = await Start("free-port-min = 31000, free-port-max = 31009");
        Assert.InRange(address.Port!.Value, 31000, 31009);
        await transport.Shutdown();
    }

    [Fact]
    public async Task The_scheme_is_the_configured_transport_protocol()
    {
        var (transport, address, _) = await Start("transport-protocol = shmx");
        Assert.Equal("shmx", address.Protocol);
        Assert.Equal("shmx", transport.SchemeIdentifier);
        await transport.Shutdown();
    }
}
