using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Transport.Contract;
using XStateNet.Actors.Tests.Shared;

namespace XStateNet.Actors.Transport.SameHost.Tests;

/// <summary>
/// The same-host transport contract (<see cref="TransportContractSpec"/>) over Akka's TCP with the same-host fast path:
/// every transport of a test listens in one directory (one host), so its associations run on the ring, carrying
/// akka.tcp addresses; associating where nobody listens falls back to TCP and fails there as Akka's TCP does.
/// </summary>
public sealed class SameHostContractSpecs : TransportContractSpec
{
    private readonly TempShmDirectory _directory;

    public SameHostContractSpecs() : this(new TempShmDirectory("xsn-samehost-"))
    {
    }

    private SameHostContractSpecs(TempShmDirectory directory)
        : base($$"""akka.remote.same-host { directory = "{{directory.Path}}", file-prefix = "{{directory.Prefix}}" }""") =>
        _directory = directory;

    protected override string Scheme => "tcp";

    /// <summary>Created as Akka creates it: with its section, <c>akka.remote.dot-netty.tcp</c>, over Akka.Remote's defaults.</summary>
    /// <remarks>
    /// <c>tcp-reuse-addr = off</c>: with Akka's default (on, except on Windows) .NET sets SO_REUSEPORT along with
    /// SO_REUSEADDR on Linux, so a second TCP listener at a taken port succeeds and shares it; that is Akka's TCP, not
    /// the fast path, and the contract's "a second listener fails" needs TCP to refuse it.
    /// </remarks>
    protected override Akka.Remote.Transport.Transport Create(string settings) =>
        new SameHostTransport(System, ConfigurationFactory.ParseString($"""
            hostname = "127.0.0.1"
            port = 0
            tcp-reuse-addr = off
            {settings}
            """).WithFallback(AkkaTcpDefaults.Value));

    /// <summary>Akka.Remote's own defaults of <c>akka.remote.dot-netty.tcp</c> (its embedded reference file; the contract's system is not a remote one).</summary>
    private static readonly Lazy<Config> AkkaTcpDefaults = new(() =>
    {
        const string resource = "Akka.Remote.Configuration.Remote.conf";
        using var stream = typeof(Akka.Remote.RemoteActorRefProvider).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Akka.Remote has no {resource}");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd()).GetConfig("akka.remote.dot-netty.tcp");
    });

    protected override string ListenerSocketOf(Address address) =>
        Path.Combine(_directory.Path, $"{_directory.Prefix}-{address.Host}-{address.Port}.sock");

    protected override IReadOnlyList<string> Leftovers() =>
    [
        .. _directory.Files(),
        .. File.ReadAllLines("/proc/self/maps").Where(l => l.Contains("/memfd:" + _directory.Prefix, StringComparison.Ordinal)),
    ];

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            _directory.Dispose();
        }
    }
}
