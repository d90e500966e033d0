using Akka.Configuration;
using Akka.Hosting;

namespace XStateNet.Actors.Hosting.Tests;

/// <summary>
/// PipeRemotingOptions and ShmRemotingOptions have one shape: the same property writes the same key in
/// <c>akka.remote.pipe</c> and <c>akka.remote.shm</c>, in the shared vocabulary, quoted by Akka.Hosting's ToHocon().
/// </summary>
public sealed class TransportOptionsHoconSpecs
{
    public static TheoryData<string> Sections => new() { Builders.Pipe, Builders.Shm };

    [Theory]
    [MemberData(nameof(Sections))]
    public void Every_shared_option_writes_its_key_of_the_shared_vocabulary(string section)
    {
        var config = Builders.New().WithTransport(section, o =>
        {
            o.HostName = "node-a";
            o.Port = 20123;
            o.Directory = "/run/xstatenet";
            o.FilePrefix = "my-app";
            o.OwnerOnly = false;
            o.ConnectionTimeout = TimeSpan.FromMilliseconds(1500);
            o.FreePortMin = 30000;
            o.FreePortMax = 30100;
            o.FreePortAttempts = 7;
            o.MaxFrameSize = 262144;
            o.MaxUnidentifiedConnections = 16;
            o.HotReadWindow = TimeSpan.FromMilliseconds(0.05);
        }).Hocon().GetConfig(section);

        Assert.Equal("node-a", config.GetString("hostname"));
        Assert.Equal(20123, config.GetInt("port"));
        Assert.Equal("/run/xstatenet", config.GetString("directory"));
        Assert.Equal("my-app", config.GetString("file-prefix"));
        Assert.False(config.GetBoolean("owner-only"));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), config.GetTimeSpan("connection-timeout"));
        Assert.Equal(30000, config.GetInt("free-port-min"));
        Assert.Equal(30100, config.GetInt("free-port-max"));
        Assert.Equal(7, config.GetInt("free-port-attempts"));
        Assert.Equal(262144L, config.GetByteSize("maximum-frame-size"));
        Assert.Equal(16, config.GetInt("max-unidentified-connections"));
        Assert.Equal(TimeSpan.FromMilliseconds(0.05), config.GetTimeSpan("hot-read-window"));
        foreach (var old in new[] { "pipe-directory", "pipe-name-prefix", "current-user-only", "connect-timeout" })
            Assert.False(config.HasPath(old), $"{section}.{old} is a key of the old vocabulary");
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void Options_left_unset_write_nothing_so_the_transports_defaults_apply(string section)
    {
        var config = Builders.New().WithTransport(section).Hocon().GetConfig(section);

        // Only what the ready file switches on: the transport, its adapters and the address (localhost, a free port).
        Assert.Equal(["applied-adapters", "hostname", "port", "transport-class"],
            config.Root.GetObject().Items.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("localhost", config.GetString("hostname"));
        Assert.Equal(0, config.GetInt("port"));
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void Strings_are_quoted_by_ToHocon_and_read_back_unchanged(string section)
    {
        const string directory = "/tmp/with space/\"quoted\"/back\\slash//double#hash";
        const string prefix = "app:one,two";

        var config = Builders.New().WithTransport(section, o => (o.Directory, o.FilePrefix) = (directory, prefix))
            .Hocon().GetConfig(section);

        Assert.Equal(directory, config.GetString("directory"));
        Assert.Equal(prefix, config.GetString("file-prefix"));
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void A_port_out_of_range_is_refused_while_configuring_naming_its_key(string section)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Builders.New().WithTransport(section, o => o.Port = 70000));
        Assert.Contains($"{section}.port", error.Message);
    }

    [Fact]
    public void The_ring_size_is_written_for_shm_only()
    {
        var config = Builders.New().WithShmRemoting(new ShmRemotingOptions { RingSize = 8 << 20 }).Hocon();

        Assert.Equal(8L << 20, config.GetByteSize("akka.remote.shm.ring-size"));
        Assert.False(config.HasPath("akka.remote.pipe"));
    }

    [Fact]
    public void Both_option_classes_have_the_same_properties_but_the_ring_size()
    {
        static string[] Names(Type type) => type.GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(Names(typeof(PipeRemotingOptions)), Names(typeof(ShmRemotingOptions)).Where(n => n != "RingSize"));
        Assert.Equal("XStateNet.Actors.Hosting", typeof(PipeRemotingOptions).Namespace);
        Assert.Equal(typeof(PipeRemotingOptions).Namespace, typeof(ShmRemotingOptions).Namespace);
        Assert.Equal(typeof(PipeRemotingOptions).Namespace, typeof(PipeRemotingHostingExtensions).Namespace);
        Assert.Equal(typeof(PipeRemotingOptions).Namespace, typeof(ShmRemotingHostingExtensions).Namespace);
    }

    [Fact]
    public void The_ready_file_is_a_fallback_so_the_nodes_own_settings_keep_precedence()
    {
        var config = Builders.New()
            .AddHocon(ConfigurationFactory.ParseString("akka.remote.watch-failure-detector.acceptable-heartbeat-pause = 9s"), HoconAddMode.Prepend)
            .WithPipeRemoting(new PipeRemotingOptions())
            .Hocon();

        Assert.Equal(TimeSpan.FromSeconds(9), config.GetTimeSpan("akka.remote.watch-failure-detector.acceptable-heartbeat-pause"));
        // What the node did not set comes from the ready file.
        Assert.Equal(TimeSpan.FromMilliseconds(500), config.GetTimeSpan("akka.remote.watch-failure-detector.heartbeat-interval"));
    }
}
