using System.Diagnostics;
using System.Globalization;
using XStateNet.Actors.MultiProcess.Tests.Machines;
using XStateNet.Actors.TestKit;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>
/// Base of the repository's multi-process specs, on the TestKit: what the machines of <see cref="ActionCatalogue"/>
/// report to the probe (id <c>report</c>) read as named events with dictionary payloads.
/// </summary>
public abstract class ReportingSpec<TRoles>(ITestOutputHelper output) : MultiNodeSpec<TRoles>(output) where TRoles : ReportingRoles, new()
{
    /// <summary>
    /// The next report named <paramref name="name"/>. Any other report fails the spec (with its fields), except
    /// those named in <paramref name="tolerated"/>, which are logged and skipped.
    /// </summary>
    protected async Task<MachineEvent> ExpectReport(string name, TimeSpan timeout, params string[] tolerated)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero) left = TimeSpan.FromMilliseconds(1);
            MachineEvent report;
            try
            {
                report = await Probe.ExpectMsgAsync<MachineEvent>(left);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new TimeoutException($"no {name} report within {timeout.TotalSeconds:0} s.\n{NodesLog()}", e);
            }
            if (report.Name == name) return report;
            if (tolerated.Contains(report.Name))
            {
                Note($"report (tolerated): {Describe(report)}");
                continue;
            }
            throw new InvalidOperationException($"expected a {name} report, got {Describe(report)}");
        }
    }

    /// <summary>Fails with the first report that has arrived, if any: for phases where no machine should report anything.</summary>
    protected void ThrowIfAnyReport(string phase)
    {
        if (!Probe.HasMessages) return;
        var report = Probe.ReceiveOne(TimeSpan.Zero);
        throw new InvalidOperationException($"{phase}: unexpected report {(report is MachineEvent machineEvent ? Describe(machineEvent) : report)}");
    }

    /// <summary>Asks a sink's snapshot until it has counted <paramref name="expected"/> events or time runs out.</summary>
    protected async Task<MachineSnapshot> AwaitReceived(string role, string id, long expected, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            ThrowIfAnyReport($"waiting for {id}"); // a lost event is reported by its sender: show why
            var snapshot = await Snapshot(role, id);
            if (ContextNumber(snapshot, "received") >= expected || deadline.Elapsed > timeout) return snapshot;
            await Task.Delay(100);
        }
    }

    /// <summary>A field of a report's payload.</summary>
    protected static object? Field(MachineEvent report, string key) =>
        report.Data is IDictionary<string, object?> fields && fields.TryGetValue(key, out var value)
            ? value
            : throw new InvalidOperationException($"report {Describe(report)} has no field '{key}'");

    /// <summary>A field of a report's payload, as a number.</summary>
    protected static long Number(MachineEvent report, string key) => Convert.ToInt64(Field(report, key), CultureInfo.InvariantCulture);

    /// <summary>A dictionary payload, which crosses processes without shared types.</summary>
    protected static Dictionary<string, object?> Fields(params (string Key, object? Value)[] fields) =>
        fields.ToDictionary(field => field.Key, field => field.Value, StringComparer.Ordinal);

    /// <summary>A context value of a machine snapshot, as a number (absent counts as 0).</summary>
    protected static long ContextNumber(MachineSnapshot snapshot, string key) =>
        snapshot.Context.TryGetValue(key, out var value) && value is not null ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;

    /// <summary>The FAILED line of a node that could not start, from the error <c>StartNodes</c> threw.</summary>
    protected static string FailedLine(TimeoutException error)
    {
        Assert.Contains("exited with code 1", error.Message);
        Assert.DoesNotContain("\nREADY ", error.Message);
        return error.Message.Split('\n').Single(line => line.StartsWith("FAILED ", StringComparison.Ordinal));
    }

    private static string Describe(MachineEvent report) =>
        report.Data is IDictionary<string, object?> fields
            ? $"{report.Name} {{{string.Join(", ", fields.Select(field => $"{field.Key}={field.Value}"))}}}"
            : $"{report.Name} {report.Data}";
}
