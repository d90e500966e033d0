using System.CommandLine;
using Spectre.Console;
using XStateNet.Actors.Samples.Pipeline;
using XStateNet.Actors.Samples.Pipeline.Launching;
using XStateNet.Actors.Samples.Pipeline.Stages;
using XStateNet.Actors.Samples.Pipeline.Transports;

var input = new Option<string?>("--input") { Description = "Folder of files to ingest (default: generate demo input)" };
var db = new Option<string?>("--db") { Description = "SQLite database file (default: pipeline.db in the working folder, emptied each demo run)" };
var transport = new Option<string?>("--transport")
{
    Description = $"Transport between the stages, from hocon/ (default: {TransportCatalog.DefaultName})",
};
transport.AcceptOnlyFromAmong([.. TransportCatalog.Names]);
var files = new Option<int>("--files") { Description = "How many demo files to generate", DefaultValueFactory = _ => PipelineOptions.DefaultFiles };
var size = new Option<int>("--size") { Description = "Size of each demo file in bytes", DefaultValueFactory = _ => PipelineOptions.DefaultSize };
var role = new Option<StageRole?>("--role") { Description = "Run one stage alone (ingester, processor or storage), e.g. under systemd" };
var inFlight = new Option<int>("--in-flight") { Description = "Files the ingester keeps in flight at most (flow control)", DefaultValueFactory = _ => PipelineOptions.DefaultInFlight };
var batch = new Option<int>("--batch") { Description = "Files per event between the stages, at most", DefaultValueFactory = _ => PipelineOptions.DefaultBatch };
var maxFileSize = new Option<long>("--max-file-size") { Description = "Files larger than this are rejected, in bytes", DefaultValueFactory = _ => PipelineOptions.DefaultMaxFileSize };
var work = new Option<string?>("--work") { Description = "Working folder for demo input, the default database, routes and logs (default: <temp>/xstatenet-pipeline)" };
var config = new Option<string?>("--config") { Description = "HOCON file with the stages' routes (xstatenet.machines); default: ports 20001-20003" };
var noUi = new Option<bool>("--no-ui") { Description = "Plain lines instead of live progress bars (automatic when output is redirected)" };
var processDelay = new Option<int>("--process-delay") { Description = "Simulated transformation time per file in ms, to watch a run at a human pace" };
var baseline = new Option<bool>("--baseline")
{
    Description = "First do the same work on the same input in one thread (no actors, no processes), then run the pipeline and print its speed as a ratio to that",
};
var directory = new Option<string?>("--directory")
{
    Description = "Publish the stages' machines in the host directory at this absolute path, so `xstatenet inspect --directory PATH` shows them (default: not published)",
};
var parentPid = new Option<int?>("--parent-pid") { Description = "Set by the launcher on its stages: stop when that process is gone", Hidden = true };

PositiveInt(files, allowZero: true);
PositiveInt(size, allowZero: false);
PositiveInt(inFlight, allowZero: false);
PositiveInt(batch, allowZero: false);
PositiveInt(processDelay, allowZero: true);
maxFileSize.Validators.Add(result =>
{
    if (result.GetValueOrDefault<long>() <= 0) result.AddError("--max-file-size must be a positive number of bytes.");
});

var root = new RootCommand("""
    The XStateNet.Actors pipeline: ingester → processor → storage, three state machines in three processes.
    With no options it generates demo input, runs the stages over shared memory and prints a summary.
    """)
{
    input, db, transport, files, size, role, inFlight, batch, maxFileSize, work, config, noUi, processDelay, baseline, parentPid, directory,
};

root.SetAction(async (parse, cancel) =>
{
    var options = new PipelineOptions
    {
        Input = parse.GetValue(input),
        Db = parse.GetValue(db),
        Transport = parse.GetValue(transport),
        Files = parse.GetValue(files),
        Size = parse.GetValue(size),
        Role = parse.GetValue(role),
        InFlight = parse.GetValue(inFlight),
        Batch = parse.GetValue(batch),
        MaxFileSize = parse.GetValue(maxFileSize),
        Work = parse.GetValue(work),
        Config = parse.GetValue(config),
        NoUi = parse.GetValue(noUi),
        ProcessDelayMs = parse.GetValue(processDelay),
        Baseline = parse.GetValue(baseline),
        ParentPid = parse.GetValue(parentPid),
        Directory = parse.GetValue(directory),
    };
    try
    {
        if (options.Role is { } stage)
        {
            if (stage == StageRole.Ingester && options.Input is null)
                throw new PipelineUsageException("--role ingester needs --input DIR.");
            return await StageHost.RunAsync(stage, options, cancel);
        }
        var interactive = !options.NoUi && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        IRunView view = interactive ? new LiveView(AnsiConsole.Console) : new PlainView(Console.Out);
        return await new Launcher(options, view).RunAsync(cancel);
    }
    catch (Exception e) when (e is PipelineUsageException or XStateNet.Actors.Statecharts.StatechartDefinitionException)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return Program.UsageError;
    }
});

return await root.Parse(args).InvokeAsync();

static void PositiveInt(Option<int> option, bool allowZero) => option.Validators.Add(result =>
{
    var value = result.GetValueOrDefault<int>();
    if (value < 0 || (value == 0 && !allowZero)) result.AddError($"{option.Name} must be {(allowZero ? "zero or more" : "at least 1")}.");
});

/// <summary>Exit codes shared by the launcher and its stages.</summary>
internal static partial class Program
{
    /// <summary>The command line, a file it names or a machine script is wrong: restarting will not help.</summary>
    public const int UsageError = 2;
}
