namespace XStateNet.Actors.Bench.Statecharts;

/// <summary>What the quick runner saw of one implementation of one scenario.</summary>
internal sealed record Measurement(
    string Scenario,
    string Implementation,
    double EventsPerSecond,
    double TransitionsPerSecond,
    double AllocatedBytesPerTransition)
{
    public double NanosecondsPerTransition => 1e9 / TransitionsPerSecond;
}
