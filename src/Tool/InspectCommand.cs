using System.CommandLine;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Inspection;
using XStateNet.Actors.Transport.Pipes;
using XStateNet.Actors.Transport.SharedMemory;

namespace XStateNet.Actors.Tool;

/// <summary>
/// <c>xstatenet inspect [--directory path] [--port n] [--transport both|pipe|shm] [--refresh ms]</c>: serves the
/// inspector page for every node of the host, found through the host directory, until Ctrl+C. Loopback only,
/// read-only, and only with the token printed here (on the owner's terminal).
/// </summary>
internal static class InspectCommand
{
    public const string Both = "both";
    public const string Pipe = "pipe";
    public const string Shm = "shm";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var directory = new Option<string?>("--directory", "-d")
        {
            Description = "The host directory's folder (xstatenet.directory.path); default: $XDG_RUNTIME_DIR/xstatenet-directory, else <temp>/xstatenet-directory-<user>",
        };
        var port = new Option<int>("--port", "-p") { Description = "The loopback port to serve on; 0 (default): any free port" };
        var transport = new Option<string>("--transport", "-t")
        {
            Description = "The transports to reach the nodes with: both (default), pipe or shm",
            DefaultValueFactory = _ => Both,
        };
        transport.AcceptOnlyFromAmong(Both, Pipe, Shm);
        var refresh = new Option<int>("--refresh")
        {
            Description = "How often each machine is asked for its state, in ms (50 to 60000)",
            DefaultValueFactory = _ => 500,
        };

        var command = new Command("inspect", "Serve a local web page listing every node and machine on this host (through the host directory)")
        {
            directory, port, transport, refresh,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var request = new InspectRequest(parse.GetValue(directory), parse.GetValue(port), parse.GetValue(transport)!, parse.GetValue(refresh));
            return await RunAsync(request, output, error, cancel);
        });
        return command;
    }

    private sealed record InspectRequest(string? Directory, int Port, string Transport, int RefreshMs);

    private static async Task<int> RunAsync(InspectRequest request, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        if (request.Directory is { } given && !Path.IsPathFullyQualified(given)) return Fail(error, $"--directory {given}: give an absolute path");
        if (request.Port is < 0 or > 65535) return Fail(error, $"--port {request.Port}: expected 0 (any free port) to 65535");
        if (request.RefreshMs is < 50 or > 60_000) return Fail(error, $"--refresh {request.RefreshMs}: expected 50 to 60000 ms");

        ActorSystem system;
        try
        {
            system = ActorSystem.Create("xstatenet-inspect", NodeConfig(request));
        }
        catch (Exception e) when (e is ConfigurationException or IOException or UnauthorizedAccessException)
        {
            return Fail(error, $"cannot start the inspecting node: {e.Message}");
        }
        try
        {
            MachineInspector inspector;
            try
            {
                var options = new InspectorOptions { Port = request.Port, HostNodes = true, HostRefresh = TimeSpan.FromMilliseconds(request.RefreshMs) };
                inspector = await MachineInspector.StartAsync(system, options, cancel);
            }
            catch (ConfigurationException e)
            {
                return Fail(error, $"--directory: {e.Message}");
            }
            catch (IOException e)
            {
                return Fail(error, $"--port {request.Port}: cannot listen on 127.0.0.1: {e.Message}");
            }
            await using (inspector)
            {
                await output.WriteLineAsync($"xstatenet inspect: {inspector.Url}");
                await output.WriteLineAsync("  loopback only, read-only; the token in the URL is the key: keep it private. Ctrl+C stops.");
                await output.FlushAsync(CancellationToken.None);
                await UntilStoppedAsync(cancel);
            }
            return XStateNetTool.Success;
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>Until Ctrl+C, SIGTERM (a service manager, <c>kill</c>) or the caller's token.</summary>
    private static async Task UntilStoppedAsync(CancellationToken cancel)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // stop in order: the page, then the node (its transports remove their files)
            stop.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }

    /// <summary>
    /// A node that runs the same-host transports asked for at free ports, with the host directory on (it publishes no
    /// machine, so it writes no file of its own) and quiet logs: the page is the output.
    /// </summary>
    private static Config NodeConfig(InspectRequest request)
    {
        var transports = request.Transport switch
        {
            Pipe => new[] { "akka.remote.pipe" },
            Shm => ["akka.remote.shm"],
            _ => ["akka.remote.pipe", "akka.remote.shm"],
        };
        var hocon = $$"""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters = off
            akka.log-dead-letters-during-shutdown = off
            akka.coordinated-shutdown.exit-clr = off
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            akka.remote.enabled-transports = [{{string.Join(", ", transports.Select(t => $"\"{t}\""))}}]
            akka.remote.pipe { hostname = "localhost", port = 0 }
            akka.remote.shm { hostname = "localhost", port = 0 }
            xstatenet.directory.enabled = on
            """;
        if (request.Directory is { } path) hocon += $"\nxstatenet.directory.path = \"{path.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";
        return ConfigurationFactory.ParseString(hocon)
            .WithFallback(PipeConfig.Ready)
            .WithFallback(ShmConfig.Ready)
            .WithFallback(XStateNetConfig.Default);
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"xstatenet inspect: {message}");
        return XStateNetTool.Failure;
    }
}
