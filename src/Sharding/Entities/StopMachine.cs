namespace XStateNet.Actors.Sharding;

/// <summary>
/// What sharding tells an entity to stop it (passivation, hand-off). A message of our own, not a PoisonPill, so it
/// waits behind a state being persisted and the machine stops only once its last state is stored.
/// </summary>
internal sealed class StopMachine
{
    public static readonly StopMachine Instance = new();

    private StopMachine() { }
}
