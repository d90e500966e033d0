namespace XStateNet.Actors.MultiProcess.Tests.Harness;

/// <summary>
/// The unique name of one spec run. Every pipe, lock file or segment a run creates starts with
/// <see cref="Prefix"/>, so cleaning up after the run removes exactly what it made and nothing of anyone else's.
/// </summary>
public sealed class RunId
{
    /// <summary>The start of every name this suite's runs use; the final check looks for any left over.</summary>
    public const string SuitePrefix = "xmps";

    private int _nextPort;

    /// <summary>A new run with a random id.</summary>
    public RunId()
    {
        Prefix = $"{SuitePrefix}{Guid.NewGuid().ToString("N")[..8]}-";
        // Ports that are only names (pipes, segments) just have to be unique within the run's prefix.
        _nextPort = 21000;
    }

    /// <summary>The run's name prefix, e.g. <c>xmps1a2b3c4d-</c>.</summary>
    public string Prefix { get; }

    /// <summary>The next port number of this run, for transports whose port is part of a name.</summary>
    public int NextNamePort() => Interlocked.Increment(ref _nextPort);

    /// <inheritdoc />
    public override string ToString() => Prefix;
}
