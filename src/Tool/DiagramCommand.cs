using System.CommandLine;
using XStateNet.Actors.Diagrams;
using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Tool;

/// <summary><c>xstatenet diagram chart.json [--format mermaid|svg] [--output file] [--active path]…</c></summary>
internal static class DiagramCommand
{
    public const string Mermaid = "mermaid";
    public const string Svg = "svg";

    /// <summary>Charts are small; a file larger than this is refused before it is read into memory.</summary>
    public const long MaxChartBytes = 16 * 1024 * 1024;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var chart = new Argument<FileInfo>("chart") { Description = "The XState JSON file to draw" };
        var format = new Option<string?>("--format", "-f")
        {
            Description = "mermaid (stateDiagram-v2) or svg; default: svg when --output ends in .svg, otherwise mermaid",
        };
        format.AcceptOnlyFromAmong(Mermaid, Svg);
        var file = new Option<FileInfo?>("--output", "-o") { Description = "Write the diagram to this file instead of standard output" };
        var active = new Option<string[]>("--active")
        {
            Description = "Highlight this state (dotted path, e.g. on.audio.paused) in an SVG; may be repeated",
            AllowMultipleArgumentsPerToken = true,
        };

        var command = new Command("diagram", "Draw a statechart as a Mermaid or SVG diagram") { chart, format, file, active };
        command.SetAction(async (parse, cancel) =>
        {
            var request = new DiagramRequest(parse.GetValue(chart)!, parse.GetValue(format), parse.GetValue(file), parse.GetValue(active) ?? []);
            return await RunAsync(request, output, error, cancel);
        });
        return command;
    }

    private sealed record DiagramRequest(FileInfo Chart, string? Format, FileInfo? Output, string[] Active);

    private static async Task<int> RunAsync(DiagramRequest request, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        var format = request.Format ?? (request.Output?.Extension.Equals(".svg", StringComparison.OrdinalIgnoreCase) == true ? Svg : Mermaid);
        if (format == Mermaid && request.Active.Length > 0)
            return Fail(error, "--active highlights states in an SVG; add --format svg");

        var json = await ReadChartAsync(request.Chart, error, cancel);
        if (json is null) return XStateNetTool.Failure;

        Statechart parsed;
        try
        {
            parsed = Statechart.Parse(json);
        }
        catch (StatechartDefinitionException e)
        {
            await error.WriteLineAsync($"{request.Chart.FullName}: {e.Errors.Count} problem{(e.Errors.Count == 1 ? "" : "s")} in the chart:");
            foreach (var problem in e.Errors) await error.WriteLineAsync($"  {problem.JsonPath}: {problem.Message}");
            return XStateNetTool.Failure;
        }

        string diagram;
        try
        {
            diagram = format == Svg ? StatechartDiagram.ToSvg(parsed, request.Active) : StatechartDiagram.ToMermaid(parsed);
        }
        catch (ArgumentException e)
        {
            return Fail(error, $"--active: {e.Message}");
        }

        if (request.Output is null)
        {
            await output.WriteAsync(diagram);
            return XStateNetTool.Success;
        }
        try
        {
            await File.WriteAllTextAsync(request.Output.FullName, diagram, cancel);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(error, $"cannot write '{request.Output.FullName}': {e.Message}");
        }
        return XStateNetTool.Success;
    }

    private static async Task<string?> ReadChartAsync(FileInfo chart, TextWriter error, CancellationToken cancel)
    {
        try
        {
            if (!chart.Exists)
            {
                Fail(error, $"chart file '{chart.FullName}' not found");
                return null;
            }
            if (chart.Length > MaxChartBytes)
            {
                Fail(error, $"chart file '{chart.FullName}' is {chart.Length:N0} bytes; charts up to {MaxChartBytes:N0} bytes are read");
                return null;
            }
            return await File.ReadAllTextAsync(chart.FullName, cancel);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(error, $"cannot read '{chart.FullName}': {e.Message}");
            return null;
        }
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"xstatenet diagram: {message}");
        return XStateNetTool.Failure;
    }
}
