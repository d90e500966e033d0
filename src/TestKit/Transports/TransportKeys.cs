namespace XStateNet.Actors.TestKit.Transports;

/// <summary>
/// Every transport setting the TestKit writes by name, in one place, so a renamed key changes one file.
/// </summary>
internal static class TransportKeys
{
    /// <summary>Start of every pipe file's name (the run's prefix goes here so its pipes are its own).</summary>
    public const string PipeNamePrefix = "akka.remote.pipe.file-prefix";

    /// <summary>Start of every shared-memory control socket's name.</summary>
    public const string ShmFilePrefix = "akka.remote.shm.file-prefix";

    /// <summary>
    /// The runtime's host directory: each run gets its own (removed with the run's files), so two specs, or a spec
    /// and an app on the same host, never see each other's machine ids.
    /// </summary>
    public const string HostDirectoryPath = "xstatenet.directory.path";

    /// <summary>The shared-memory transport's directory of control sockets (its default).</summary>
    public const string ShmDefaultDirectory = "/dev/shm";
}
