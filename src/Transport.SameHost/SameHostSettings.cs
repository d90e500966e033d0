using System.Text;
using Akka.Configuration;

namespace XStateNet.Actors.Transport.SameHost;

/// <summary>
/// The section <c>akka.remote.same-host</c>, read when the node starts: whether the fast path runs, whether it downs
/// gone cluster members, and the settings of the shared-memory transport it runs underneath (checked by that
/// transport, with errors that name this section's keys).
/// </summary>
internal sealed class SameHostSettings
{
    public const string Section = "akka.remote.same-host";

    private static readonly string[] OwnKeys = ["enabled", "down-gone-members"];

    private readonly Config _section;
    private readonly bool _ringSizeGiven;

    private SameHostSettings(SettingsSection section, Config merged, bool ringSizeGiven)
    {
        Enabled = section.Bool("enabled");
        DownGoneMembers = section.Bool("down-gone-members");
        Directory = section.String("directory");
        section.Require(!string.IsNullOrWhiteSpace(Directory), "directory", "must not be empty");
        _section = merged;
        _ringSizeGiven = ringSizeGiven;
    }

    /// <summary>Whether the fast path runs at all (<c>enabled</c>).</summary>
    public bool Enabled { get; }

    /// <summary>Whether gone same-host cluster members are downed (<c>down-gone-members</c>).</summary>
    public bool DownGoneMembers { get; }

    /// <summary>Where the nodes' control sockets live (<c>directory</c>).</summary>
    public string Directory { get; }

    /// <summary>Reads <c>akka.remote.same-host</c> from <paramref name="systemConfig"/> over the embedded defaults.</summary>
    /// <exception cref="ConfigurationException">A key is unknown or unreadable; the message names it.</exception>
    public static SameHostSettings Create(Config systemConfig)
    {
        ArgumentNullException.ThrowIfNull(systemConfig);
        var raw = systemConfig.HasPath(Section) ? systemConfig.GetConfig(Section) : Config.Empty;
        var defaults = SameHostConfig.Reference.GetConfig(Section);
        return new SameHostSettings(new SettingsSection(raw, Section, defaults), raw.WithFallback(defaults), raw.HasPath("ring-size"));
    }

    /// <summary>
    /// The section the shared-memory transport underneath runs with: this section's ring settings, and the node's TCP
    /// identity (<paramref name="scheme"/>, <paramref name="host"/>, <paramref name="port"/>), so that its control
    /// socket is named after the node's akka.tcp address and its associations carry that address.
    /// </summary>
    /// <remarks>
    /// A <c>ring-size</c> the node did not set grows from the default to the smallest power of two that carries TCP's
    /// <paramref name="maximumFrameSize"/> (a record may take half a ring): a node that raised
    /// <c>akka.remote.dot-netty.tcp.maximum-frame-size</c> (the repository's <c>tcp.conf</c> sets 2 MiB) keeps its
    /// config and adds the one line. A <c>ring-size</c> the node set is taken as it is, and refused if too small.
    /// </remarks>
    public Config RingSection(string scheme, string host, int port, long maximumFrameSize)
    {
        var text = new StringBuilder();
        foreach (var key in _section.Root.GetObject().Items.Keys.Where(k => !OwnKeys.Contains(k)))
        {
            var value = key == "ring-size" && !_ringSizeGiven
                ? RingSizeFor(_section.GetByteSize("ring-size") ?? 0, maximumFrameSize).ToString(System.Globalization.CultureInfo.InvariantCulture) + "b"
                : _section.GetString(key) ?? throw new ConfigurationException($"{Section}.{key}: has no value");
            text.Append(key).Append(" = ").Append(Quote(value)).Append('\n');
        }

        text.Append("transport-protocol = ").Append(Quote(scheme)).Append('\n')
            .Append("hostname = ").Append(Quote(host)).Append('\n')
            .Append("port = ").Append(port).Append('\n')
            .Append("maximum-frame-size = ").Append(maximumFrameSize).Append("b\n");
        return ConfigurationFactory.ParseString(text.ToString());
    }

    /// <summary><paramref name="defaultSize"/>, doubled until a ring carries a record of <paramref name="maximumFrameSize"/> (up to the largest ring).</summary>
    internal static long RingSizeFor(long defaultSize, long maximumFrameSize)
    {
        var size = defaultSize;
        while (size / 2 - SharedMemory.Ring.SegmentLayout.RecordHeaderBytes < maximumFrameSize && size < SharedMemory.Ring.SegmentLayout.MaxCapacity) size *= 2;
        return size;
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
