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
/// <c>xstatenet inspect [--directory path] [--port n] [--transport both|pipe|shm] [--refresh ms]
/// [--pipe-prefix p] [--pipe-directory d] [--shm-prefix p] [--shm-directory d]</c>: serves the inspector page for every
/// node of the host, found through the host directory, until Ctrl+C. Loopback only, read-only, and only with the token
/// printed here (on the owner's terminal).
/// </summary>
/// <remarks>
/// A same-host transport finds a peer's socket (pipe) or listener (shm) from the peer's address (host and port) and its
/// <em>own</em> <c>directory</c> and <c>file-prefix</c>; the host directory records addresses, not the peers' transport
/// settings. So the tool's node reaches the nodes whose transports use the same folder and prefix as its own: the
/// defaults, or what the <c>--pipe-*</c> / <c>--shm-*</c> options set.
/// </remarks>
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

        var pipePrefix = new Option<string?>("--pipe-prefix")
        {
            Description = "akka.remote.pipe.file-prefix of the nodes to reach (default: the transport's, xstatenet-pipe)",
        };
        var pipeDirectory = new Option<string?>("--pipe-directory")
        {
            Description = "akka.remote.pipe.directory of the nodes to reach, an absolute path (default: the transport's, the temporary directory)",
        };
        var shmPrefix = new Option<string?>("--shm-prefix")
        {
            Description = "akka.remote.shm.file-prefix of the nodes to reach (default: the transport's, xstatenet-shm)",
        };
        var shmDirectory = new Option<string?>("--shm-directory")
        {
            Description = "akka.remote.shm.directory of the nodes to reach, an absolute path (default: the transport's, /dev/shm)",
        };

        var command = new Command("inspect", "Serve a local web page listing every node and machine on this host (through the host directory)")
        {
            directory, port, transport, refresh, pipePrefix, pipeDirectory, shmPrefix, shmDirectory,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var request = new InspectRequest(parse.GetValue(directory), parse.GetValue(port), parse.GetValue(transport)!, parse.GetValue(refresh),
                parse.GetValue(pipePrefix), parse.GetValue(pipeDirectory), parse.GetValue(shmPrefix), parse.GetValue(shmDirectory));
            return await RunAsync(request, output, error, cancel);
        });
        return command;
    }

    private sealed record InspectRequest(string? Directory, int Port, string Transport, int RefreshMs,
        string? PipePrefix = null, string? PipeDirectory = null, string? ShmPrefix = null, string? ShmDirectory = null);

    private static async Task<int> RunAsync(InspectRequest request, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        if (request.Directory is { } given && !Path.IsPathFullyQualified(given)) return Fail(error, $"--directory {given}: give an absolute path");
        if (request.Port is < 0 or > 65535) return Fail(error, $"--port {request.Port}: expected 0 (any free port) to 65535");
        if (request.RefreshMs is < 50 or > 60_000) return Fail(error, $"--refresh {request.RefreshMs}: expected 50 to 60000 ms");
        foreach (var (option, value) in new[] { ("--pipe-directory", request.PipeDirectory), ("--shm-directory", request.ShmDirectory) })
        {
            if (value is { } folder && !Path.IsPathFullyQualified(folder)) return Fail(error, $"{option} {folder}: give an absolute path");
        }
        foreach (var (option, value) in new[] { ("--pipe-prefix", request.PipePrefix), ("--shm-prefix", request.ShmPrefix) })
        {
            // The transport checks the rest (its characters, its length) and names its key; an empty one is caught here.
            if (value is { Length: 0 }) return Fail(error, $"{option}: give a prefix, or leave the option out for the default");
        }

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
        if (request.Directory is { } path) hocon += $"\nxstatenet.directory.path = {Quoted(path)}";
        if (request.PipePrefix is { } pipePrefix) hocon += $"\nakka.remote.pipe.file-prefix = {Quoted(pipePrefix)}";
        if (request.PipeDirectory is { } pipeDirectory) hocon += $"\nakka.remote.pipe.directory = {Quoted(pipeDirectory)}";
        if (request.ShmPrefix is { } shmPrefix) hocon += $"\nakka.remote.shm.file-prefix = {Quoted(shmPrefix)}";
        if (request.ShmDirectory is { } shmDirectory) hocon += $"\nakka.remote.shm.directory = {Quoted(shmDirectory)}";
        return ConfigurationFactory.ParseString(hocon)
            .WithFallback(PipeConfig.Ready)
            .WithFallback(ShmConfig.Ready)
            .WithFallback(XStateNetConfig.Default);
    }

    /// <summary>A HOCON string of <paramref name="value"/>: quoted, with its backslashes, quotes and line breaks escaped.</summary>
    private static string Quoted(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r") + "\"";

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"xstatenet inspect: {message}");
        return XStateNetTool.Failure;
    }
}
