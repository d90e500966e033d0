using System.Diagnostics;
using Akka.Actor;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Serialization;

namespace XStateNet.Actors.Tests;

/// <summary>
/// The test assembly's entry point, for specs whose failure would kill the process that runs them (a stack
/// overflow cannot be caught): they run the dangerous part as <c>dotnet XStateNet.Actors.Runtime.Tests.dll
/// read-payload FILE STACK-KIB</c>, which reads the file with the runtime's serializer on a thread with that
/// stack, prints what happened, and exits 0. Run by the test host, the assembly never enters here.
/// </summary>
public static class ChildProgram
{
    /// <summary>The commands: <c>read-payload FILE STACK-KIB</c>, and <c>claim-ids FOLDER BARRIER ID...</c> (<see cref="XStateNet.Actors.Tests.Discovery.ConcurrentWriterSpecs"/>).</summary>
    public static int Main(string[] args)
    {
        if (args is ["claim-ids", var folder, var barrier, .. var ids]) return XStateNet.Actors.Tests.Discovery.ConcurrentWriterSpecs.ClaimInChild(folder, barrier, ids);
        if (args is not ["read-payload", var file, var stackKib])
        {
            Console.Error.WriteLine("usage: read-payload FILE STACK-KIB | claim-ids FOLDER BARRIER ID...");
            return 2;
        }
        var bytes = File.ReadAllBytes(file);
        using var system = ActorSystem.Create("child", XStateNetConfig.Default);
        var serializer = new HyperionSerializer((ExtendedActorSystem)system, HyperionSettings.Default);
        var outcome = "";
        var reader = new Thread(() =>
        {
            try
            {
                var value = serializer.FromBinary(bytes, null);
                outcome = $"READ {value?.GetType().Name}";
            }
            catch (Exception error)
            {
                outcome = $"REFUSED {error.GetType().Name}: {error.Message}";
            }
        }, int.Parse(stackKib) * 1024);
        reader.Start();
        reader.Join();
        Console.WriteLine(outcome);
        return 0;
    }

    /// <summary>Runs <see cref="Main"/> in a child process and returns its exit code and output.</summary>
    internal static (int ExitCode, string Output) Run(byte[] payload, int stackKib, TimeSpan timeout)
    {
        var file = Path.Combine(Path.GetTempPath(), $"xstatenet-payload-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(file, payload);
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(typeof(ChildProgram).Assembly.Location);
            // A child killed with SIGKILL cannot remove the runtime's diagnostic pipes and socket in /tmp
            // (clr-debug-pipe-<pid>-*, dotnet-diagnostic-<pid>-*): children of tests run without them, so nothing is left.
            start.Environment["DOTNET_EnableDiagnostics"] = "0";
            start.ArgumentList.Add("read-payload");
            start.ArgumentList.Add(file);
            start.ArgumentList.Add(stackKib.ToString());
            using var child = Process.Start(start)!;
            var stdout = child.StandardOutput.ReadToEndAsync();
            var stderr = child.StandardError.ReadToEndAsync();
            if (!child.WaitForExit(timeout))
            {
                child.Kill(entireProcessTree: true);
                child.WaitForExit();
                return (-1, $"timed out after {timeout}; {stdout.Result}{stderr.Result}");
            }
            child.WaitForExit();
            return (child.ExitCode, stdout.Result + stderr.Result);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
