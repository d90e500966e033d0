using Akka.Actor;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using XStateNet.Actors.Hosting;
using XStateNet.Actors.Tests.Shared;

namespace XStateNet.Actors.Transport.SameHost.Tests;

/// <summary>WithSameHostFastPath after Akka.Remote.Hosting's WithRemoting: akka.tcp address, liveness-aware provider, the ring to a same-host node.</summary>
public sealed class HostingSpecs
{
    [Fact]
    public async Task A_hosted_node_keeps_its_tcp_address_and_reaches_a_same_host_node_over_the_ring()
    {
        using var dir = new TempShmDirectory("xsn-samehost-");
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("hosted", builder => builder
                .WithRemoting(new RemoteOptions { HostName = "127.0.0.1", Port = 0 })
                .WithSameHostFastPath(options =>
                {
                    options.Directory = dir.Path;
                    options.FilePrefix = dir.Prefix;
                })
                .WithActors((system, _) => system.ActorOf(Props.Create(() => new Echo()), "target"))))
            .Build();
        await host.StartAsync();
        var client = ActorSystem.Create("hosted", RemoteFastPathSpecs.NodeConfig(dir));
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            var address = ((ExtendedActorSystem)system).Provider.DefaultAddress;
            Assert.Equal("akka.tcp", address.Protocol);
            Assert.IsType<LivenessAwareRemoteActorRefProvider>(((ExtendedActorSystem)system).Provider);
            Assert.Contains(dir.Files(), f => Path.GetFileName(f) == $"{dir.Prefix}-127.0.0.1-{address.Port}.sock");

            var target = await client.ActorSelection(new RootActorPath(address) / "user" / "target").ResolveOne(TimeSpan.FromSeconds(20));
            Assert.Equal("hi", await target.Ask<string>("hi", TimeSpan.FromSeconds(10)));
            Assert.True(SameHostPaths.For(client).RingAssociations(address) > 0, string.Join(", ", SameHostPaths.For(client).Snapshot()));
            Assert.Equal(0, SameHostPaths.For(client).TcpAssociations(address));
        }
        finally
        {
            await client.Terminate();
            await host.StopAsync();
        }
    }
}
