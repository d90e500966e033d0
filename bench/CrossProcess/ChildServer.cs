using System.Diagnostics;
using Akka.Actor;

namespace XStateNet.Actors.Bench.CrossProcess;

/// <summary>An echo server started as a child process of this same executable; killed by PID when disposed.</summary>
internal sealed class ChildServer : IDisposable
{
    private readonly Process _process;

    private ChildServer(Process process, Address address)
    {
        _process = process;
        Address = address;
    }

    public Address Address { get; }

    public int ProcessId => _process.Id;

    public static async Task<ChildServer> StartAsync(TransportCase transport, string prefix, TimeSpan readyTimeout)
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
        foreach (var arg in new[] { "--serve", transport.Name, "--prefix", prefix }) start.ArgumentList.Add(arg);

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the echo server.");
        try
        {
            using var timeout = new CancellationTokenSource(readyTimeout);
            var output = new List<string>();
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException(
                        $"The {transport.Name} echo server exited before it was ready:\n{string.Join('\n', output)}\n{await process.StandardError.ReadToEndAsync()}");
                if (line.StartsWith(EchoServer.ReadyPrefix, StringComparison.Ordinal))
                {
                    var address = Address.Parse(line[EchoServer.ReadyPrefix.Length..].Split(' ')[0]);
                    _ = process.StandardOutput.ReadToEndAsync();
                    _ = process.StandardError.ReadToEndAsync();
                    return new ChildServer(process, address);
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
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
