using Akka.Configuration;

namespace XStateNet.Actors.Transport.Pipes;

/// <summary>
/// The settings of <see cref="PipeTransport"/>, read from the HOCON section <c>akka.remote.pipe</c> with the
/// transport's embedded reference config as fallback (see that file for what each setting means).
/// </summary>
public sealed record PipeTransportSettings
{
    /// <summary>The scheme of this transport's addresses (<c>transport-protocol</c>); Akka prefixes it with <c>akka.</c>.</summary>
    public required string TransportProtocol { get; init; }

    /// <summary>The host part of this node's address (<c>hostname</c>); also part of the pipe's name.</summary>
    public required string Hostname { get; init; }

    /// <summary>The port of this node's address (<c>port</c>); 0 picks a free one.</summary>
    public required int Port { get; init; }

    /// <summary>The lowest port that port 0 may pick (<c>free-port-min</c>).</summary>
    public required int FreePortMin { get; init; }

    /// <summary>The highest port that port 0 may pick (<c>free-port-max</c>).</summary>
    public required int FreePortMax { get; init; }

    /// <summary>How many ports port 0 tries before giving up (<c>free-port-attempts</c>).</summary>
    public required int FreePortAttempts { get; init; }

    /// <summary>Largest Akka payload one frame carries (<c>maximum-frame-size</c>), reported to Akka as <c>MaximumPayloadBytes</c>.</summary>
    public required int MaximumFrameSize { get; init; }

    /// <summary>Directory of the pipes' socket and lock files (<c>pipe-directory</c>); empty means the temporary directory.</summary>
    public required string PipeDirectory { get; init; }

    /// <summary>Start of every pipe's name (<c>pipe-name-prefix</c>).</summary>
    public required string PipeNamePrefix { get; init; }

    /// <summary>Whether only processes of the same user may connect (<c>current-user-only</c>).</summary>
    public required bool CurrentUserOnly { get; init; }

    /// <summary>How long connecting to a peer's pipe may take (<c>connection-timeout</c>).</summary>
    public required TimeSpan ConnectionTimeout { get; init; }

    /// <summary>How long each side waits for the other's hello frame (<c>hello-timeout</c>).</summary>
    public required TimeSpan HelloTimeout { get; init; }

    /// <summary>Bytes queued for one connection before <c>Write</c> answers "not now" (<c>outbound-buffer-size</c>).</summary>
    public required long OutboundBufferSize { get; init; }

    /// <summary>Size of the buffer that coalesces queued frames into one write (<c>write-batch-size</c>).</summary>
    public required int WriteBatchSize { get; init; }

    /// <summary>Size of each connection's read buffer (<c>read-buffer-size</c>).</summary>
    public required int ReadBufferSize { get; init; }

    /// <summary>Whether each connection reads on a thread of its own with blocking calls (<c>blocking-reads</c>).</summary>
    public required bool BlockingReads { get; init; }

    /// <summary>How long the thread pool keeps polling a connection after a message (<c>hot-read-window</c>; 0: never).</summary>
    public required TimeSpan HotReadWindow { get; init; }

    /// <summary>How long a pipe that ended without goodbye waits for the peer's process to vanish (<c>peer-exit-grace</c>).</summary>
    public required TimeSpan PeerExitGrace { get; init; }

    /// <summary>The embedded reference config: the section <c>akka.remote.pipe</c> with every default.</summary>
    public static Config Reference { get; } =
        TransportRemotingHosting.EmbeddedConfig(typeof(PipeTransportSettings).Assembly, "XStateNet.Actors.Transport.Pipes.reference.conf");

    /// <summary>Reads the settings from the transport's section, filling gaps from <see cref="Reference"/>.</summary>
    /// <exception cref="ConfigurationException">A setting is out of range.</exception>
    public static PipeTransportSettings Create(Config section)
    {
        var config = (section ?? Config.Empty).WithFallback(Reference.GetConfig("akka.remote.pipe"));
        var settings = new PipeTransportSettings
        {
            TransportProtocol = config.GetString("transport-protocol"),
            Hostname = config.GetString("hostname"),
            Port = config.GetInt("port"),
            FreePortMin = config.GetInt("free-port-min"),
            FreePortMax = config.GetInt("free-port-max"),
            FreePortAttempts = config.GetInt("free-port-attempts"),
            MaximumFrameSize = checked((int)(config.GetByteSize("maximum-frame-size") ?? 0)),
            PipeDirectory = config.GetString("pipe-directory", ""),
            PipeNamePrefix = config.GetString("pipe-name-prefix"),
            CurrentUserOnly = config.GetBoolean("current-user-only"),
            ConnectionTimeout = config.GetTimeSpan("connection-timeout"),
            HelloTimeout = config.GetTimeSpan("hello-timeout"),
            OutboundBufferSize = config.GetByteSize("outbound-buffer-size") ?? 0,
            WriteBatchSize = checked((int)(config.GetByteSize("write-batch-size") ?? 0)),
            ReadBufferSize = checked((int)(config.GetByteSize("read-buffer-size") ?? 0)),
            PeerExitGrace = config.GetTimeSpan("peer-exit-grace"),
            BlockingReads = config.GetBoolean("blocking-reads"),
            HotReadWindow = DurationSetting.Read(config, "hot-read-window", "akka.remote.pipe"),
        };
        settings.Validate();
        return settings;
    }

    private void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(TransportProtocol), "transport-protocol must not be empty");
        Require(!string.IsNullOrWhiteSpace(Hostname), "hostname must not be empty");
        Require(Port is >= 0 and <= 65535, $"port must be 0..65535, was {Port}");
        Require(FreePortMin is > 0 and <= 65535 && FreePortMax >= FreePortMin && FreePortMax <= 65535,
            $"free-port-min..free-port-max must be a range within 1..65535, was {FreePortMin}..{FreePortMax}");
        Require(FreePortAttempts > 0, "free-port-attempts must be positive");
        Require(MaximumFrameSize >= 32000, $"maximum-frame-size must be at least 32000 bytes, was {MaximumFrameSize}");
        Require(OutboundBufferSize >= MaximumFrameSize, "outbound-buffer-size must be at least maximum-frame-size");
        Require(WriteBatchSize >= 4096, "write-batch-size must be at least 4 KiB");
        Require(ReadBufferSize >= 4096, "read-buffer-size must be at least 4 KiB");
        Require(ConnectionTimeout > TimeSpan.Zero && HelloTimeout > TimeSpan.Zero, "timeouts must be positive");
        Require(HotReadWindow >= TimeSpan.Zero && HotReadWindow <= TimeSpan.FromSeconds(1),
            $"hot-read-window must be between 0 and 1 s, was {HotReadWindow.TotalMilliseconds} ms");
        Require(PeerExitGrace >= TimeSpan.Zero, "peer-exit-grace must not be negative");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ConfigurationException("akka.remote.pipe: " + message);
    }
}
