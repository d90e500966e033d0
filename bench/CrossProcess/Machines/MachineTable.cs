using Spectre.Console;

namespace XStateNet.Actors.Bench.CrossProcess.Machines;

/// <summary>The machine rows beside the raw Akka messages of the same transport and run.</summary>
internal static class MachineTable
{
    public static Table Of(IReadOnlyList<MachineResult> machines, IReadOnlyList<TransportResult> raw)
    {
        var table = new Table().AddColumns("transport", "machine events", "events/s", "vs raw msgs/s", "CPU µs/event",
            "CPU vs raw", "CPU vs record");
        foreach (var group in machines.GroupBy(m => m.Transport))
        {
            var rawRow = raw.FirstOrDefault(r => r.Name == group.Key);
            if (rawRow is not null)
            {
                table.AddRow(group.Key, "raw Akka message (int)", rawRow.MessagesPerSecond.ToString("N0"), "1.00x",
                    $"{rawRow.CpuMicrosPerMessage:0.0}", "1.00x", "-");
            }
            var record = group.FirstOrDefault(m => m.Payload == PayloadKind.Record);
            foreach (var row in group)
            {
                table.AddRow(
                    group.Key,
                    Markup.Escape(row.Payload is { } kind ? EventPayloads.Label(kind) : "raw Akka message (1 KiB byte[])"),
                    row.EventsPerSecond.ToString("N0"),
                    rawRow is null ? "-" : $"{row.EventsPerSecond / rawRow.MessagesPerSecond:0.00}x",
                    $"{row.CpuMicrosPerEvent:0.0}",
                    rawRow is null ? "-" : $"{row.CpuMicrosPerEvent / rawRow.CpuMicrosPerMessage:0.00}x",
                    record is null ? "-" : $"{row.CpuMicrosPerEvent / record.CpuMicrosPerEvent:0.00}x");
            }
        }
        return table;
    }
}
