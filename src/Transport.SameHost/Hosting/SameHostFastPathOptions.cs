namespace XStateNet.Actors.Hosting;

/// <summary>
/// Settings of the same-host fast path (<c>akka.remote.same-host</c>) for
/// <see cref="SameHostHostingExtensions.WithSameHostFastPath(Akka.Hosting.AkkaConfigurationBuilder, Action{SameHostFastPathOptions}?)"/>.
/// A property left null keeps the default of the embedded <c>reference.conf</c>
/// (<see cref="XStateNet.Actors.Transport.SameHost.SameHostConfig.Reference"/>).
/// </summary>
public sealed class SameHostFastPathOptions
{
    /// <summary>Where the nodes' control sockets live (<c>directory</c>; default <c>/dev/shm</c>). Nodes given different directories act as different hosts.</summary>
    public string? Directory { get; set; }

    /// <summary>The start of every control socket's name (<c>file-prefix</c>; default <c>xstatenet-samehost</c>, no trailing <c>-</c>).</summary>
    public string? FilePrefix { get; set; }

    /// <summary>Control sockets readable and writable by their owner only (<c>owner-only</c>; default on).</summary>
    public bool? OwnerOnly { get; set; }

    /// <summary>Bytes of each ring (<c>ring-size</c>): a power of two, 4 KiB to 1 GiB; default 4 MiB.</summary>
    public long? RingSize { get; set; }

    /// <summary>With <c>provider = cluster</c>, down same-host members whose process is gone (<c>down-gone-members</c>; default on).</summary>
    public bool? DownGoneMembers { get; set; }
}
