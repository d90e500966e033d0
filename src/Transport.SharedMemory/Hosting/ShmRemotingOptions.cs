namespace XStateNet.Actors.Transport.SharedMemory.Hosting;

/// <summary>Where a node listens on the shared-memory transport (<c>akka.shm://&lt;system&gt;@&lt;Hostname&gt;:&lt;Port&gt;</c>).</summary>
public sealed record ShmRemotingOptions
{
    /// <summary>The host name in the node's address; peers must use exactly this name. Default <c>localhost</c>.</summary>
    public string Hostname { get; init; } = "localhost";

    /// <summary>The port in the node's address; 0 (the default) picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Where control sockets live (it must exist); null keeps <c>akka.remote.shm.directory</c> (default /dev/shm).</summary>
    public string? Directory { get; init; }
}
