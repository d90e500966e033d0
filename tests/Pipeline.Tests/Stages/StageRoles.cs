using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Samples.Pipeline.Reporting;
using XStateNet.Actors.Samples.Pipeline.Stages;
using XStateNet.Actors.TestKit;

namespace XStateNet.Actors.Samples.Pipeline.Tests.Stages;

/// <summary>
/// The pipeline's three stages as TestKit roles: each child process runs the sample's own stage
/// (<see cref="PipelineStage"/>: its machine, its actions, storage's database) on the node the TestKit made, with the
/// stages' own settings (<see cref="StageConfig.StageSettings"/>) and system name, so the children are the sample's
/// stages on the transport under test. The TestKit routes each machine id to its role's node, as the launcher's
/// routes file does. What a run works on (input folder, database, flow control) is the spec's: it gives it to every
/// role with <see cref="RunSettings"/>, which the child reads from its node's HOCON.
/// </summary>
public sealed class StageRoles : MultiNodeConfig
{
    private const string Section = "pipeline-spec";

    /// <summary>This process's stage, opened once: a node that restarts its actor system spawns it anew, same database.</summary>
    private PipelineStage? _stage;

    public StageRoles()
    {
        SystemName = StageConfig.SystemName;
        CommonConfig(StageConfig.StageSettings);
        foreach (var role in Enum.GetValues<StageRole>())
        {
            var id = MachineScripts.Id(role);
            Role(id).Machine(id, system => Stage(role, system).NewMachine());
        }
    }

    /// <summary>The HOCON that gives a role the run's options (the spec passes it to <c>ConfigureRole</c>).</summary>
    internal static string RunSettings(PipelineOptions options) => string.Create(CultureInfo.InvariantCulture, $$"""
        {{Section}} {
          input = "{{options.Input}}"
          db = "{{options.DatabasePath}}"
          in-flight = {{options.InFlight}}
          batch = {{options.Batch}}
          max-file-size = {{options.MaxFileSize}}
          process-delay-ms = {{options.ProcessDelayMs}}
        }
        """);

    private PipelineStage Stage(StageRole role, ActorSystem system) =>
        // JSON reports on the child's standard output, among the TestKit's lines: the spec reads them from the node's log.
        _stage ??= PipelineStage.Open(role, Options(system.Settings.Config), new StageReporter(role, json: true, Console.Out));

    private static PipelineOptions Options(Config config)
    {
        var run = config.GetConfig(Section);
        if (run is null || run.IsEmpty)
            throw new InvalidOperationException($"{Section} is not set: the spec gives every role StageRoles.RunSettings(...) with ConfigureRole");
        return new PipelineOptions
        {
            Input = run.GetString("input"),
            Db = run.GetString("db"),
            InFlight = run.GetInt("in-flight"),
            Batch = run.GetInt("batch"),
            MaxFileSize = run.GetLong("max-file-size"),
            ProcessDelayMs = run.GetInt("process-delay-ms"),
        };
    }
}
