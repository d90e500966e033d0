using Akka.Actor;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Inspection;

namespace XStateNet.Actors.Diagrams.Tests.Inspection;

/// <summary>
/// The runtime's side of inspection: machines register with their charts, and publish their steps only while
/// observed. A step publishes before the machine answers the next message, so after a snapshot has been answered
/// the probe's mailbox says for certain whether a step was published; nothing here waits on a clock.
/// </summary>
public sealed class MachineObservationTests() : TestKit(XStateNetConfig.Default)
{
    private IActorRef Door() => Sys.SpawnMachine("door", InspectedNode.DoorChart, new Dictionary<string, Action<OrchestratedContext>>
    {
        ["count"] = ctx => ctx.Context["opened"] = Convert.ToInt64(ctx.Context["opened"]) + 1,
    });

    private async Task Handled(IActorRef machine) => await machine.Ask<MachineSnapshot>(GetMachineSnapshot.Instance, TimeSpan.FromSeconds(10));

    [Fact]
    public async Task Running_machines_are_listed_with_their_charts_until_they_stop()
    {
        var door = Door();
        await Handled(door);

        var listed = Assert.Single(MachineObservation.For(Sys).Machines);
        Assert.Equal("door", listed.Id);
        Assert.Equal(door, listed.Actor);
        Assert.NotNull(listed.Chart.FindByPath("open"));

        Watch(door);
        Sys.Stop(door);
        ExpectTerminated(door);
        Assert.Empty(MachineObservation.For(Sys).Machines);
    }

    [Fact]
    public async Task Steps_are_published_only_while_someone_observes()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe, typeof(MachineStepped));
        var door = Door();
        var observation = MachineObservation.For(Sys);

        door.Tell(new MachineEvent("OPEN"));
        await Handled(door);
        Assert.False(observation.IsObserved);
        Assert.False(probe.HasMessages);

        using (observation.Observe())
        {
            door.Tell(new MachineEvent("CLOSE"));
            var step = probe.ExpectMsg<MachineStepped>();
            Assert.Equal("door", step.MachineId);
            Assert.Equal("CLOSE", step.EventName);
            Assert.Equal(new[] { "closed" }, step.ActiveStates);
            Assert.False(step.IsDone);
        }

        door.Tell(new MachineEvent("OPEN"));
        await Handled(door);
        Assert.False(observation.IsObserved);
        Assert.False(probe.HasMessages);
    }
}
