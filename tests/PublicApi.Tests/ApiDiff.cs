using System.Text;
using DiffPlex;
using DiffPlex.Model;

namespace XStateNet.Actors.PublicApi.Tests;

/// <summary>A unified-style diff of two API texts: each changed run with a few lines of context.</summary>
internal static class ApiDiff
{
    private const int Context = 2;

    public static string Describe(string approved, string current)
    {
        var result = Differ.Instance.CreateLineDiffs(approved, current, ignoreWhitespace: false);
        var oldLines = result.PiecesOld;
        var newLines = result.PiecesNew;
        var text = new StringBuilder();
        foreach (var block in result.DiffBlocks)
        {
            text.Append($"@@ approved line {block.DeleteStartA + 1}, current line {block.InsertStartB + 1} @@\n");
            for (var i = Math.Max(0, block.DeleteStartA - Context); i < block.DeleteStartA; i++) text.Append("  ").Append(oldLines[i]).Append('\n');
            for (var i = 0; i < block.DeleteCountA; i++) text.Append("- ").Append(oldLines[block.DeleteStartA + i]).Append('\n');
            for (var i = 0; i < block.InsertCountB; i++) text.Append("+ ").Append(newLines[block.InsertStartB + i]).Append('\n');
            var after = block.DeleteStartA + block.DeleteCountA;
            for (var i = after; i < Math.Min(oldLines.Count, after + Context); i++) text.Append("  ").Append(oldLines[i]).Append('\n');
        }
        return text.ToString();
    }
}
