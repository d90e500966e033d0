using XStateNet.Actors.Samples.Pipeline.Baseline;
using XStateNet.Actors.Samples.Pipeline.Reporting;

namespace XStateNet.Actors.Samples.Pipeline.Launching;

/// <summary>What the user sees of a run: live bars on a terminal, plain lines otherwise (CI, tests, pipes).</summary>
internal interface IRunView
{
    /// <summary>Runs the launcher's loop inside the view (a live display lasts exactly as long).</summary>
    Task<T> RunAsync<T>(Func<Task<T>> loop);

    void Notice(string text);

    void StageStarted(StageProgress stage);

    /// <summary>Called often; the view decides how often to draw.</summary>
    void Refresh(IReadOnlyList<StageProgress> stages, long total);

    void Note(StageProgress stage, string text);

    /// <summary>The one-thread baseline is done (<c>--baseline</c>), before the stages start.</summary>
    void Baseline(BaselineResult result);

    void Summary(RunReport report);
}

/// <summary>Everything the end-of-run summary shows.</summary>
internal sealed record RunReport(
    string Transport,
    string Input,
    string Database,
    RunSummary Result,
    TimeSpan WallClock,
    IReadOnlyList<StageProgress> Stages,
    BaselineResult? Baseline)
{
    /// <summary>Per stage, its transport's figures per peer from the transport meter (empty for a transport without one, TCP).</summary>
    public IReadOnlyList<(StageRole Role, IReadOnlyList<PeerFigures> Peers)> Peers { get; init; } = [];

    /// <summary>The pipeline's files/s over the one-thread baseline's, measured in the same run; null without <c>--baseline</c>.</summary>
    public double? VsOneThread => Baseline is { FilesPerSecond: > 0 } b ? Result.FilesPerSecond / b.FilesPerSecond : null;

    /// <summary>CPU µs per stored file that a stage spent after it was ready (its process's own CPU time / files).</summary>
    public double CpuMicrosPerFile(StageProgress stage) => Result.Files > 0 ? stage.RunCpu.TotalMicroseconds / Result.Files : 0;
}
