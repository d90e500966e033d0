namespace XStateNet.Actors.TestKit.Child;

/// <summary>
/// What the test process tells a child on its command line: which config type and role to play, over which
/// transport, with which HOCON (address, routes, the run's names: all computed by the test process), and whose
/// exit ends it.
/// </summary>
internal sealed record ChildArguments(string ConfigType, string Role, string Transport, string Hocon, string ProbePath, int ParentPid)
{
    /// <summary>The arguments, in the order <see cref="Parse"/> reads them.</summary>
    public IReadOnlyList<string> ToList() =>
    [
        "--config-type", ConfigType,
        "--role", Role,
        "--transport", Transport,
        "--hocon", Hocon,
        "--probe", ProbePath,
        "--parent-pid", ParentPid.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ];

    /// <exception cref="ArgumentException">An option is missing, unknown or invalid; the message names it.</exception>
    public static ChildArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count) throw new ArgumentException($"{args[i]} needs a value");
            if (!values.TryAdd(args[i], args[i + 1])) throw new ArgumentException($"{args[i]} is given twice");
        }
        string Take(string name) => values.Remove(name, out var value) ? value : throw new ArgumentException($"{name} is required");
        var parsed = new ChildArguments(Take("--config-type"), Take("--role"), Take("--transport"), Take("--hocon"), Take("--probe"),
            int.TryParse(Take("--parent-pid"), out var pid) && pid > 0 ? pid : throw new ArgumentException("--parent-pid is not a process id"));
        if (values.Count > 0) throw new ArgumentException($"unknown options: {string.Join(", ", values.Keys)}");
        return parsed;
    }
}
