using BenchmarkDotNet.Attributes;

namespace XStateNet.Actors.Bench.Statecharts;

/// <summary>The flat ring, per event (= per transition): the engine against its enum-and-switch twin.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("flat ring")]
public class FlatRingBenchmarks
{
    // Batches amortize BenchmarkDotNet's per-invocation overhead, which would otherwise swamp a
    // one-nanosecond hand-written transition; OperationsPerInvoke divides it back out.
    private const int EventsPerInvoke = 10_000;

    private FlatRingHandWritten _handWritten = null!;
    private FlatRingEngine _engine = null!;

    [GlobalSetup]
    public void Setup()
    {
        _handWritten = new FlatRingHandWritten();
        _engine = new FlatRingEngine();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerInvoke)]
    public void HandWritten() => _handWritten.Run(EventsPerInvoke);

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void Engine() => _engine.Run(EventsPerInvoke);
}
