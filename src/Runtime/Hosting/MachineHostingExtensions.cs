using Akka.Hosting;
using XStateNet.Actors.Configuration;

namespace XStateNet.Actors.Hosting;

/// <summary>Akka.Hosting helpers: spawn machines when the actor system starts.</summary>
public static class MachineHostingExtensions
{
    /// <summary>Spawns a machine with synchronous actions at start-up, at <c>/user/&lt;id&gt;</c>.</summary>
    /// <exception cref="Statecharts.StatechartDefinitionException">The JSON is invalid (thrown here, while configuring).</exception>
    public static AkkaConfigurationBuilder WithMachine(this AkkaConfigurationBuilder builder, string id, string json,
        IReadOnlyDictionary<string, Action<OrchestratedContext>> actions,
        IReadOnlyDictionary<string, Func<OrchestratedContext, bool>>? guards = null) =>
        builder.WithMachine(MachineDefinition.WithActions(id, json, actions, guards));

    /// <summary>Spawns a machine with asynchronous actions at start-up, at <c>/user/&lt;id&gt;</c>.</summary>
    /// <exception cref="Statecharts.StatechartDefinitionException">The JSON is invalid (thrown here, while configuring).</exception>
    public static AkkaConfigurationBuilder WithMachine(this AkkaConfigurationBuilder builder, string id, string json,
        IReadOnlyDictionary<string, Func<OrchestratedContext, Task>> actions,
        IReadOnlyDictionary<string, Func<OrchestratedContext, bool>>? guards = null) =>
        builder.WithMachine(MachineDefinition.WithAsyncActions(id, json, actions, guards));

    /// <summary>Spawns a machine from a full definition at start-up, and adds the runtime's reference HOCON.</summary>
    public static AkkaConfigurationBuilder WithMachine(this AkkaConfigurationBuilder builder, MachineDefinition definition) =>
        builder.WithMachine(definition, register: null);

    /// <summary>
    /// Spawns a machine with synchronous actions at start-up, at <c>/user/&lt;id&gt;</c>, and registers it in
    /// Akka.Hosting's <see cref="ActorRegistry"/> under <typeparamref name="TKey"/>, so the app gets it as
    /// <see cref="IRequiredActor{TActor}"/> of <typeparamref name="TKey"/>.
    /// </summary>
    /// <typeparam name="TKey">The registry key: any type of the app's own, by Akka.Hosting's convention an empty class
    /// named after the machine (<c>public sealed class Counter;</c>). One machine per key.</typeparam>
    /// <exception cref="Statecharts.StatechartDefinitionException">The JSON is invalid (thrown here, while configuring).</exception>
    public static AkkaConfigurationBuilder WithMachine<TKey>(this AkkaConfigurationBuilder builder, string id, string json,
        IReadOnlyDictionary<string, Action<OrchestratedContext>> actions,
        IReadOnlyDictionary<string, Func<OrchestratedContext, bool>>? guards = null) =>
        builder.WithMachine<TKey>(MachineDefinition.WithActions(id, json, actions, guards));

    /// <summary>
    /// Spawns a machine with asynchronous actions at start-up, at <c>/user/&lt;id&gt;</c>, and registers it in
    /// Akka.Hosting's <see cref="ActorRegistry"/> under <typeparamref name="TKey"/> (see
    /// <see cref="WithMachine{TKey}(AkkaConfigurationBuilder, MachineDefinition)"/>).
    /// </summary>
    /// <exception cref="Statecharts.StatechartDefinitionException">The JSON is invalid (thrown here, while configuring).</exception>
    public static AkkaConfigurationBuilder WithMachine<TKey>(this AkkaConfigurationBuilder builder, string id, string json,
        IReadOnlyDictionary<string, Func<OrchestratedContext, Task>> actions,
        IReadOnlyDictionary<string, Func<OrchestratedContext, bool>>? guards = null) =>
        builder.WithMachine<TKey>(MachineDefinition.WithAsyncActions(id, json, actions, guards));

    /// <summary>
    /// Spawns a machine from a full definition at start-up, adds the runtime's reference HOCON, and registers the
    /// machine in Akka.Hosting's <see cref="ActorRegistry"/> under <typeparamref name="TKey"/>: inject
    /// <see cref="IRequiredActor{TActor}"/> of <typeparamref name="TKey"/> (or read <see cref="IReadOnlyActorRegistry"/>)
    /// to send it events.
    /// </summary>
    /// <typeparam name="TKey">The registry key: any type of the app's own, by Akka.Hosting's convention an empty class
    /// named after the machine (<c>public sealed class Counter;</c>). One machine per key: a second registration
    /// under the same key fails the host's start.</typeparam>
    public static AkkaConfigurationBuilder WithMachine<TKey>(this AkkaConfigurationBuilder builder, MachineDefinition definition) =>
        builder.WithMachine(definition, (registry, machine) => registry.Register<TKey>(machine));

    private static AkkaConfigurationBuilder WithMachine(this AkkaConfigurationBuilder builder, MachineDefinition definition,
        Action<IActorRegistry, Akka.Actor.IActorRef>? register)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(definition);
        definition.Validate();
        return builder.WithXStateNet().WithActors((system, registry) =>
        {
            var machine = system.SpawnMachine(definition);
            register?.Invoke(registry, machine);
        });
    }

    /// <summary>
    /// Adds the runtime's reference HOCON (<see cref="XStateNetConfig.Default"/>: the Hyperion serializer binding and
    /// the <c>xstatenet</c> defaults) behind the node's own configuration, which keeps precedence, and checks the
    /// machine routes as the actor system starts, so a bad route fails the host's start with its key named. Adding it
    /// twice is harmless. It also starts <see cref="NodeRecovery"/>: a hosted node its peers declared dead is shut down
    /// with exit code <c>xstatenet.recovery.exit-code</c> (the host owns the actor system, so it cannot restart it in
    /// the process) unless <c>xstatenet.recovery.on-quarantined = none</c>.
    /// </summary>
    public static AkkaConfigurationBuilder WithXStateNet(this AkkaConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddHocon(XStateNetConfig.Default, HoconAddMode.Append)
            .AddStartup((system, _) =>
            {
                MachineRoutes.For(system);
                Transport.Telemetry.TelemetrySwitches.For(system); // read once, at start: a bad xstatenet.telemetry value fails it
                NodeRecovery.For(system); // a hosted node can't swap its actor system: declared dead, it ends the host (exit code)
            });
    }
}
