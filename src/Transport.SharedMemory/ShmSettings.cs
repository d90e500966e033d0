using System.Diagnostics.CodeAnalysis;
using Akka.Configuration;
using XStateNet.Actors.Transport.SharedMemory.Ring;

namespace XStateNet.Actors.Transport.SharedMemory;

/// <summary>
/// The settings of the section <c>akka.remote.shm</c>, checked once when the transport starts. The keys every same-host
/// transport shares are in <see cref="SameHostTransportSettings"/>; <c>directory</c> is where the control sockets live.
/// </summary>
public sealed record ShmSettings : SameHostTransportSettings
{
    private const string Section = "akka.remote.shm";

    [SetsRequiredMembers]
    private ShmSettings(SettingsSection section) : base(section)
    {
        RingSize = section.Bytes("ring-size");
        IdleStrategy = ParseIdleStrategy(section);
        SpinIterations = section.Int("spin-iterations");
        YieldIterations = section.Int("yield-iterations");
        SleepTimeout = section.Duration("sleep-timeout");
        ReadBatchSize = section.Int("read-batch-size");
        HeartbeatInterval = section.Duration("heartbeat-interval");
        HeartbeatTimeout = section.Duration("heartbeat-timeout");
        WatchdogInterval = section.Duration("watchdog-interval");

        section.Require(!string.IsNullOrWhiteSpace(Directory), "directory", "must not be empty");
        section.Require(SegmentLayout.IsValidCapacity(RingSize), "ring-size",
            $"{RingSize} is not a power of two between {SegmentLayout.MinCapacity} and {SegmentLayout.MaxCapacity} bytes");
        var largest = RingSize / 2 - SegmentLayout.RecordHeaderBytes;
        section.Require(MaximumFrameSize <= largest, "maximum-frame-size",
            $"{MaximumFrameSize} must be between 1 and {largest} (half of ring-size {RingSize}, minus the record header)");
        section.Require(SpinIterations >= 0, "spin-iterations", "must not be negative");
        section.Require(YieldIterations >= 0, "yield-iterations", "must not be negative");
        section.Require(SleepTimeout > TimeSpan.Zero, "sleep-timeout", "must be positive");
        section.Require(ReadBatchSize > 0, "read-batch-size", "must be positive");
        section.Require(HeartbeatInterval > TimeSpan.Zero, "heartbeat-interval", "must be positive");
        section.Require(WatchdogInterval > TimeSpan.Zero, "watchdog-interval", "must be positive");
        section.Require(HeartbeatTimeout > HeartbeatInterval + WatchdogInterval, "heartbeat-timeout",
            $"{HeartbeatTimeout} must exceed heartbeat-interval plus watchdog-interval, or live peers would be declared dead");
    }

    /// <summary>Bytes of each ring (<c>ring-size</c>).</summary>
    public long RingSize { get; init; }

    /// <summary>What an idle reader does (<c>idle-strategy</c>).</summary>
    public ShmIdleStrategy IdleStrategy { get; init; }

    /// <summary>Busy-wait rounds before yielding (<c>spin-iterations</c>).</summary>
    public int SpinIterations { get; init; }

    /// <summary>Yields before sleeping (<c>yield-iterations</c>).</summary>
    public int YieldIterations { get; init; }

    /// <summary>Longest single futex sleep (<c>sleep-timeout</c>).</summary>
    public TimeSpan SleepTimeout { get; init; }

    /// <summary>Records per drain (<c>read-batch-size</c>).</summary>
    public int ReadBatchSize { get; init; }

    /// <summary>How often this side's heartbeat is written (<c>heartbeat-interval</c>).</summary>
    public TimeSpan HeartbeatInterval { get; init; }

    /// <summary>Age at which a peer's heartbeat means it is dead (<c>heartbeat-timeout</c>).</summary>
    public TimeSpan HeartbeatTimeout { get; init; }

    /// <summary>How often peers are checked (<c>watchdog-interval</c>).</summary>
    public TimeSpan WatchdogInterval { get; init; }

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
    public static ShmSettings Create(Config section) =>
        new(new SettingsSection(section, Section, ShmConfig.Reference.GetConfig(Section)));

    private static ShmIdleStrategy ParseIdleStrategy(SettingsSection section)
    {
        var value = section.String("idle-strategy");
        var known = Enum.TryParse<ShmIdleStrategy>(value, ignoreCase: true, out var strategy) && Enum.IsDefined(strategy);
        section.Require(known, "idle-strategy", $"\"{value}\" is not one of futex, sleep, spin");
        return strategy;
    }
}
