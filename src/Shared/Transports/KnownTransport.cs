using Akka.Configuration;

namespace XStateNet.Actors.Transports;

/// <summary>
/// What the repository's programs must know about one transport to start a node on it: its ready configuration,
/// where its address settings live, the scheme of its addresses, the host nodes bind to, and where and under which
/// prefix it names its files. One catalogue (<see cref="KnownTransports"/>) for the TestKit, the benchmarks and the
/// pipeline sample, compiled into each from <c>src/Shared</c> (plumbing, not a public API).
/// </summary>
/// <param name="Name">The name on command lines and in theories: <c>tcp</c>, <c>pipe</c>, <c>shm</c>.</param>
/// <param name="HoconFile">The ready file's name under <c>hocon/</c>.</param>
/// <param name="Section">The HOCON section with <c>hostname</c>, <c>port</c> and <c>applied-adapters</c>.</param>
/// <param name="Scheme">The scheme of its addresses without Akka's <c>akka.</c>, e.g. <c>tcp</c>.</param>
/// <param name="Hostname">The host part of a node's address.</param>
/// <param name="FilePrefixKey">The setting that starts every file name a node creates; null when it creates none (TCP).</param>
/// <param name="FileDirectory">Where its files are by default; null when it creates none.</param>
/// <param name="Ready">The ready configuration (provider, enabled transport, failure detectors).</param>
internal sealed record KnownTransport(
    string Name, string HoconFile, string Section, string Scheme, string Hostname, string? FilePrefixKey, string? FileDirectory, Func<Config> Ready)
{
    /// <summary>
    /// The HOCON that puts a node at <paramref name="port"/> (0: any free one) and, for transports with files, names
    /// them with <paramref name="filePrefix"/> so that one run's files are its own.
    /// </summary>
    public string NodeHocon(int port, string? filePrefix)
    {
        var lines = $"{Section}.hostname = \"{Hostname}\"\n{Section}.port = {port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        return filePrefix is not null && FilePrefixKey is not null ? $"{lines}\n{FilePrefixKey} = \"{filePrefix}\"" : lines;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
