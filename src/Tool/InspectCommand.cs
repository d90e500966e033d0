using System.CommandLine;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Inspection;
using XStateNet.Actors.Transport.Pipes;
using XStateNet.Actors.Transport.SameHost;
using XStateNet.Actors.Transport.SharedMemory;

namespace XStateNet.Actors.Tool;

/// <summary>
/// <c>xstatenet inspect [--directory path] [--port n] [--transport both|pipe|shm|tcp|all] [--refresh ms]
/// [--pipe-prefix p]... [--pipe-directory d] [--shm-prefix p]... [--shm-directory d]</c>: serves the inspector page for every
/// node of the host, found through the host directory, until Ctrl+C. Loopback only, read-only, and only with the token
/// printed here (on the owner's terminal).
/// </summary>
/// <remarks>
/// A same-host transport finds a peer's socket (pipe) or listener (shm) from the peer's address (host and port) and its
/// <em>own</em> <c>directory</c> and <c>file-prefix</c>; the host directory records addresses, not the peers' transport
/// settings. So the tool's node reaches the nodes whose transports use the same folder and prefix as its own: the
/// defaults, or what the <c>--pipe-*</c> / <c>--shm-*</c> options set. Several prefixes of a transport take one
/// inspecting node each; a node of the host is asked by the first of them whose endpoint for its address exists
/// (<see cref="NodeReach"/>).
/// </remarks>
internal static class InspectCommand
{
    public const string Both = "both";
    public const string Pipe = "pipe";
    public const string Shm = "shm";
    public const string Tcp = "tcp";
    public const string All = "all";

    /// <summary>Prefixes of one transport per run: each takes an inspecting node (its threads, its listener).</summary>
    public const int MaxPrefixes = 16;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var directory = new Option<string?>("--directory", "-d")
        {
            Description = "The host directory's folder (xstatenet.directory.path); default: $XDG_RUNTIME_DIR/xstatenet-directory, else <temp>/xstatenet-directory-<user>",
        };
        var port = new Option<int>("--port", "-p") { Description = "The loopback port to serve on; 0 (default): any free port" };
        var transport = new Option<string>("--transport", "-t")
        {
            Description = "The transports to reach the nodes with: both (pipe and shm, the default), pipe, shm, tcp (akka.tcp nodes: " +
                          "cluster nodes and their sharded machines, over the same-host fast path or TCP) or all",
            DefaultValueFactory = _ => Both,
        };
        transport.AcceptOnlyFromAmong(Both, Pipe, Shm, Tcp, All);
        var refresh = new Option<int>("--refresh")
        {
            Description = "How often each machine is asked for its state, in ms (50 to 60000)",
            DefaultValueFactory = _ => 500,
        };

