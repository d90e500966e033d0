using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Akka;
using Akka.Actor;
using Akka.Event;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace XStateNet.Actors.Inspection;

/// <summary>
/// Serves a read-only web page, on loopback only, showing the machines of an actor system (and of any
/// <see cref="InspectorOptions.Sources"/>): each chart drawn with its active states highlighted and updated live
/// (server-sent events), the last events each machine handled and its context. Every request must carry the
/// random token of <see cref="Url"/>, which is logged at Info when the inspector starts: only whoever can read the
/// node's log (its owner) can open the page.
/// </summary>
/// <example>
/// <code>
/// await using var inspector = await MachineInspector.StartAsync(system);
/// Console.WriteLine(inspector.Url); // http://127.0.0.1:41234/?token=…
/// </code>
/// </example>
public sealed class MachineInspector : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<ActorSystem, MachineInspector> Running = new();

    private readonly ActorSystem _system;
    private readonly WebApplication _app;
    private readonly LocalMachineSource _local;
    private readonly HostMachineSource? _host;
    private readonly IReadOnlyList<IMachineSource> _sources;
    private readonly ChangeSignal _changes;
    private int _disposed;

    private MachineInspector(ActorSystem system, WebApplication app, LocalMachineSource local, HostMachineSource? host,
        IReadOnlyList<IMachineSource> sources, ChangeSignal changes, Uri url)
    {
        _host = host;
        _system = system;
        _app = app;
        _local = local;
        _sources = sources;
        _changes = changes;
        Url = url;
    }

    /// <summary>The page's address, with its access token: <c>http://127.0.0.1:&lt;port&gt;/?token=…</c>.</summary>
    public Uri Url { get; }

    /// <summary>The port the page is served on.</summary>
    public int Port => Url.Port;

    /// <summary>The inspector started for an actor system and not yet stopped, or null.</summary>
    public static MachineInspector? Of(ActorSystem system) => Running.GetValueOrDefault(system);

    /// <summary>Starts serving the page for <paramref name="system"/>; it stops when disposed or as the node shuts down (coordinated shutdown's service-unbind phase; at the latest when the actor system terminates).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (its name is given).</exception>
    /// <exception cref="InvalidOperationException">This actor system already has a running inspector.</exception>
    /// <exception cref="IOException">The port is taken.</exception>
    /// <exception cref="Akka.Configuration.ConfigurationException"><see cref="InspectorOptions.HostNodes"/> is on and the host directory cannot be read (the setting is named).</exception>
    public static async Task<MachineInspector> StartAsync(ActorSystem system, InspectorOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        options ??= new InspectorOptions();
        options.Validate();
        if (Running.ContainsKey(system)) throw new InvalidOperationException($"actor system '{system.Name}' already has a running inspector");

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var local = new LocalMachineSource(system, options.EventsPerMachine);
        HostMachineSource? host;
        try
        {
            host = options.HostNodes ? new HostMachineSource(system, options.HostRefresh, options.EventsPerMachine) : null;
        }
        catch
        {
            local.Dispose();
            throw;
        }
        var sources = new IMachineSource[] { local }.Concat(options.Sources).Concat(host is null ? [] : [host]).ToArray();
        var changes = new ChangeSignal();
        foreach (var source in sources) source.Changed += changes.Notify;

        // An empty builder: no appsettings, no environment variables, so nothing can add a non-loopback endpoint.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 0; // read-only: nothing is ever uploaded
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxConcurrentConnections = 64;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });
        var app = builder.Build();
        var endpoints = new InspectorEndpoints(token, ct => CollectAsync(sources, ct), () => TransportView.Of(system), changes, app.Lifetime.ApplicationStopping);
        app.Run(endpoints.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            local.Dispose();
            host?.Dispose();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        endpoints.Port = port;
        var inspector = new MachineInspector(system, app, local, host, sources, changes, new Uri($"http://127.0.0.1:{port}/?token={token}"));
        if (!Running.TryAdd(system, inspector))
        {
            await inspector.DisposeAsync(); // another start for the same system won the race
            throw new InvalidOperationException($"actor system '{system.Name}' already has a running inspector");
        }
        // Stop serving while the node shuts down (service-unbind, the phase for taking down endpoints), so nothing
        // answers for a system that has terminated: waiting for termination left the server up for a moment after
        // it. Termination stays the fallback for a shutdown that skips coordinated shutdown's phases.
        try
        {
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "xstatenet-inspector-stop", async () =>
            {
                await inspector.DisposeAsync();
                return Done.Instance;
            });
        }
        catch (InvalidOperationException)
        {
            // The node is already shutting down past that phase: termination stops the inspector.
        }
        _ = system.WhenTerminated.ContinueWith(_ => inspector.DisposeAsync().AsTask(), TaskScheduler.Default).Unwrap();
        system.Log.Info("XStateNet inspector for '{0}': {1} (loopback only; the token is the key, keep it private)", system.Name, inspector.Url);
        return inspector;
    }

    private static async Task<IReadOnlyList<InspectedMachine>> CollectAsync(IReadOnlyList<IMachineSource> sources, CancellationToken cancellationToken)
    {
        var lists = await Task.WhenAll(sources.Select(s => s.GetMachinesAsync(cancellationToken)));
        return lists.SelectMany(l => l).ToArray();
    }

    /// <summary>Stops serving the page and stops observing the machines.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Running.TryRemove(new KeyValuePair<ActorSystem, MachineInspector>(_system, this));
        foreach (var source in _sources) source.Changed -= _changes.Notify;
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(grace.Token);
        await _app.DisposeAsync();
        _local.Dispose();
        _host?.Dispose();
    }
}
