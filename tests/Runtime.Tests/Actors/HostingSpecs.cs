using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using XStateNet.Actors.Hosting;
using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Tests.Actors;

public class HostingSpecs
{
    [Fact]
    public async Task WithMachine_spawns_machines_when_the_host_starts()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("hosted-" + Guid.NewGuid().ToString("N")[..8], builder => builder
                .AddHocon("xstatenet.machines { }", HoconAddMode.Prepend)
                .WithMachine("counter", """
                    { "initial": "idle", "context": { "n": 0 }, "states": { "idle": { "on": { "INC": { "actions": "inc" } } } } }
                    """, new Dictionary<string, Action<OrchestratedContext>> { ["inc"] = ctx => ctx.Context["n"] = (long)ctx.Context["n"]! + 1 })))
            .Build();
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            var counter = await system.ActorSelection("/user/counter").ResolveOne(TimeSpan.FromSeconds(5));
            counter.Tell(new MachineEvent("INC"));
            counter.Tell(new MachineEvent("INC"));
            var snapshot = await counter.SnapshotAsync();
            Assert.Equal(2L, snapshot.Context["n"]);
            Assert.IsType<XStateNet.Actors.Serialization.MachineEventSerializer>(system.Serialization.FindSerializerFor(new MachineEvent("INC")));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void WithMachine_rejects_a_bad_script_while_configuring()
    {
        var builder = new HostBuilder().ConfigureServices(services => services.AddAkka("never", b =>
            b.WithMachine("bad", "{ \"initial\": \"nowhere\", \"states\": { \"a\": {} } }", new Dictionary<string, Action<OrchestratedContext>>())));
        var error = Assert.ThrowsAny<Exception>(() => builder.Build().Services.GetRequiredService<ActorSystem>());
        var definitionError = error as StatechartDefinitionException ?? error.InnerException as StatechartDefinitionException;
        Assert.NotNull(definitionError);
        Assert.Contains("'nowhere' is not a child", definitionError.Message);
    }
}
