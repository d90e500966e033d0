using System.Diagnostics.CodeAnalysis;
using Akka.Configuration;

namespace XStateNet.Actors.Transport;

/// <summary>
/// The settings every same-host transport shares, under the same key in each one's section
/// (<c>akka.remote.pipe</c>, <c>akka.remote.shm</c>): one word for one idea, read and checked by one piece of code.
/// </summary>
public abstract record SameHostTransportSettings
{
    /// <summary>The largest <c>maximum-frame-size</c> any same-host transport allows: a message is read into one array, and a length near 2 GiB must never be believed.</summary>
    public const int MaximumFrameSizeLimit = 1 << 30;

    /// <summary>Reads and checks the shared keys of <paramref name="section"/>.</summary>
    /// <exception cref="ConfigurationException">A shared setting is unreadable or out of range; the message names its key.</exception>
    [SetsRequiredMembers]
    private protected SameHostTransportSettings(SettingsSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        TransportProtocol = section.String("transport-protocol");
        Hostname = section.String("hostname");
        Port = section.Int("port");
        Directory = section.String("directory");
        FilePrefix = section.String("file-prefix");
        OwnerOnly = section.Bool("owner-only");
        ConnectionTimeout = section.Duration("connection-timeout");
        FreePortMin = section.Int("free-port-min");
        FreePortMax = section.Int("free-port-max");
        FreePortAttempts = section.Int("free-port-attempts");
        MaximumFrameSize = (int)section.Bytes("maximum-frame-size", MaximumFrameSizeLimit);
        MaxUnidentifiedConnections = section.Int("max-unidentified-connections");
        HotReadWindow = section.Duration("hot-read-window");
        Check(section);
    }

    /// <summary>The scheme of this transport's addresses (<c>transport-protocol</c>); Akka prefixes it with <c>akka.</c>.</summary>
    public required string TransportProtocol { get; init; }

    /// <summary>The host part of this node's address (<c>hostname</c>); also part of the names of its files.</summary>
    public required string Hostname { get; init; }

    /// <summary>The port of this node's address (<c>port</c>); 0 picks a free one in <see cref="FreePortMin"/>..<see cref="FreePortMax"/>.</summary>
    public required int Port { get; init; }

    /// <summary>Where this transport's files live (<c>directory</c>); what empty means is each transport's own.</summary>
    public required string Directory { get; init; }

    /// <summary>
    /// Start of every name this transport creates (<c>file-prefix</c>), without a trailing <c>-</c>: the transport
    /// joins it to the rest of the name with one.
    /// </summary>
    public required string FilePrefix { get; init; }

    /// <summary>Whether only processes of this node's user may connect, and files are created 0600 (<c>owner-only</c>).</summary>
    public required bool OwnerOnly { get; init; }

    /// <summary>How long connecting to a peer may take (<c>connection-timeout</c>, Akka's own name for it).</summary>
    public required TimeSpan ConnectionTimeout { get; init; }

    /// <summary>The lowest port that port 0 may pick (<c>free-port-min</c>).</summary>
    public required int FreePortMin { get; init; }

    /// <summary>The highest port that port 0 may pick (<c>free-port-max</c>).</summary>
    public required int FreePortMax { get; init; }

    /// <summary>How many ports port 0 tries before giving up (<c>free-port-attempts</c>).</summary>
    public required int FreePortAttempts { get; init; }

    /// <summary>Largest Akka payload one message carries (<c>maximum-frame-size</c>), reported to Akka as <c>MaximumPayloadBytes</c>.</summary>
    public required int MaximumFrameSize { get; init; }

    /// <summary>Connections that have not yet identified themselves, at most (<c>max-unidentified-connections</c>).</summary>
    public required int MaxUnidentifiedConnections { get; init; }

    /// <summary>How long the thread pool keeps polling a connection after a message (<c>hot-read-window</c>; 0: never).</summary>
    public required TimeSpan HotReadWindow { get; init; }

    /// <summary>
    /// The ports port 0 tries, in order: <see cref="FreePortAttempts"/> of them (at most the whole range) from a random
    /// start in <see cref="FreePortMin"/>..<see cref="FreePortMax"/>, going up and wrapping round. A random start keeps
    /// nodes starting at once from racing for the same ports.
    /// </summary>
    public IEnumerable<int> FreePortCandidates()
    {
        var count = FreePortMax - FreePortMin + 1;
        var start = Random.Shared.Next(count);
        var attempts = Math.Min(count, FreePortAttempts);
        for (var i = 0; i < attempts; i++) yield return FreePortMin + (start + i) % count;
    }

    /// <summary>What the free-port search covers, for the error when it finds none.</summary>
    public string FreePortRange => $"{Math.Min(FreePortMax - FreePortMin + 1, FreePortAttempts)} attempts in [{FreePortMin}, {FreePortMax}]";

    private void Check(SettingsSection section)
    {
        section.Require(!string.IsNullOrWhiteSpace(TransportProtocol), "transport-protocol", "must not be empty");
        section.Require(!string.IsNullOrWhiteSpace(Hostname), "hostname", "must not be empty");
        section.Require(Port is >= 0 and <= 65535, "port", $"must be 0..65535, was {Port}");
        section.Require(!string.IsNullOrWhiteSpace(FilePrefix), "file-prefix", "must not be empty");
        section.Require(FilePrefix.IndexOfAny(['/', '\\']) < 0, "file-prefix",
            $"must be a plain file-name prefix, without '/', was \"{FilePrefix}\"");
        section.Require(!FilePrefix.EndsWith('-'), "file-prefix",
            $"is written without a trailing '-' (the transport adds one), was \"{FilePrefix}\"");
        section.Require(ConnectionTimeout > TimeSpan.Zero, "connection-timeout", $"must be positive, was {ConnectionTimeout}");
        section.Require(FreePortMin is > 0 and <= 65535 && FreePortMax >= FreePortMin && FreePortMax <= 65535, "free-port-min",
            $"free-port-min..free-port-max must be a range within 1..65535, was {FreePortMin}..{FreePortMax}");
        section.Require(FreePortAttempts > 0, "free-port-attempts", $"must be positive, was {FreePortAttempts}");
        section.Require(MaximumFrameSize > 0, "maximum-frame-size", $"must be positive, was {MaximumFrameSize}");
        section.Require(MaxUnidentifiedConnections > 0, "max-unidentified-connections", $"must be positive, was {MaxUnidentifiedConnections}");
        section.Require(HotReadWindow >= TimeSpan.Zero && HotReadWindow <= TimeSpan.FromSeconds(1), "hot-read-window",
            $"must be between 0 and 1 s, was {HotReadWindow.TotalMilliseconds} ms");
    }
}
