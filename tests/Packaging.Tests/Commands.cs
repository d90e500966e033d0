using System.Diagnostics;
using System.Text;

namespace XStateNet.Actors.Packaging.Tests;

/// <summary>Runs the dotnet CLI as a user would, and fails with everything it printed when it fails.</summary>
internal static class Commands
{
    public static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, string directory, TimeSpan limit)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        var all = new StringBuilder().Append(await stdout).Append(await stderr).ToString();
        if (!process.HasExited || process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{file} {string.Join(' ', arguments)}' failed (exit {(process.HasExited ? process.ExitCode : -1)}). Its output:\n{all}");
        }
        return all;
    }
}
