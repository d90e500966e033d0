using Akka.Configuration;
using XStateNet.Actors.Transport.SharedMemory.Ring;

namespace XStateNet.Actors.Transport.SharedMemory;

/// <summary>The settings of the section <c>akka.remote.shm</c>, checked once when the transport starts.</summary>
public sealed record ShmSettings
{
    /// <summary>The host name in this node's address.</summary>
    public required string Hostname { get; init; }

    /// <summary>The port in this node's address; 0 picks a free one.</summary>
    public required int Port { get; init; }

    /// <summary>Directory of the control sockets (segments are memfds, in no directory).</summary>
    public required string Directory { get; init; }

    /// <summary>Prefix of every file the transport creates.</summary>
    public required string FilePrefix { get; init; }

    /// <summary>Whether files are created owner-only (0600).</summary>
    public required bool OwnerOnly { get; init; }

    /// <summary>Bytes of each ring.</summary>
    public required long RingSize { get; init; }

    /// <summary>The largest payload Akka may hand to the transport.</summary>
    public required long MaximumFrameSize { get; init; }

    /// <summary>What an idle reader does.</summary>
    public required ShmIdleStrategy IdleStrategy { get; init; }

    /// <summary>Busy-wait rounds before yielding.</summary>
    public required int SpinIterations { get; init; }

    /// <summary>Yields before sleeping.</summary>
    public required int YieldIterations { get; init; }

    /// <summary>Longest single futex sleep.</summary>
    public required TimeSpan SleepTimeout { get; init; }

    /// <summary>How long the thread pool keeps polling a ring after a message (0: never).</summary>
    public required TimeSpan HotReadWindow { get; init; }

    /// <summary>Records per drain.</summary>
    public required int ReadBatchSize { get; init; }

    /// <summary>How often this side's heartbeat is written.</summary>
    public required TimeSpan HeartbeatInterval { get; init; }

    /// <summary>Age at which a peer's heartbeat means it is dead.</summary>
    public required TimeSpan HeartbeatTimeout { get; init; }

    /// <summary>How often peers are checked.</summary>
    public required TimeSpan WatchdogInterval { get; init; }

    /// <summary>Limit for connecting to a peer.</summary>
    public required TimeSpan ConnectTimeout { get; init; }

    /// <summary>Control connections that may be open at once before they have sent their request; more are closed at once.</summary>
    public required int MaxUnidentifiedConnections { get; init; }

    /// <summary>The mode of created files.</summary>
    public UnixFileMode FileMode => OwnerOnly
        ? UnixFileMode.UserRead | UnixFileMode.UserWrite
        : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>
    /// Reads the settings from the transport's section (<c>akka.remote.shm</c>, as Akka hands it to the transport),
    /// with the embedded defaults under it.
    /// </summary>
    /// <exception cref="ConfigurationException">
    /// A setting is out of range or of the wrong type, or a key is unknown: the message names the key and the reason.
    /// </exception>
    public static ShmSettings Create(Config section)
    {
        var reference = ShmConfig.Reference.GetConfig(Section);
        SectionKeys.RejectUnknown(section ?? Config.Empty, Section, reference.Root.GetObject().Items.Keys.ToArray());
        var config = (section ?? Config.Empty).WithFallback(reference);
        var settings = new ShmSettings
        {
            Hostname = Read(config, "hostname", static (c, k) => c.GetString(k)),
            Port = Read(config, "port", static (c, k) => c.GetInt(k)),
            Directory = Read(config, "directory", static (c, k) => c.GetString(k)),
            FilePrefix = Read(config, "file-prefix", static (c, k) => c.GetString(k)),
            OwnerOnly = Read(config, "owner-only", static (c, k) => c.GetBoolean(k)),
            RingSize = Read(config, "ring-size", static (c, k) => c.GetByteSize(k) ?? 0),
            MaximumFrameSize = Read(config, "maximum-frame-size", static (c, k) => c.GetByteSize(k) ?? 0),
            IdleStrategy = ParseIdleStrategy(Read(config, "idle-strategy", static (c, k) => c.GetString(k))),
            SpinIterations = Read(config, "spin-iterations", static (c, k) => c.GetInt(k)),
            YieldIterations = Read(config, "yield-iterations", static (c, k) => c.GetInt(k)),
            SleepTimeout = Read(config, "sleep-timeout", static (c, k) => c.GetTimeSpan(k)),
            HotReadWindow = DurationSetting.Read(config, "hot-read-window", Section),
            ReadBatchSize = Read(config, "read-batch-size", static (c, k) => c.GetInt(k)),
            HeartbeatInterval = Read(config, "heartbeat-interval", static (c, k) => c.GetTimeSpan(k)),
            HeartbeatTimeout = Read(config, "heartbeat-timeout", static (c, k) => c.GetTimeSpan(k)),
            WatchdogInterval = Read(config, "watchdog-interval", static (c, k) => c.GetTimeSpan(k)),
            ConnectTimeout = Read(config, "connect-timeout", static (c, k) => c.GetTimeSpan(k)),
            MaxUnidentifiedConnections = Read(config, "max-unidentified-connections", static (c, k) => c.GetInt(k)),
        };
        settings.Check();
        return settings;
    }

