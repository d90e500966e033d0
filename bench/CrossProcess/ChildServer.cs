using System.Threading.Channels;
using Akka.Actor;
using XStateNet.Actors.Processes;

namespace XStateNet.Actors.Bench.CrossProcess;

/// <summary>
/// A node started as a child process of this same executable (an echo server, or a soak node) by the repository's one
/// child-process host; killed by PID when disposed. It prints <c>READY address pid</c> once listening.
/// </summary>
internal sealed class ChildServer : IDisposable
{
    private readonly ChildProcess _process;
    private readonly Channel<string>? _lines;

    private ChildServer(ChildProcess process, Address address, Channel<string>? lines)
    {
        _process = process;
        Address = address;
        _lines = lines;
    }

    public Address Address { get; }

    public int ProcessId => _process.Pid;

    /// <summary>Sends one line to the child's standard input.</summary>
    public async Task SendAsync(string line)
    {
        await _process.Input.WriteLineAsync(line);
        await _process.Input.FlushAsync();
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
    /// <param name="keepOutput">Keep the lines printed after READY for <see cref="ReadLineAsync"/> (else they are dropped).</param>
    /// <param name="logPath">Where the child's output lines go besides (its log), or null.</param>
    public static async Task<ChildServer> StartAsync(string[] args, string description, TimeSpan readyTimeout, bool keepOutput,
        string? logPath = null)
    {
        var log = logPath is null ? null : TextWriter.Synchronized(new StreamWriter(logPath, append: true) { AutoFlush = true });
        // Every line until READY (for the error when it never comes), then only the kept ones.
        var lines = Channel.CreateUnbounded<string>();
        var ready = false;
        var errors = new List<string>();
        // Diagnostics stay on, so that dotnet-trace can attach to a child while it runs; the host removes what a killed
        // child's runtime leaves in the temp folder.
        var process = ChildProcess.Start(ChildCommand.Self(typeof(ChildServer).Assembly, args, diagnostics: true),
            line =>
            {
                log?.WriteLine(line);
                if (!Volatile.Read(ref ready) || keepOutput) lines.Writer.TryWrite(line);
            },
            line =>
            {
                log?.WriteLine(line);
                if (!Volatile.Read(ref ready)) lock (errors) errors.Add(line);
            });
        _ = process.Exited.ContinueWith(_ => lines.Writer.TryComplete(), TaskScheduler.Default);
        try
        {
            using var timeout = new CancellationTokenSource(readyTimeout);
            var output = new List<string>();
            while (await lines.Reader.WaitToReadAsync(timeout.Token))
            {
                var line = await lines.Reader.ReadAsync(timeout.Token);
                if (line.StartsWith(EchoServer.ReadyPrefix, StringComparison.Ordinal))
                {
                    Volatile.Write(ref ready, true);
                    if (!keepOutput) while (lines.Reader.TryRead(out _)) { } // printed with READY's, not kept
                    return new ChildServer(process, Address.Parse(line[EchoServer.ReadyPrefix.Length..].Split(' ')[0]), keepOutput ? lines : null);
                }
                output.Add(line);
            }
            string stderr;
            lock (errors) stderr = string.Join('\n', errors);
            throw new InvalidOperationException($"The {description} exited before it was ready:\n{string.Join('\n', output)}\n{stderr}");
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL, as <c>kill -9</c>: no goodbye, no cleanup in the child (the host removes its runtime's files once it is reaped).</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
    }

    /// <summary>Closes the child's input (it shuts down cleanly), and kills it by PID if it lingers.</summary>
    public void Dispose()
    {
        _process.StopAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        _process.Dispose();
    }
}
