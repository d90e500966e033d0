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
    [InlineData("hot-read-window = 2s", "hot-read-window must be between 0 and 1 s, was 2000 ms")]
    [InlineData("read-buffer-size = 100b", "read-buffer-size must be at least 4 KiB")]
    public void Settings_out_of_range_are_refused_with_the_key_and_the_reason(string setting, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => PipeTransportSettings.Create(ConfigurationFactory.ParseString(setting)));
        Assert.Equal("akka.remote.pipe: " + message, error.Message);
    }

    [Fact]
    public void A_duration_in_a_unit_HOCON_does_not_know_is_refused_with_a_hint()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            PipeTransportSettings.Create(ConfigurationFactory.ParseString("hot-read-window = 200us")));
        Assert.StartsWith("akka.remote.pipe.hot-read-window = \"200us\" is not a duration", error.Message);
    }
}
