using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using XStateNet.Actors.Hosting;
using XStateNet.Actors.Tests.Shared;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>WithShmRemoting switches a hosted node to shared memory with no hand-written HOCON.</summary>
public sealed class ShmHostingSpecs
{
    [Fact]
    public async Task A_hosted_node_listens_on_an_shm_address_and_answers_another_node()
    {
        using var dir = new TempShmDirectory();
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("hosted", builder => builder
                .WithXStateNet()
                .WithShmRemoting(new ShmRemotingOptions { Port = 23456, Directory = dir.Path })
                .WithActors((system, _) => system.ActorOf(Props.Create(() => new Echo()), "target"))))
            .Build();
        await host.StartAsync();
        var client = ActorSystem.Create("client", ShmNodes.Config(dir.Path));
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            Assert.Equal("akka.shm://hosted@localhost:23456", ShmNodes.AddressOf(system).ToString());

            var target = await client.ActorSelection("akka.shm://hosted@localhost:23456/user/target")
                .ResolveOne(TimeSpan.FromSeconds(10));
            Assert.Equal("hi", await target.Ask<string>("hi", TimeSpan.FromSeconds(10)));
        }
        finally
        {
            await client.Terminate();
            await host.StopAsync();
        }
    }
}
