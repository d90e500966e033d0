namespace XStateNet.Actors.TestKit.Transports;

/// <summary>
/// The unique names of one spec run. Every pipe, lock file or control socket a run's nodes create starts with
/// <see cref="Prefix"/>, so cleaning up after the run removes exactly what it made and nothing of anyone else's.
/// </summary>
internal sealed class RunNames
{
    /// <summary>The start of every name a TestKit run uses.</summary>
    public const string SuitePrefix = "xmnk";

    // Ports that are only names (pipes, segments) just have to be unique within the run's prefix.
    private int _nextNamePort = 21000;

    public RunNames() => Prefix = $"{SuitePrefix}{Guid.NewGuid().ToString("N")[..8]}-";

    /// <summary>The run's name prefix, e.g. <c>xmnk1a2b3c4d-</c>.</summary>
    public string Prefix { get; }

    /// <summary>The next port of this run, for transports whose port is part of a name.</summary>
    public int NextNamePort() => Interlocked.Increment(ref _nextNamePort);

    /// <inheritdoc />
    public override string ToString() => Prefix;
}