        var pipePrefix = new Option<string[]>("--pipe-prefix")
        {
            Description = "akka.remote.pipe.file-prefix of the nodes to reach (default: the transport's, xstatenet-pipe); repeat it for several",
            AllowMultipleArgumentsPerToken = false,
        };
        var pipeDirectory = new Option<string?>("--pipe-directory")
        {
            Description = "akka.remote.pipe.directory of the nodes to reach, an absolute path (default: the transport's, the temporary directory)",
        };
        var shmPrefix = new Option<string[]>("--shm-prefix")
        {
            Description = "akka.remote.shm.file-prefix of the nodes to reach (default: the transport's, xstatenet-shm); repeat it for several",
            AllowMultipleArgumentsPerToken = false,
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
                parse.GetValue(pipePrefix) ?? [], parse.GetValue(pipeDirectory), parse.GetValue(shmPrefix) ?? [], parse.GetValue(shmDirectory));
            return await RunAsync(request, output, error, cancel);
        });
        return command;
    }

    private sealed record InspectRequest(string? Directory, int Port, string Transport, int RefreshMs,
        IReadOnlyList<string> PipePrefixes, string? PipeDirectory, IReadOnlyList<string> ShmPrefixes, string? ShmDirectory);

    /// <summary>
    /// One inspecting node: the transports it runs and the prefix of each (null: the transport's default). Nodes of
    /// several prefixes take one node per prefix, since a node runs one transport per scheme with one prefix.
    /// </summary>
    private sealed record NodePlan(bool Pipe, string? PipePrefix, bool Shm, string? ShmPrefix, bool Tcp = false)
    {
        public string Describe() => string.Join(" and ", new[]
        {
            Pipe ? $"pipe prefix {PipePrefix ?? "(default)"}" : null,
            Shm ? $"shm prefix {ShmPrefix ?? "(default)"}" : null,
            Tcp ? "tcp" : null,
        }.OfType<string>());
    }

    /// <summary>
    /// One node with both transports (or the one asked for) when at most one prefix of each is given, as before;
    /// otherwise one node per prefix given, and one for the other transport's default when it is asked for and no
    /// prefix of it is given.
    /// </summary>
    private static IReadOnlyList<NodePlan> Plan(InspectRequest request)
    {
        var pipe = request.Transport is Both or Pipe or All;
        var shm = request.Transport is Both or Shm or All;
        var tcp = request.Transport is Tcp or All;
        if (request.PipePrefixes.Count <= 1 && request.ShmPrefixes.Count <= 1)
            return [new NodePlan(pipe, request.PipePrefixes.FirstOrDefault(), shm, request.ShmPrefixes.FirstOrDefault(), tcp)];
        // akka.tcp addresses carry no prefix: one node runs TCP, the first.
        var plans = new List<NodePlan>();
        if (tcp) plans.Add(new NodePlan(false, null, false, null, Tcp: true));
        if (pipe)
        {
            plans.AddRange(request.PipePrefixes.Count == 0
                ? [new NodePlan(true, null, false, null)]
                : request.PipePrefixes.Distinct(StringComparer.Ordinal).Select(p => new NodePlan(true, p, false, null)));
        }
        if (shm)
        {
            plans.AddRange(request.ShmPrefixes.Count == 0
                ? [new NodePlan(false, null, true, null)]
                : request.ShmPrefixes.Distinct(StringComparer.Ordinal).Select(p => new NodePlan(false, null, true, p)));
        }
        return plans;
    }

    private static async Task<int> RunAsync(InspectRequest request, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        if (request.Directory is { } given && !Path.IsPathFullyQualified(given)) return Fail(error, $"--directory {given}: give an absolute path");
        if (request.Port is < 0 or > 65535) return Fail(error, $"--port {request.Port}: expected 0 (any free port) to 65535");
        if (request.RefreshMs is < 50 or > 60_000) return Fail(error, $"--refresh {request.RefreshMs}: expected 50 to 60000 ms");
        foreach (var (option, value) in new[] { ("--pipe-directory", request.PipeDirectory), ("--shm-directory", request.ShmDirectory) })
        {
            if (value is { } folder && !Path.IsPathFullyQualified(folder)) return Fail(error, $"{option} {folder}: give an absolute path");
        }
        foreach (var (option, values, asked) in new[]
                 {
                     ("--pipe-prefix", request.PipePrefixes, request.Transport is Both or Pipe or All),
                     ("--shm-prefix", request.ShmPrefixes, request.Transport is Both or Shm or All),
                 })
        {
            // The transport checks the rest (its characters, its length) and names its key; an empty one is caught here.
            if (values.Any(v => v.Length == 0)) return Fail(error, $"{option}: give a prefix, or leave the option out for the default");
            if (values.Count > 1 && !asked) return Fail(error, $"{option}: --transport {request.Transport} does not run that transport");
            if (values.Count > MaxPrefixes) return Fail(error, $"{option}: at most {MaxPrefixes} prefixes (each takes a node of its own), {values.Count} given");
        }

        var plans = Plan(request);
        var systems = new List<ActorSystem>();
        var sources = new List<HostMachineSource>();
        try
        {
            foreach (var plan in plans)
            {
                try
                {
                    systems.Add(ActorSystem.Create("xstatenet-inspect", NodeConfig(request, plan)));
                }
                catch (Exception e) when (e is ConfigurationException or IOException or UnauthorizedAccessException)
                {
                    return Fail(error, $"cannot start the inspecting node ({plan.Describe()}): {e.Message}");
                }
            }
            var system = systems[0];
            MachineInspector inspector;
            try
            {
                var refresh = TimeSpan.FromMilliseconds(request.RefreshMs);
                InspectorOptions options;
                if (systems.Count == 1)
                    options = new InspectorOptions { Port = request.Port, HostNodes = true, HostRefresh = refresh };
                else
                {
                    // Each of the host's nodes is asked by the first inspecting node that reaches its endpoint, so none is listed twice.
                    var reach = new NodeReach(systems);
                    for (var i = 0; i < systems.Count; i++)
                    {
                        var index = i;
                        sources.Add(new HostMachineSource(systems[i], refresh, 20, addresses => reach.Choose(addresses, index)));
                    }
                    options = new InspectorOptions { Port = request.Port, HostRefresh = refresh, Sources = sources };
                }
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
                if (systems.Count > 1)
                    await output.WriteLineAsync($"  {systems.Count} inspecting nodes: {string.Join("; ", plans.Select(p => p.Describe()))}");
                await output.WriteLineAsync("  loopback only, read-only; the token in the URL is the key: keep it private. Ctrl+C stops.");
                await output.FlushAsync(CancellationToken.None);
                await UntilStoppedAsync(cancel);
            }
            return XStateNetTool.Success;
        }
        finally
        {
            foreach (var source in sources) source.Dispose();
            foreach (var node in systems) await node.Terminate();
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
    private static Config NodeConfig(InspectRequest request, NodePlan plan)
    {
        var transports = new[]
        {
            plan.Pipe ? "akka.remote.pipe" : null,
            plan.Shm ? "akka.remote.shm" : null,
            plan.Tcp ? "akka.remote.dot-netty.tcp" : null,
        }.OfType<string>();
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
            akka.remote.dot-netty.tcp { hostname = "localhost", port = 0 }
            xstatenet.directory.enabled = on
            """;
        if (request.Directory is { } path) hocon += $"\nxstatenet.directory.path = {Quoted(path)}";
        if (plan.PipePrefix is { } pipePrefix) hocon += $"\nakka.remote.pipe.file-prefix = {Quoted(pipePrefix)}";
        if (request.PipeDirectory is { } pipeDirectory) hocon += $"\nakka.remote.pipe.directory = {Quoted(pipeDirectory)}";
        if (plan.ShmPrefix is { } shmPrefix) hocon += $"\nakka.remote.shm.file-prefix = {Quoted(shmPrefix)}";
        if (request.ShmDirectory is { } shmDirectory) hocon += $"\nakka.remote.shm.directory = {Quoted(shmDirectory)}";
        return ConfigurationFactory.ParseString(hocon)
            .WithFallback(PipeConfig.Ready)
            .WithFallback(ShmConfig.Ready)
            .WithFallback(plan.Tcp ? SameHostConfig.Ready : Config.Empty) // akka.tcp with the same-host fast path under it
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
