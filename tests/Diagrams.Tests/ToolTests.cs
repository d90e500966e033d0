using System.Xml.Linq;
using XStateNet.Actors.Tool;

namespace XStateNet.Actors.Diagrams.Tests;

/// <summary>The <c>xstatenet</c> tool's entry point, run in-process on good and bad files in a temporary folder.</summary>
public sealed class ToolTests : IDisposable
{
    private const string Door = """
        { "id": "door", "initial": "closed", "states": { "closed": { "on": { "OPEN": "open" } }, "open": { "on": { "CLOSE": "closed" } } } }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("xsn-tool-").FullName;
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private Task<int> Run(params string[] args) => XStateNetTool.RunAsync(args, _output, _error);

    [Fact]
    public async Task Diagram_prints_Mermaid_by_default()
    {
        var code = await Run("diagram", Write("door.json", Door));

        Assert.Equal(XStateNetTool.Success, code);
        Assert.Equal("", _error.ToString());
        Assert.Equal("stateDiagram-v2\n    [*] --> closed\n    closed\n    open\n    closed --> open : OPEN\n    open --> closed : CLOSE\n", _output.ToString());
    }

    [Fact]
    public async Task Diagram_writes_SVG_to_a_file_with_the_active_state_highlighted()
    {
        var target = Path.Combine(_folder, "door.svg");
        var code = await Run("diagram", Write("door.json", Door), "--output", target, "--active", "open");

        Assert.Equal(XStateNetTool.Success, code);
        Assert.Equal("", _output.ToString());
        var svg = XElement.Load(target);
        var open = svg.Descendants().Single(e => e.Attribute("data-path")?.Value == "open");
        Assert.Contains(StatechartDiagram.ActiveStateClass, open.Attribute("class")!.Value);
    }

    [Fact]
    public async Task A_chart_with_definition_errors_lists_every_problem_with_its_JSON_path_and_fails()
    {
        var chart = Write("bad.json", """
            { "id": "m", "initial": "nowhere", "states": { "a": { "on": { "GO": "missing" } }, "b": { "type": "sideways" } } }
            """);

        var code = await Run("diagram", chart);

        Assert.Equal(XStateNetTool.Failure, code);
        Assert.Equal("", _output.ToString());
        var error = _error.ToString();
        Assert.Contains("3 problems", error);
        Assert.Contains("$.initial:", error);
        Assert.Contains("$.states.a.on.GO", error);
        Assert.Contains("$.states.b.type:", error);
    }

    [Fact]
    public async Task Malformed_JSON_names_where_it_breaks()
    {
        var code = await Run("diagram", Write("broken.json", "{ \"states\": { "));

        Assert.Equal(XStateNetTool.Failure, code);
        Assert.Contains("malformed JSON at line 1", _error.ToString());
    }

    [Fact]
    public async Task A_missing_file_an_unknown_format_and_an_unknown_active_state_are_refused_with_a_clear_message()
    {
        var missing = Path.Combine(_folder, "absent.json");
        Assert.Equal(XStateNetTool.Failure, await Run("diagram", missing));
        Assert.Contains($"chart file '{missing}' not found", _error.ToString());

        Assert.NotEqual(XStateNetTool.Success, await Run("diagram", Write("door.json", Door), "--format", "png"));
        Assert.Contains("png", _error.ToString());

        Assert.Equal(XStateNetTool.Failure, await Run("diagram", Write("door.json", Door), "--format", "svg", "--active", "ajar"));
        Assert.Contains("'ajar'", _error.ToString());
    }
}
