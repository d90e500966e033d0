using Akka.Configuration;

namespace XStateNet.Actors.Transport.Tests;

public sealed class SectionKeysTests
{
    private static readonly string[] Known = ["ring-size", "segment-directory", "hostname"];

    [Fact]
    public void A_section_of_known_keys_passes()
    {
        SectionKeys.RejectUnknown(ConfigurationFactory.ParseString("ring-size = 4096, hostname = x"), "akka.remote.shm", Known);
    }

    [Fact]
    public void An_empty_section_passes()
    {
        SectionKeys.RejectUnknown(Config.Empty, "akka.remote.shm", Known);
        SectionKeys.RejectUnknown(ConfigurationFactory.ParseString(""), "akka.remote.shm", Known);
    }

    [Fact]
    public void A_typo_is_refused_with_its_full_path_and_the_known_keys()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            SectionKeys.RejectUnknown(ConfigurationFactory.ParseString("ring-sise = 4096"), "akka.remote.shm", Known));

        Assert.Equal(
            "akka.remote.shm.ring-sise: unknown setting. akka.remote.shm knows hostname, ring-size, segment-directory.",
            error.Message);
    }

    [Fact]
    public void Every_unknown_key_is_named_in_order()
    {
        var error = Assert.Throws<ConfigurationException>(() => SectionKeys.RejectUnknown(
            ConfigurationFactory.ParseString("zeta = 1, ring-size = 2, alpha { nested = 3 }"), "akka.remote.shm", Known));

        Assert.StartsWith("akka.remote.shm.alpha, akka.remote.shm.zeta: unknown settings.", error.Message);
    }

    [Fact]
    public void A_section_taken_from_a_larger_config_is_checked_by_its_own_keys()
    {
        var section = ConfigurationFactory.ParseString("akka.remote.shm { ring-size = 1, hostnme = h }").GetConfig("akka.remote.shm");
        var error = Assert.Throws<ConfigurationException>(() => SectionKeys.RejectUnknown(section, "akka.remote.shm", Known));
        Assert.StartsWith("akka.remote.shm.hostnme: unknown setting.", error.Message);
    }

    [Fact]
    public void Keys_are_compared_exactly()
    {
        Assert.Throws<ConfigurationException>(() =>
            SectionKeys.RejectUnknown(ConfigurationFactory.ParseString("Ring-Size = 1"), "s", Known));
    }
}
