namespace XStateNet.Actors.TestKit.Transports;

/// <summary>
/// Every transport setting the TestKit writes by name, in one place: the transports' keys are being renamed
/// (pipe <c>pipe-name-prefix</c> becomes <c>file-prefix</c>, <c>pipe-directory</c> becomes <c>directory</c>), and this
/// file is the only one that changes with them.
/// </summary>
internal static class TransportKeys
{
    /// <summary>Start of every pipe file's name (the run's prefix goes here so its pipes are its own).</summary>
    public const string PipeNamePrefix = "akka.remote.pipe.file-prefix";

    /// <summary>Start of every shared-memory control socket's name.</summary>
    public const string ShmFilePrefix = "akka.remote.shm.file-prefix";

    /// <summary>The shared-memory transport's directory of control sockets (its default).</summary>
    public const string ShmDefaultDirectory = "/dev/shm";
}
