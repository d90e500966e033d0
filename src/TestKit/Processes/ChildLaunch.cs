using System.Diagnostics;
using System.Reflection;
using XStateNet.Actors.TestKit.Child;

namespace XStateNet.Actors.TestKit.Processes;

/// <summary>
/// How a child is started: <c>dotnet exec &lt;the test assembly&gt;</c> with this assembly as its startup hook
/// (see <c>StartupHook</c>). The test project's runtimeconfig and deps.json make every assembly of the user's
/// roles loadable in the child exactly as in the test.
/// </summary>
internal static class ChildLaunch
{
    /// <summary>The <c>dotnet</c> that runs this test process (set by <c>dotnet test</c>), so children run on the same runtime.</summary>
    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <exception cref="InvalidOperationException">The assembly cannot be run as a child; the message says why.</exception>
    public static ProcessStartInfo For(Assembly testAssembly, IEnumerable<string> arguments)
    {
        var path = testAssembly.Location;
        if (string.IsNullOrEmpty(path)) throw new InvalidOperationException($"{testAssembly.GetName().Name} has no file: children run the test assembly from disk");
        var runtimeConfig = Path.ChangeExtension(path, ".runtimeconfig.json");
        if (testAssembly.EntryPoint is null || !File.Exists(runtimeConfig))
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(path)} cannot run as a child process (it needs an entry point and {Path.GetFileName(runtimeConfig)}): " +
                "declare the MultiNodeConfig in the test project itself, which Microsoft.NET.Test.Sdk builds as an executable");
        }

        var start = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardInput = true, // closing it (or our death) ends the child
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(path);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_STARTUP_HOOKS"] = typeof(ChildLaunch).Assembly.Location;
        start.Environment[ChildHost.MarkerVariable] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // A child killed with SIGKILL cannot remove the runtime's diagnostic pipes in /tmp (clr-debug-pipe-<pid>-*,
        // dotnet-diagnostic-<pid>-*): children run without them, so nothing is left.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        // Several children share the cores: the server GC's per-core heaps and threads only cost here.
        start.Environment["DOTNET_gcServer"] = "0";
        // A child lives seconds: dynamic PGO's instrumented tier only slows its start and first associations.
        start.Environment["DOTNET_TieredPGO"] = "0";
        return start;
    }
}
