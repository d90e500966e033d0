using System.Diagnostics;
using System.Reflection;
using XStateNet.Actors.Processes;
using XStateNet.Actors.TestKit.Child;

namespace XStateNet.Actors.TestKit.Processes;

/// <summary>
/// How a child is started: <c>dotnet exec &lt;the test assembly&gt;</c> (the repository's one child command, without
/// diagnostics) with this assembly as its startup hook (see <c>StartupHook</c>). The test project's runtimeconfig and
/// deps.json make every assembly of the user's roles loadable in the child exactly as in the test.
/// </summary>
internal static class ChildLaunch
{
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

        // Without diagnostics: a child killed with SIGKILL leaves nothing in /tmp.
        var start = ChildCommand.Assembly(path, arguments, diagnostics: false);
        start.Environment["DOTNET_STARTUP_HOOKS"] = typeof(ChildLaunch).Assembly.Location;
        start.Environment[ChildHost.MarkerVariable] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // Several children share the cores: the server GC's per-core heaps and threads only cost here.
        start.Environment["DOTNET_gcServer"] = "0";
        // A child lives seconds: dynamic PGO's instrumented tier only slows its start and first associations.
        start.Environment["DOTNET_TieredPGO"] = "0";
        return start;
    }
}
