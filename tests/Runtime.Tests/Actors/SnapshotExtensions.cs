using Akka.Actor;

namespace XStateNet.Actors.Tests.Actors;

internal static class SnapshotExtensions
{
    public static Task<MachineSnapshot> SnapshotAsync(this IActorRef machine) =>
        machine.Ask<MachineSnapshot>(GetMachineSnapshot.Instance, TimeSpan.FromSeconds(5));
}