    private const string Section = "akka.remote.shm";

    /// <summary>Reads one key; Akka's own error for a value of the wrong type does not say which key it was.</summary>
    private static T Read<T>(Config config, string key, Func<Config, string, T> read)
    {
        try
        {
            return read(config, key);
        }
        catch (Exception e) when (e is not ConfigurationException || !e.Message.Contains(key, StringComparison.Ordinal))
        {
            throw new ConfigurationException($"{Section}.{key}: {e.Message}", e);
        }
    }

    private void Check()
    {
        Require(!string.IsNullOrWhiteSpace(Hostname), "hostname", "must not be empty");
        Require(Port is >= 0 and <= 65535, "port", $"{Port} is not between 0 and 65535");
        Require(!string.IsNullOrWhiteSpace(Directory), "directory", "must not be empty");
        Require(!string.IsNullOrWhiteSpace(FilePrefix) && FilePrefix.IndexOfAny(['/', '\\']) < 0, "file-prefix",
            "must be a plain file-name prefix");
        Require(SegmentLayout.IsValidCapacity(RingSize), "ring-size",
            $"{RingSize} is not a power of two between {SegmentLayout.MinCapacity} and {SegmentLayout.MaxCapacity} bytes");
        var largest = RingSize / 2 - SegmentLayout.RecordHeaderBytes;
        Require(MaximumFrameSize > 0 && MaximumFrameSize <= largest, "maximum-frame-size",
            $"{MaximumFrameSize} must be between 1 and {largest} (half of ring-size {RingSize}, minus the record header)");
        Require(SpinIterations >= 0, "spin-iterations", "must not be negative");
        Require(YieldIterations >= 0, "yield-iterations", "must not be negative");
        Require(SleepTimeout > TimeSpan.Zero, "sleep-timeout", "must be positive");
        Require(HotReadWindow >= TimeSpan.Zero && HotReadWindow <= TimeSpan.FromSeconds(1), "hot-read-window",
            $"{HotReadWindow.TotalMilliseconds} ms must be between 0 and 1 s");
        Require(ReadBatchSize > 0, "read-batch-size", "must be positive");
        Require(HeartbeatInterval > TimeSpan.Zero, "heartbeat-interval", "must be positive");
        Require(WatchdogInterval > TimeSpan.Zero, "watchdog-interval", "must be positive");
        Require(HeartbeatTimeout > HeartbeatInterval + WatchdogInterval, "heartbeat-timeout",
            $"{HeartbeatTimeout} must exceed heartbeat-interval plus watchdog-interval, or live peers would be declared dead");
        Require(ConnectTimeout > TimeSpan.Zero, "connect-timeout", "must be positive");
        Require(MaxUnidentifiedConnections > 0, "max-unidentified-connections", $"{MaxUnidentifiedConnections} must be positive");
    }

    private static ShmIdleStrategy ParseIdleStrategy(string value) =>
        Enum.TryParse<ShmIdleStrategy>(value, ignoreCase: true, out var strategy) && Enum.IsDefined(strategy)
            ? strategy
            : throw new ConfigurationException(
                $"akka.remote.shm.idle-strategy = \"{value}\" is not one of futex, sleep, spin.");

    private static void Require(bool condition, string key, string problem)
    {
        if (!condition) throw new ConfigurationException($"akka.remote.shm.{key}: {problem}.");
    }
}
