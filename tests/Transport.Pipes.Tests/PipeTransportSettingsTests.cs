using Akka.Configuration;

namespace XStateNet.Actors.Transport.Pipes.Tests;

public sealed class PipeTransportSettingsTests
{
    [Fact]
    public void The_embedded_defaults_keep_reading_hot_for_a_fifth_of_a_millisecond()
    {
        var settings = PipeTransportSettings.Create(Config.Empty);
        Assert.Equal(TimeSpan.FromMilliseconds(0.2), settings.HotReadWindow);
    }

    [Theory]
    [InlineData("hot-read-window = 2s", "hot-read-window: must be between 0 and 1 s, was 2000 ms")]
    [InlineData("read-buffer-size = 100b", "read-buffer-size: must be at least 4 KiB")]
    public void Settings_out_of_range_are_refused_with_the_key_and_the_reason(string setting, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => PipeTransportSettings.Create(ConfigurationFactory.ParseString(setting)));
        Assert.Equal("akka.remote.pipe." + message, error.Message);
    }

    [Fact]
    public void A_duration_in_a_unit_HOCON_does_not_know_is_refused_with_a_hint()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            PipeTransportSettings.Create(ConfigurationFactory.ParseString("hot-read-window = 200us")));
        Assert.StartsWith("akka.remote.pipe.hot-read-window = \"200us\" is not a duration", error.Message);
    }

    [Fact]
    public void An_unknown_key_in_the_section_is_refused_naming_it_and_the_known_ones()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            PipeTransportSettings.Create(ConfigurationFactory.ParseString("directroy = \"/tmp\", port = 1")));
        Assert.StartsWith("akka.remote.pipe.directroy: unknown setting.", error.Message);
        Assert.Contains("directory", error.Message);
        Assert.Contains("max-unidentified-connections", error.Message);
    }

    [Fact]
    public void Every_key_of_the_shipped_files_is_known()
    {
        // The reference config and hocon/pipes.conf must pass their own check.
        PipeTransportSettings.Create(PipeTransportSettings.Reference.GetConfig("akka.remote.pipe"));
        PipeTransportSettings.Create(PipeConfig.Ready.GetConfig("akka.remote.pipe"));
    }

    [Theory]
    [InlineData("port = eighty", "akka.remote.pipe.port")]
    [InlineData("maximum-frame-size = 2GiB", "akka.remote.pipe.maximum-frame-size: must be at most 1073741824 bytes")]
    [InlineData("outbound-buffer-size = lots", "akka.remote.pipe.outbound-buffer-size")]
    [InlineData("connection-timeout = 0s", "akka.remote.pipe.connection-timeout: must be positive")]
    [InlineData("hello-timeout = 0s", "akka.remote.pipe.hello-timeout: must be positive")]
    [InlineData("max-unidentified-connections = 0", "akka.remote.pipe.max-unidentified-connections: must be positive")]
    [InlineData("free-port-attempts = 0", "akka.remote.pipe.free-port-attempts: must be positive")]
    [InlineData("owner-only = perhaps", "akka.remote.pipe.owner-only")]
    [InlineData("file-prefix = \"mine-\"", "akka.remote.pipe.file-prefix: is written without a trailing '-'")]
    [InlineData("file-prefix = \"a/b\"", "akka.remote.pipe.file-prefix: must be a plain file-name prefix")]
    public void Every_settings_error_names_its_key(string setting, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => PipeTransportSettings.Create(ConfigurationFactory.ParseString(setting)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Unidentified_connections_are_capped_at_64_by_default()
    {
        Assert.Equal(64, PipeTransportSettings.Create(Config.Empty).MaxUnidentifiedConnections);
    }
}
