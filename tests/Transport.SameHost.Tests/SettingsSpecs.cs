using Akka.Actor;
using Akka.Configuration;

namespace XStateNet.Actors.Transport.SameHost.Tests;

/// <summary>akka.remote.same-host refuses unknown keys and bad values when the transport is created, naming its own keys.</summary>
public sealed class SettingsSpecs
{
    [Theory]
    [InlineData("ring-sise = 4MiB", "akka.remote.same-host.ring-sise")]
    [InlineData("ring-size = 5000b", "akka.remote.same-host.ring-size")]
    [InlineData("heartbeat-timeout = 100ms", "akka.remote.same-host.heartbeat-timeout")]
    [InlineData("idle-strategy = nap", "akka.remote.same-host.idle-strategy")]
    public async Task A_bad_setting_fails_the_transport_naming_the_key(string setting, string key)
    {
        // A remote node (Akka's own TCP, so Akka.Remote's defaults are loaded) whose section is handed to the transport.
        var system = ActorSystem.Create("settings", $$"""
            akka.loglevel = OFF
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.remote.same-host { {{setting}} }
            """);
        try
        {
            var error = Assert.Throws<ConfigurationException>(() =>
                new SameHostTransport(system, system.Settings.Config.GetConfig("akka.remote.dot-netty.tcp")));
            Assert.Contains(key, error.Message);
            Assert.DoesNotContain("akka.remote.shm", error.Message);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task A_larger_tcp_frame_grows_the_default_ring_but_a_ring_size_the_node_set_is_kept_and_refused_if_too_small()
    {
        // The repository's tcp.conf raises maximum-frame-size to 2 MiB: adding same-host.conf to it must just work.
        const string tcp = "akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, maximum-frame-size = 2MiB }";
        var grown = ActorSystem.Create("settings", $"akka.loglevel = OFF\nakka.actor.provider = remote\n{tcp}");
        var kept = ActorSystem.Create("settings", $"akka.loglevel = OFF\nakka.actor.provider = remote\n{tcp}\nakka.remote.same-host.ring-size = 4MiB");
        try
        {
            _ = new SameHostTransport(grown, grown.Settings.Config.GetConfig("akka.remote.dot-netty.tcp"));
            Assert.Equal(8L << 20, SameHostSettings.RingSizeFor(4L << 20, 2L << 20));
            Assert.Equal(4L << 20, SameHostSettings.RingSizeFor(4L << 20, 128_000));

            var error = Assert.Throws<ConfigurationException>(() =>
                new SameHostTransport(kept, kept.Settings.Config.GetConfig("akka.remote.dot-netty.tcp")));
            Assert.Contains("akka.remote.dot-netty.tcp.maximum-frame-size", error.Message);
            Assert.Contains("akka.remote.same-host.ring-size", error.Message);
        }
        finally
        {
            await Task.WhenAll(grown.Terminate(), kept.Terminate());
        }
    }
}
