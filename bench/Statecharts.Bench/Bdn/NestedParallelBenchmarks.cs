using BenchmarkDotNet.Attributes;

namespace XStateNet.Actors.Bench.Statecharts;

/// <summary>
/// The nested, parallel machine, per STEP event. A STEP always takes one transition in the motor region and
/// about half the time one in the lamp region too; the quick runner reports transitions per second exactly.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("nested parallel")]
public class NestedParallelBenchmarks
{
    private const int EventsPerInvoke = 10_000;

    private NestedHandWritten _handWritten = null!;
    private NestedEngine _engine = null!;

    [GlobalSetup]
    public void Setup()
    {
        _handWritten = new NestedHandWritten();
        _engine = new NestedEngine();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerInvoke)]
    public void HandWritten() => _handWritten.Run(EventsPerInvoke);

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void Engine() => _engine.Run(EventsPerInvoke);
}
