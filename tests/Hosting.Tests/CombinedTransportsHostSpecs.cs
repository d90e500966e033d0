using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Remote;
using Akka.Remote.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using XStateNet.Actors.Transport;
using XStateNet.Actors.Transport.Pipes;
using XStateNet.Actors.Transport.SharedMemory;

namespace XStateNet.Actors.Hosting.Tests;

/// <summary>
/// A generic host with WithRemoting and one of ours listens on both and answers over both. The files each transport
/// makes live in a directory of this spec's own (shm) or are named after a port reserved for this run (pipes,
/// default directory: <c>directory</c> is a key only the renamed pipe transport reads), and go with the node.
/// </summary>
public sealed class CombinedTransportsHostSpecs : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("xsn-hosting-").FullName;

    [Fact]
    public async Task A_hosted_node_with_tcp_and_shm_answers_over_both()
    {
        var shm = new ShmRemotingOptions { Directory = _directory };
        await RunAsync(b => b.WithRemoting("127.0.0.1", 0).WithShmRemoting(shm), "akka.tcp", "akka.shm",
            ConfigurationFactory.ParseString($"akka.remote.shm {{ directory = \"{_directory}\", port = 0 }}").WithFallback(ShmConfig.Ready));
        Assert.Empty(Directory.GetFileSystemEntries(_directory)); // both nodes' control sockets went with them
    }

    [Fact]
    public async Task A_hosted_node_with_tcp_and_pipes_answers_over_both()
    {
        var pipe = await RunAsync(b => b.WithRemoting("127.0.0.1", 0).WithPipeRemoting(new PipeRemotingOptions()), "akka.tcp", "akka.pipe",
            ConfigurationFactory.ParseString("akka.remote.pipe.port = 0").WithFallback(PipeConfig.Ready));

        // The default directory and prefix: the node's socket and lock file go with it.
        var socket = Path.Combine(Path.GetTempPath(), $"xstatenet-pipe-localhost-{pipe.Port}");
        Assert.False(File.Exists(socket), socket + " was left behind");
        Assert.False(File.Exists(socket + ".lock"), socket + ".lock was left behind");
    }

    [Fact]
    public async Task WithRemoting_after_ours_fails_the_start_saying_what_to_do()
    {
        using var host = Host(b => b.WithShmRemoting(new ShmRemotingOptions { Directory = _directory }).WithRemoting("127.0.0.1", 0));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains("akka.remote.dot-netty.tcp", messages);
        Assert.Contains("call WithRemoting before WithPipeRemoting / WithShmRemoting", messages);
        await host.StopAsync();
    }

    /// <summary>
    /// Starts the host, then asks its echo actor from a TCP client and from a client of <paramref name="ours"/>;
    /// returns the node's address on <paramref name="ours"/>, once the host has stopped.
    /// </summary>
    private static async Task<Address> RunAsync(Action<AkkaConfigurationBuilder> configure, string tcp, string ours, Config oursClient)
    {
        using var host = Host(b => configure(b.WithActors((system, _) => system.ActorOf(Props.Create(() => new Echo()), "echo"))));
        await host.StartAsync();
        var clients = new List<ActorSystem>();
        Address? oursAddress = null;
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            Assert.IsType<LivenessAwareRemoteActorRefProvider>(((ExtendedActorSystem)system).Provider);
            var addresses = ((IRemoteActorRefProvider)((ExtendedActorSystem)system).Provider).Transport.Addresses;
            Assert.Equal([ours, tcp], addresses.Select(a => a.Protocol).Order(StringComparer.Ordinal));

            var clientConfigs = new Dictionary<string, Config>
            {
                [tcp] = ConfigurationFactory.ParseString("akka.actor.provider = remote, akka.remote.dot-netty.tcp { hostname = \"127.0.0.1\", port = 0 }"),
                [ours] = oursClient,
            };
            oursAddress = addresses.Single(a => a.Protocol == ours);
            foreach (var address in addresses)
            {
                var client = ActorSystem.Create("client", clientConfigs[address.Protocol].WithFallback("akka.loglevel = WARNING"));
                clients.Add(client);
                var echo = await client.ActorSelection(new RootActorPath(address) / "user" / "echo").ResolveOne(TimeSpan.FromSeconds(15));
                Assert.Equal("over " + address.Protocol, await echo.Ask<string>("over " + address.Protocol, TimeSpan.FromSeconds(15)));
            }
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.Terminate()));
            await host.StopAsync();
        }
        return oursAddress;
    }

    private static IHost Host(Action<AkkaConfigurationBuilder> configure) => new HostBuilder()
        .ConfigureServices(services => services.AddAkka("hosted", builder => configure(builder.AddHocon("akka.loglevel = WARNING", HoconAddMode.Prepend))))
        .Build();

    private static IEnumerable<Exception> Chain(Exception? error)
    {
        for (; error is not null; error = error.InnerException) yield return error;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }
}
