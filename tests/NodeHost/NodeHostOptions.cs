using Akka.Configuration;
using XStateNet.Actors.Configuration;

namespace XStateNet.Actors.Tests.NodeHost;

/// <summary>One machine to host: its id and the statechart JSON file that defines it.</summary>
internal sealed record HostedMachine(string Id, string ScriptPath);

/// <summary>
/// The node host's command line:
/// <c>--system NAME [--hocon FILE]... [--set key=value]... [--machine id=script.json]... [--parent-pid PID]</c>.
/// </summary>
/// <remarks>
/// Configuration is layered: <c>--set</c> lines win over <c>--hocon</c> files (a later file wins over an earlier
/// one), and the runtime's defaults (<see cref="XStateNetConfig.Default"/>) come last.
/// </remarks>
internal sealed class NodeHostOptions
{
    public const string Usage =
        "usage: XStateNet.Actors.Tests.NodeHost --system NAME [--hocon FILE]... [--set key=value]... " +
        "[--machine id=script.json]... [--parent-pid PID]";

    public required string SystemName { get; init; }

    public IReadOnlyList<string> HoconFiles { get; init; } = [];

    public IReadOnlyList<string> Overrides { get; init; } = [];

    public IReadOnlyList<HostedMachine> Machines { get; init; } = [];

    /// <summary>The process whose exit ends this one; null: only the end of standard input does.</summary>
    public int? ParentPid { get; init; }

    /// <exception cref="ArgumentException">The arguments are not understood; the message says which and why.</exception>
    public static NodeHostOptions Parse(IReadOnlyList<string> args)
    {
        string? system = null;
        int? parentPid = null;
        var hocon = new List<string>();
        var overrides = new List<string>();
        var machines = new List<HostedMachine>();

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count) throw new ArgumentException($"{name} needs a value");
            var value = args[++i];
            switch (name)
            {
                case "--system":
                    system = value;
                    break;
                case "--hocon":
                    if (!File.Exists(value)) throw new ArgumentException($"--hocon {value}: no such file");
                    hocon.Add(value);
                    break;
                case "--set":
                    var (key, setting) = SplitPair(name, value);
                    overrides.Add($"{key} = {setting}");
                    break;
                case "--machine":
                    var (id, script) = SplitPair(name, value);
                    var path = ScriptPath(script);
                    machines.Add(new HostedMachine(id, path));
                    break;
                case "--parent-pid":
                    parentPid = int.TryParse(value, out var pid) && pid > 0
                        ? pid
                        : throw new ArgumentException($"--parent-pid {value}: not a process id");
                    break;
                default:
                    throw new ArgumentException($"unknown option {name}");
            }
        }

        return new NodeHostOptions
        {
            SystemName = system ?? throw new ArgumentException("--system is required"),
            HoconFiles = hocon,
            Overrides = overrides,
            Machines = machines,
            ParentPid = parentPid,
        };
    }

    /// <exception cref="ConfigurationException">A file or an override is not valid HOCON.</exception>
    public Config BuildConfig()
    {
        var config = ConfigurationFactory.ParseString(string.Join('\n', Overrides));
        for (var i = HoconFiles.Count - 1; i >= 0; i--)
        {
            config = config.WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(HoconFiles[i])));
        }
        return config.WithFallback(XStateNetConfig.Default);
    }

    private static (string Key, string Value) SplitPair(string option, string text)
    {
        var at = text.IndexOf('=');
        if (at <= 0 || at == text.Length - 1) throw new ArgumentException($"{option} {text}: expected key=value");
        return (text[..at].Trim(), text[(at + 1)..].Trim());
    }

    /// <summary>A script path as given, or else relative to this program's folder (where the built-in scripts are).</summary>
    private static string ScriptPath(string script)
    {
        if (File.Exists(script)) return Path.GetFullPath(script);
        var besideProgram = Path.Combine(AppContext.BaseDirectory, script);
        if (File.Exists(besideProgram)) return besideProgram;
        var builtIn = Path.Combine(AppContext.BaseDirectory, "Machines", script.EndsWith(".json", StringComparison.Ordinal) ? script : script + ".json");
        return File.Exists(builtIn) ? builtIn : throw new ArgumentException($"--machine script {script}: no such file");
    }
}
