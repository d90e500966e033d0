using System.Diagnostics;
using Akka.Actor;

namespace XStateNet.Actors.Bench.CrossProcess;

/// <summary>
/// A node started as a child process of this same executable (an echo server, or a soak node); killed by PID when
/// disposed. It prints <c>READY address pid</c> once listening.
/// </summary>
internal sealed class ChildServer : IDisposable
{
    private readonly Process _process;
    private readonly System.Threading.Channels.Channel<string>? _lines;

    private ChildServer(Process process, Address address, System.Threading.Channels.Channel<string>? lines)
    {
        _process = process;
        Address = address;
        _lines = lines;
    }

    public Address Address { get; }

    public int ProcessId => _process.Id;

    /// <summary>Sends one line to the child's standard input.</summary>
    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The next line the child printed that starts with <paramref name="prefix"/> (others are skipped).</summary>
    public async Task<string> ReadLineAsync(string prefix, TimeSpan timeout)
    {
        if (_lines is null) throw new InvalidOperationException("This child's output is not kept.");
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var line = await _lines.Reader.ReadAsync(cancel.Token);
            if (line.StartsWith(prefix, StringComparison.Ordinal)) return line[prefix.Length..];
        }
    }

    public static Task<ChildServer> StartAsync(TransportCase transport, string prefix, TimeSpan readyTimeout) =>
        StartAsync(["--serve", transport.Name, "--prefix", prefix], transport.Name + " echo server", readyTimeout, keepOutput: false);

    /// <param name="args">The child's arguments (its role first).</param>
    /// <param name="description">What the child is, for errors.</param>
    /// <param name="readyTimeout">How long it may take to print READY.</param>
    /// <param name="keepOutput">Keep the lines printed after READY for <see cref="ReadLineAsync"/> (else they are drained).</param>
    /// <param name="logPath">Where the child's output lines go besides (its log), or null.</param>
    public static async Task<ChildServer> StartAsync(string[] args, string description, TimeSpan readyTimeout, bool keepOutput,
        string? logPath = null)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Under "dotnet run" or "dotnet x.dll" the process is the host: run our assembly through it.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(ChildServer).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the {description}.");
        try
        {
            using var timeout = new CancellationTokenSource(readyTimeout);
            var output = new List<string>();
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException(
                        $"The {description} exited before it was ready:\n{string.Join('\n', output)}\n{await process.StandardError.ReadToEndAsync()}");
                if (line.StartsWith(EchoServer.ReadyPrefix, StringComparison.Ordinal))
                {
                    var address = Address.Parse(line[EchoServer.ReadyPrefix.Length..].Split(' ')[0]);
                    var lines = keepOutput ? System.Threading.Channels.Channel.CreateUnbounded<string>() : null;
                    var log = logPath is null ? null : TextWriter.Synchronized(new StreamWriter(logPath, append: true) { AutoFlush = true });
                    _ = lines is null ? process.StandardOutput.ReadToEndAsync() : CopyLinesAsync(process.StandardOutput, lines, log);
                    _ = log is null ? process.StandardError.ReadToEndAsync() : CopyLinesAsync(process.StandardError, null, log);
                    return new ChildServer(process, address, lines);
                }

                output.Add(line);
            }
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    private static async Task CopyLinesAsync(StreamReader output, System.Threading.Channels.Channel<string>? lines, TextWriter? log)
    {
        while (await output.ReadLineAsync() is { } line)
        {
            lines?.Writer.TryWrite(line);
            log?.WriteLine(line);
        }

        lines?.Writer.TryComplete();
    }

    /// <summary>SIGKILL, as <c>kill -9</c>: no goodbye, no cleanup in the child.</summary>
    public void KillHard() => Kill(_process);

    /// <summary>Closes the child's input (it shuts down cleanly), and kills it by PID if it lingers.</summary>
    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000)) Kill(_process);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            var pid = process.Id;
            if (process.HasExited) return;
            process.Kill(entireProcessTree: true);
            if (process.WaitForExit(5000)) RemoveDiagnosticFiles(pid);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>
    /// The .NET runtime's diagnostic pipes and socket of a child killed with SIGKILL: it removes them itself when it exits,
    /// but a killed process cannot (<c>clr-debug-pipe-&lt;pid&gt;-*</c>, <c>dotnet-diagnostic-&lt;pid&gt;-*</c> in the
    /// temp folder). The children keep diagnostics on, so that dotnet-trace can attach to them while they run.
    /// </summary>
    private static void RemoveDiagnosticFiles(int pid)
    {
        foreach (var pattern in new[] { $"clr-debug-pipe-{pid}-*", $"dotnet-diagnostic-{pid}-*" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.GetTempPath(), pattern))
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
