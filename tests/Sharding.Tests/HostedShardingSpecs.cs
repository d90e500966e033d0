using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace XStateNet.Actors.Sharding.Tests;

/// <summary>The Akka.Hosting path: one call starts the machine type on a cluster member, stored in SQLite.</summary>
public sealed class HostedShardingSpecs
{
    [Fact]
    public async Task A_hosted_cluster_member_starts_the_machines_with_one_call_and_stores_them_in_SQLite()
    {
        var port = FreePort();
        var file = Path.Combine(Path.GetTempPath(), $"xstatenet-hosted-sharding-{Guid.NewGuid():N}.db");
        using var host = new HostBuilder().ConfigureServices(services => services.AddAkka("Hosted", (builder, _) => builder
            .AddHocon("akka.loglevel = WARNING\nakka.coordinated-shutdown.exit-clr = off", HoconAddMode.Prepend)
            .WithRemoting("127.0.0.1", port)
            .WithClustering(new ClusterOptions { SeedNodes = [$"akka.tcp://Hosted@127.0.0.1:{port}"] })
            .WithSqliteMachineStore(file)
            .WithShardedMachines("order", o => o.Script(Counter.Chart).Actions(Counter.Actions).IdPrefix("order-"))))
            .Build();
        try
        {
            await host.StartAsync();
            var machines = ShardedMachines.For(host.Services.GetRequiredService<ActorSystem>());

            machines.Tell("order-1", new MachineEvent("INC", 1L));
            machines.Tell("order-1", new MachineEvent("INC", 2L));

            await Counter.Eventually(async () => (await machines.GetSnapshotAsync("order-1")).Context["count"] is 2L, "two counted");
            Assert.True(new FileInfo(file).Length > 0, "the SQLite file holds the machines");
        }
        finally
        {
            await host.StopAsync();
            foreach (var leftover in new[] { file, file + "-wal", file + "-shm" }) File.Delete(leftover);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
