using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace XStateNet.Actors.Bench.Statecharts;

/// <summary>
/// How the bdn switch runs BenchmarkDotNet. One short job (one launch, three warmup and three measured
/// iterations) keeps the whole suite to about a minute on two cores; a ratio this lopsided does not need more.
/// Both classes go into one table, and grouping by category keeps each scenario's ratio against its own
/// hand-written baseline instead of a single baseline for the whole table. Op/s is there because the issue
/// asks for transitions per second: with OperationsPerInvoke set to the batch size, one operation is one event.
/// </summary>
internal static class BenchmarkConfig
{
    public static IConfig Create() => ManualConfig.Create(DefaultConfig.Instance)
        .AddJob(Job.ShortRun)
        .AddColumn(StatisticColumn.OperationsPerSecond)
        .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory)
        .WithOptions(ConfigOptions.JoinSummary);
}
