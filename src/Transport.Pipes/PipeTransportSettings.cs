using System.Diagnostics.CodeAnalysis;
using Akka.Configuration;

namespace XStateNet.Actors.Transport.Pipes;

/// <summary>
/// The settings of <see cref="PipeTransport"/>, read from the HOCON section <c>akka.remote.pipe</c> with the
/// transport's embedded reference config as fallback (see that file for what each setting means). The keys every
/// same-host transport shares are in <see cref="SameHostTransportSettings"/>; an empty <c>directory</c> means the
/// temporary directory.
/// </summary>
public sealed record PipeTransportSettings : SameHostTransportSettings
{
    /// <summary>The HOCON path of the section, as settings errors name it.</summary>
    public const string Section = "akka.remote.pipe";

    [SetsRequiredMembers]
    private PipeTransportSettings(SettingsSection section) : base(section)
    {
        HelloTimeout = section.Duration("hello-timeout");
        OutboundBufferSize = section.Bytes("outbound-buffer-size");
        WriteBatchSize = (int)section.Bytes("write-batch-size", int.MaxValue);
        ReadBufferSize = (int)section.Bytes("read-buffer-size", int.MaxValue);
        BlockingReads = section.Bool("blocking-reads");
        PeerExitGrace = section.Duration("peer-exit-grace");

        section.Require(MaximumFrameSize >= 32000, "maximum-frame-size", $"must be at least 32000 bytes, was {MaximumFrameSize}");
        section.Require(OutboundBufferSize >= MaximumFrameSize, "outbound-buffer-size",
            $"must be at least maximum-frame-size ({MaximumFrameSize} bytes), was {OutboundBufferSize}");
        section.Require(WriteBatchSize >= 4096, "write-batch-size", "must be at least 4 KiB");
        section.Require(ReadBufferSize >= 4096, "read-buffer-size", "must be at least 4 KiB");
        section.Require(HelloTimeout > TimeSpan.Zero, "hello-timeout", $"must be positive, was {HelloTimeout}");
        section.Require(PeerExitGrace >= TimeSpan.Zero, "peer-exit-grace", "must not be negative");
    }

    /// <summary>How long each side waits for the other's hello frame (<c>hello-timeout</c>).</summary>
    public TimeSpan HelloTimeout { get; init; }

    /// <summary>Bytes queued for one connection before <c>Write</c> answers "not now" (<c>outbound-buffer-size</c>).</summary>
    public long OutboundBufferSize { get; init; }

    /// <summary>Size of the buffer that coalesces queued frames into one write (<c>write-batch-size</c>).</summary>
    public int WriteBatchSize { get; init; }

    /// <summary>Size of each connection's read buffer (<c>read-buffer-size</c>).</summary>
    public int ReadBufferSize { get; init; }

    /// <summary>Whether each connection reads on a thread of its own with blocking calls (<c>blocking-reads</c>).</summary>
    public bool BlockingReads { get; init; }

    /// <summary>How long a pipe that ended without goodbye waits for the peer's process to vanish (<c>peer-exit-grace</c>).</summary>
    public TimeSpan PeerExitGrace { get; init; }

    /// <summary>The embedded reference config: the section <c>akka.remote.pipe</c> with every default.</summary>
    public static Config Reference => PipeConfig.Reference;

    /// <summary>Reads the settings from the transport's section, filling gaps from <see cref="Reference"/>.</summary>
    /// <exception cref="ConfigurationException">A setting is unknown, unreadable or out of range; the message names its key.</exception>
    public static PipeTransportSettings Create(Config section) =>
        new(new SettingsSection(section, Section, Reference.GetConfig(Section)));
}
