using System.Diagnostics;
using System.Reflection;

namespace XStateNet.Actors.Processes;

/// <summary>
/// How the repository's programs start a child .NET program (a TestKit node, a pipeline stage, a benchmark's server):
/// its standard streams redirected to the parent (its input kept open: closing it, or the parent's death, is the
/// child's cue to stop) and, unless diagnostics are wanted, without the runtime's diagnostic pipes and socket in the
/// temp folder, which a child killed with SIGKILL could not remove.
/// </summary>
internal static class ChildCommand
{
    /// <summary>
    /// The <c>dotnet</c> host: the one running <c>dotnet test</c> (<c>DOTNET_HOST_PATH</c>), so children run on the same
    /// runtime; else this process when it is <c>dotnet</c>; else <c>dotnet</c> on the path.
    /// </summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : IsDotnet(Environment.ProcessPath) ? Environment.ProcessPath!
        : "dotnet";

    /// <summary><c>dotnet exec &lt;assembly&gt; &lt;arguments&gt;</c>.</summary>
    /// <param name="assemblyPath">The program's assembly; its runtimeconfig.json and deps.json beside it decide what it loads.</param>
    /// <param name="arguments">Its command line.</param>
    /// <param name="diagnostics">
    /// Keep the runtime's diagnostics as the environment says (so <c>dotnet-trace</c> can attach; <see cref="ChildProcess"/>
    /// removes what a killed child leaves). False: <c>DOTNET_EnableDiagnostics=0</c>, for children of tests.
    /// </param>
    public static ProcessStartInfo Assembly(string assemblyPath, IEnumerable<string> arguments, bool diagnostics)
    {
        var start = Redirected(DotnetHost, diagnostics);
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }

    /// <summary>
    /// This program again, with other arguments: its apphost, or <c>dotnet exec</c> with <paramref name="entry"/> when
    /// it runs as <c>dotnet x.dll</c> (or <c>dotnet run</c>).
    /// </summary>
    /// <inheritdoc cref="Assembly" path="/param[@name='diagnostics']"/>
    public static ProcessStartInfo Self(Assembly entry, IEnumerable<string> arguments, bool diagnostics)
    {
        var self = Environment.ProcessPath;
        if (self is null || IsDotnet(self)) return Assembly(entry.Location, arguments, diagnostics);
        var start = Redirected(self, diagnostics);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }

    private static ProcessStartInfo Redirected(string fileName, bool diagnostics)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!diagnostics) start.Environment["DOTNET_EnableDiagnostics"] = "0";
        return start;
    }

    private static bool IsDotnet(string? path) =>
        path is not null && Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
}
