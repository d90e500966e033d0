using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Serialization;

namespace XStateNet.Actors.Tests.Serialization;

/// <summary>
/// Forgetting the runtime's configuration must not send machine events through Akka's fallback (Newtonsoft JSON)
/// silently: a node with remoting refuses to spawn machines, with an error that says what to add.
/// </summary>
public sealed class MachineEventBindingSpecs
{
    private const string Remote = """
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.loglevel = WARNING
        """;

    private const string Chart = """{ "initial": "idle", "states": { "idle": {} } }""";

    [Fact]
    public async Task Without_the_runtime_config_a_remote_node_refuses_to_spawn_machines_saying_what_to_add()
    {
        var system = ActorSystem.Create("forgotten", Remote);
        try
        {
            Assert.IsNotType<MachineEventSerializer>(system.Serialization.FindSerializerForType(typeof(MachineEvent)));
            var error = Assert.Throws<ConfigurationException>(() => system.SpawnMachine("m", Chart, new Dictionary<string, Action<OrchestratedContext>>()));
            Assert.Contains("akka.actor.serialization-bindings", error.Message);
            Assert.Contains("XStateNetConfig.Default", error.Message);
            Assert.Contains("WithXStateNet()", error.Message);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task A_binding_of_machine_events_to_another_serializer_is_refused_too()
    {
        var config = ConfigurationFactory.ParseString("""
            akka.actor.serialization-bindings { "XStateNet.Actors.MachineEvent, XStateNet.Actors.Runtime" = hyperion }
            """).WithFallback(ConfigurationFactory.ParseString(Remote)).WithFallback(XStateNetConfig.Default);
        var system = ActorSystem.Create("rebound", config);
        try
        {
            var error = Assert.Throws<ConfigurationException>(() => system.SpawnMachine("m", Chart, new Dictionary<string, Action<OrchestratedContext>>()));
            Assert.Contains(typeof(HyperionSerializer).FullName!, error.Message);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task With_the_runtime_config_machine_events_bind_to_their_own_serializer()
    {
        var system = ActorSystem.Create("bound", ConfigurationFactory.ParseString(Remote).WithFallback(XStateNetConfig.Default));
        try
        {
            Assert.IsType<MachineEventSerializer>(system.Serialization.FindSerializerForType(typeof(MachineEvent)));
            Assert.NotNull(system.SpawnMachine("m", Chart, new Dictionary<string, Action<OrchestratedContext>>()));
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task A_node_without_remoting_needs_no_binding()
    {
        var system = ActorSystem.Create("local", "akka.loglevel = WARNING");
        try
        {
            Assert.NotNull(system.SpawnMachine("m", Chart, new Dictionary<string, Action<OrchestratedContext>>()));
        }
        finally
        {
            await system.Terminate();
        }
    }
}
