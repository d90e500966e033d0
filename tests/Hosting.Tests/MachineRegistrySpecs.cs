using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace XStateNet.Actors.Hosting.Tests;

/// <summary>WithMachine&lt;TKey&gt; registers the machine in Akka.Hosting's ActorRegistry: the app injects IRequiredActor&lt;TKey&gt;.</summary>
public sealed class MachineRegistrySpecs
{
    private const string CounterChart = """
        { "initial": "idle", "context": { "n": 0 }, "states": { "idle": { "on": { "INC": { "actions": "inc" } } } } }
        """;

    private static readonly Dictionary<string, Action<OrchestratedContext>> Inc =
        new() { ["inc"] = ctx => ctx.Context["n"] = (long)ctx.Context["n"]! + 1 };

    /// <summary>The app's registry key for the counter machine, by Akka.Hosting's convention an empty class.</summary>
    private sealed class Counter;

    private sealed class Other;

    /// <summary>A service of the app that gets the machine by its key, as Akka.Hosting users do.</summary>
    private sealed class CounterClient(IRequiredActor<Counter> counter)
    {
        public async Task<long> IncrementTwiceAsync()
        {
            var machine = await counter.GetAsync();
            machine.Tell(new MachineEvent("INC"));
            machine.Tell(new MachineEvent("INC"));
            var snapshot = await machine.Ask<MachineSnapshot>(GetMachineSnapshot.Instance, TimeSpan.FromSeconds(10));
            return (long)snapshot.Context["n"]!;
        }
    }

    [Fact]
    public async Task A_service_gets_the_machine_as_IRequiredActor_of_its_key()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services
                .AddSingleton<CounterClient>()
                .AddAkka(Builders.Unique("registry"), builder => builder.WithMachine<Counter>("counter", CounterChart, Inc)))
            .Build();
        await host.StartAsync();
        try
        {
            Assert.Equal(2L, await host.Services.GetRequiredService<CounterClient>().IncrementTwiceAsync());

            var registry = host.Services.GetRequiredService<IReadOnlyActorRegistry>();
            Assert.Equal("/user/counter", registry.Get<Counter>().Path.ToStringWithoutAddress());
            Assert.False(registry.TryGet<Other>(out _));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Machines_without_a_key_are_spawned_and_not_registered()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka(Builders.Unique("no-key"), builder => builder.WithMachine("counter", CounterChart, Inc)))
            .Build();
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            Assert.NotNull(await system.ActorSelection("/user/counter").ResolveOne(TimeSpan.FromSeconds(5)));
            Assert.False(host.Services.GetRequiredService<IReadOnlyActorRegistry>().TryGet<Counter>(out _));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Two_machines_under_one_key_fail_the_start()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka(Builders.Unique("dup-key"), builder => builder
                .WithMachine<Counter>("first", CounterChart, Inc)
                .WithMachine<Counter>("second", CounterChart, Inc)))
            .Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains(nameof(Counter), error.ToString());
        await host.StopAsync();
    }
}
