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

    /// <summary>Accepted connections that have not yet said hello, at most (<c>max-unidentified-connections</c>).</summary>
    public required int MaxUnidentifiedConnections { get; init; }

    /// <summary>The largest <c>maximum-frame-size</c> allowed: a frame is read into one array, and a length near 2 GiB must never be believed.</summary>
    public const int MaximumFrameSizeLimit = 1 << 30;

    /// <summary>The HOCON path of the section, as settings errors name it.</summary>
    public const string Section = "akka.remote.pipe";

    /// <summary>The embedded reference config: the section <c>akka.remote.pipe</c> with every default.</summary>
    public static Config Reference => PipeConfig.Reference;

    /// <summary>Reads the settings from the transport's section, filling gaps from <see cref="Reference"/>.</summary>
    /// <exception cref="ConfigurationException">A setting is unknown, unreadable or out of range; the message names its key.</exception>
    public static PipeTransportSettings Create(Config section)
    {
        var defaults = Reference.GetConfig(Section);
        section ??= Config.Empty;
        // A typo (pipe-directroy) must not silently leave the default in effect.
        SectionKeys.RejectUnknown(section, Section, defaults.Root.GetObject().Items.Keys.ToArray());
        var config = section.WithFallback(defaults);
        var settings = new PipeTransportSettings
        {
            TransportProtocol = Read(config, "transport-protocol", c => c.GetString("transport-protocol")),
            Hostname = Read(config, "hostname", c => c.GetString("hostname")),
            Port = Read(config, "port", c => c.GetInt("port")),
            FreePortMin = Read(config, "free-port-min", c => c.GetInt("free-port-min")),
            FreePortMax = Read(config, "free-port-max", c => c.GetInt("free-port-max")),
            FreePortAttempts = Read(config, "free-port-attempts", c => c.GetInt("free-port-attempts")),
            MaximumFrameSize = ReadSize(config, "maximum-frame-size", MaximumFrameSizeLimit),
            PipeDirectory = Read(config, "pipe-directory", c => c.GetString("pipe-directory", "")),
            PipeNamePrefix = Read(config, "pipe-name-prefix", c => c.GetString("pipe-name-prefix")),
            CurrentUserOnly = Read(config, "current-user-only", c => c.GetBoolean("current-user-only")),
            ConnectionTimeout = Read(config, "connection-timeout", c => c.GetTimeSpan("connection-timeout")),
            HelloTimeout = Read(config, "hello-timeout", c => c.GetTimeSpan("hello-timeout")),
            OutboundBufferSize = ReadSizeLong(config, "outbound-buffer-size", long.MaxValue),
            WriteBatchSize = ReadSize(config, "write-batch-size", int.MaxValue),
            ReadBufferSize = ReadSize(config, "read-buffer-size", int.MaxValue),
            PeerExitGrace = Read(config, "peer-exit-grace", c => c.GetTimeSpan("peer-exit-grace")),
            BlockingReads = Read(config, "blocking-reads", c => c.GetBoolean("blocking-reads")),
            HotReadWindow = DurationSetting.Read(config, "hot-read-window", Section),
            MaxUnidentifiedConnections = Read(config, "max-unidentified-connections", c => c.GetInt("max-unidentified-connections")),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Reads one setting; HOCON's own complaint (a word where a number belongs) is given the key's name.</summary>
    private static T Read<T>(Config config, string key, Func<Config, T> read)
    {
        try
        {
            return read(config);
        }
        catch (Exception e) when (e is not ConfigurationException || !e.Message.Contains(key, StringComparison.Ordinal))
        {
            throw new ConfigurationException($"{Section}.{key}: cannot be read: {e.Message}", e);
        }
    }

    private static int ReadSize(Config config, string key, int limit) => (int)ReadSizeLong(config, key, limit);

    private static long ReadSizeLong(Config config, string key, long limit)
    {
        var bytes = Read(config, key, c => c.GetByteSize(key)) ?? 0;
        if (bytes > limit) throw new ConfigurationException($"{Section}: {key} must be at most {limit} bytes, was {bytes}");
        return bytes;
    }

    private void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(TransportProtocol), "transport-protocol must not be empty");
        Require(!string.IsNullOrWhiteSpace(Hostname), "hostname must not be empty");
        Require(Port is >= 0 and <= 65535, $"port must be 0..65535, was {Port}");
        Require(FreePortMin is > 0 and <= 65535 && FreePortMax >= FreePortMin && FreePortMax <= 65535,
            $"free-port-min..free-port-max must be a range within 1..65535, was {FreePortMin}..{FreePortMax}");
        Require(FreePortAttempts > 0, $"free-port-attempts must be positive, was {FreePortAttempts}");
        Require(MaximumFrameSize >= 32000, $"maximum-frame-size must be at least 32000 bytes, was {MaximumFrameSize}");
        Require(OutboundBufferSize >= MaximumFrameSize,
            $"outbound-buffer-size must be at least maximum-frame-size ({MaximumFrameSize} bytes), was {OutboundBufferSize}");
        Require(WriteBatchSize >= 4096, "write-batch-size must be at least 4 KiB");
        Require(ReadBufferSize >= 4096, "read-buffer-size must be at least 4 KiB");
        Require(ConnectionTimeout > TimeSpan.Zero, $"connection-timeout must be positive, was {ConnectionTimeout}");
        Require(HelloTimeout > TimeSpan.Zero, $"hello-timeout must be positive, was {HelloTimeout}");
        Require(HotReadWindow >= TimeSpan.Zero && HotReadWindow <= TimeSpan.FromSeconds(1),
            $"hot-read-window must be between 0 and 1 s, was {HotReadWindow.TotalMilliseconds} ms");
        Require(PeerExitGrace >= TimeSpan.Zero, "peer-exit-grace must not be negative");
        Require(MaxUnidentifiedConnections > 0, $"max-unidentified-connections must be positive, was {MaxUnidentifiedConnections}");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ConfigurationException(Section + ": " + message);
    }
}
