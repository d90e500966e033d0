using System.Text.Json;
using System.Text.Json.Serialization;

namespace XStateNet.Actors.Samples.Pipeline.Reporting;

/// <summary>
/// One line a stage writes on its stdout for the launcher (JSON, one object a line): it is up, how far it is,
/// something worth telling, or the run's summary.
/// </summary>
internal sealed record StageReport
{
    public const string Ready = "ready";

    /// <summary>The ingester's run clock starts (with <see cref="Total"/>): the launcher takes every stage's CPU time here.</summary>
    public const string Started = "started";
    public const string Progress = "progress";
    public const string Note = "note";
    public const string Summary = "summary";

    /// <summary>The stage's transport figures per peer (<see cref="Peers"/>), written when they changed.</summary>
    public const string Transport = "transport";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string Kind { get; init; }

    public required string Stage { get; init; }

    public int? Pid { get; init; }

    public string? Address { get; init; }

    /// <summary>Files this stage has finished (read, transformed or stored).</summary>
    public long? Done { get; init; }

    /// <summary>Files there are to do, when the stage knows (the ingester does).</summary>
    public long? Total { get; init; }

    /// <summary>Files this stage refused or found already done.</summary>
    public long? Skipped { get; init; }

    public string? Text { get; init; }

    public RunSummary? Result { get; init; }

    public IReadOnlyList<PeerFigures>? Peers { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The report on a line, or null when the line is not one (a stray print, a runtime message).</summary>
    public static StageReport? TryParse(string line)
    {
        if (line.Length == 0 || line[0] != '{') return null;
        try
        {
            return JsonSerializer.Deserialize<StageReport>(line, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>What the ingester measured over a run.</summary>
internal sealed record RunSummary
{
    public long Files { get; init; }

    public long Bytes { get; init; }

    public double ElapsedMs { get; init; }

    /// <summary>Files/s over the second half of the files only: closer to the steady state than the whole run.</summary>
    public double SecondHalfFilesPerSecond { get; init; }

    public double LatencyP50Ms { get; init; }

    public double LatencyP99Ms { get; init; }

    /// <summary>Files sent again after a stage was lost or the pipeline stalled.</summary>
    public long Resent { get; init; }

    public IReadOnlyList<Rejection> Rejected { get; init; } = [];

    public double FilesPerSecond => ElapsedMs > 0 ? Files / (ElapsedMs / 1000) : 0;
}

/// <summary>A file the pipeline refused, and why.</summary>
internal sealed record Rejection(string Path, string Reason);
