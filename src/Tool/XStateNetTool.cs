using System.CommandLine;

namespace XStateNet.Actors.Tool;

/// <summary>The <c>xstatenet</c> command line: its commands, run against the writers given (so tests run it in-process).</summary>
public static class XStateNetTool
{
    /// <summary>Exit code of a command that succeeded.</summary>
    public const int Success = 0;

    /// <summary>Exit code when the input is at fault: a chart with definition errors, a file that cannot be read.</summary>
    public const int Failure = 1;

    /// <summary>Parses <paramref name="args"/> and runs the command they name.</summary>
    /// <returns>The process exit code: <see cref="Success"/>, <see cref="Failure"/>, or System.CommandLine's code for bad usage.</returns>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var root = new RootCommand("XStateNet.Actors tools: draw statecharts, inspect the machines of this host.")
        {
            DiagramCommand.Create(output, error),
            InspectCommand.Create(output, error),
        };
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }
}
