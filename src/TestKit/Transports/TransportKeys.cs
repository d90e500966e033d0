namespace XStateNet.Actors.TestKit.Transports;

/// <summary>Runtime settings the TestKit writes by name (the transports' own keys are in the catalogue).</summary>
internal static class TransportKeys
{
    /// <summary>
    /// The runtime's host directory: each run gets its own (removed with the run's files), so two specs, or a spec
    /// and an app on the same host, never see each other's machine ids.
    /// </summary>
    public const string HostDirectoryPath = "xstatenet.directory.path";
}
