using System.Text;
using Akka.Configuration;
using Akka.Hosting;

namespace XStateNet.Actors.Hosting;

/// <summary>
/// What the same-host transports (<c>akka.remote.pipe</c>, <c>akka.remote.shm</c>) share in Akka.Hosting: one
/// property for each key the two sections have in common, with the same name in both option classes. A property left
/// null keeps the transport's default (its embedded <c>reference.conf</c>), as Akka.Remote.Hosting's
/// <c>RemoteOptions</c> does; a value that is out of range fails when the node starts, naming its HOCON key.
/// </summary>
public abstract class TransportRemotingOptions
{
    // Only this package's transports derive from it: the section and ready file they supply are plumbing.
    private protected TransportRemotingOptions()
    {
    }

    /// <summary>
    /// The host part of the node's address (<c>hostname</c>; default <c>localhost</c>). A name on this host only:
    /// peers must use exactly this name in their addresses.
    /// </summary>
    public string? HostName { get; set; }

    /// <summary>The port part of the node's address (<c>port</c>); 0, the default, picks a free one in the free-port range.</summary>
    public int? Port { get; set; }

    /// <summary>The directory of the transport's files (<c>directory</c>); it must exist.</summary>
    public string? Directory { get; set; }

    /// <summary>
    /// The start of every file name the transport creates (<c>file-prefix</c>), joined to the rest with <c>-</c>;
    /// written without a trailing <c>-</c>. Lets several products share a directory.
    /// </summary>
    public string? FilePrefix { get; set; }

    /// <summary>Files readable and writable by their owner only (<c>owner-only</c>; default on).</summary>
    public bool? OwnerOnly { get; set; }

    /// <summary>How long associating with a peer may take before the attempt fails (<c>connection-timeout</c>, Akka's name).</summary>
    public TimeSpan? ConnectionTimeout { get; set; }

    /// <summary>The lowest port that port 0 picks (<c>free-port-min</c>).</summary>
    public int? FreePortMin { get; set; }

    /// <summary>The highest port that port 0 picks (<c>free-port-max</c>).</summary>
    public int? FreePortMax { get; set; }

    /// <summary>How many ports port 0 tries before start-up fails (<c>free-port-attempts</c>).</summary>
    public int? FreePortAttempts { get; set; }

    /// <summary>
    /// The largest Akka payload, in bytes, one message may carry (<c>maximum-frame-size</c>, the name of the same
    /// property in Akka.Remote.Hosting's <c>RemoteOptions</c>).
    /// </summary>
    public long? MaxFrameSize { get; set; }

    /// <summary>Connections that may be open at once without having said who they are (<c>max-unidentified-connections</c>).</summary>
    public int? MaxUnidentifiedConnections { get; set; }

    /// <summary>How long a reader keeps polling after a message arrives (<c>hot-read-window</c>); zero turns it off.</summary>
    public TimeSpan? HotReadWindow { get; set; }

    /// <summary>The transport's HOCON section, e.g. <c>akka.remote.pipe</c>: also its name in <c>akka.remote.enabled-transports</c>.</summary>
    internal abstract string Section { get; }

    /// <summary>The transport's ready file (<c>hocon/*.conf</c>, embedded): provider, enabled transport, failure detectors.</summary>
    internal abstract Config ReadyConfig { get; }

    /// <summary>Writes the keys only one transport has; called after the shared ones.</summary>
    private protected virtual void AppendOwnKeys(StringBuilder keys)
    {
    }

    /// <summary>
    /// The keys set here, as the body of the transport's section (<c>hostname = localhost</c>, one a line), every value
    /// written by Akka.Hosting's <c>ToHocon()</c>; empty when nothing is set.
    /// </summary>
    internal string SectionHocon()
    {
        if (Port is < 0 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(Port), Port, $"{Section}.port must be 0 to 65535 (0 picks a free one)");

        var keys = new StringBuilder();
        Append(keys, "hostname", HostName?.ToHocon());
        Append(keys, "port", Port?.ToHocon());
        Append(keys, "directory", Directory?.ToHocon());
        Append(keys, "file-prefix", FilePrefix?.ToHocon());
        Append(keys, "owner-only", OwnerOnly?.ToHocon());
        Append(keys, "connection-timeout", ConnectionTimeout?.ToHocon());
        Append(keys, "free-port-min", FreePortMin?.ToHocon());
        Append(keys, "free-port-max", FreePortMax?.ToHocon());
        Append(keys, "free-port-attempts", FreePortAttempts?.ToHocon());
        Append(keys, "maximum-frame-size", MaxFrameSize?.ToHocon());
        Append(keys, "max-unidentified-connections", MaxUnidentifiedConnections?.ToHocon());
        Append(keys, "hot-read-window", HotReadWindow?.ToHocon());
        AppendOwnKeys(keys);
        return keys.ToString();
    }

    /// <summary>Adds <c>key = value</c> when the value was set.</summary>
    private protected static void Append(StringBuilder keys, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value)) keys.Append(key).Append(" = ").Append(value).Append('\n');
    }
}
