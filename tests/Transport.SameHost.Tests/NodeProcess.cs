using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace XStateNet.Actors.Transport.SameHost.Tests;

/// <summary>
/// The test host (tests/Transport.SameHost.TestHost) as a child process. Its output is read all the time (Akka's log
/// goes there too, and a full pipe would stop the child); disposing kills it by pid if it still runs, and its standard
/// input is ours, so it also exits on its own if the test process dies.
/// </summary>
internal sealed partial class NodeProcess : IDisposable
{
    private const int SigStop = 19;
    private const int SigCont = 18;
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _logs = [];

    private NodeProcess(Process process)
    {
        _process = process;
        _ = Task.Run(async () =>
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("LOG ", StringComparison.Ordinal))
                {
                    lock (_logs) _logs.Add(line[4..]);
                }
                else if (!line.StartsWith('[')) // Akka's own log lines
                {
                    _lines.Writer.TryWrite(line);
                }
            }

            _lines.Writer.TryComplete();
        });
        _ = Task.Run(() => _process.StandardError.ReadToEndAsync());
    }

    public int Pid => _process.Id;

    /// <summary>The address the node printed when it started.</summary>
    public string Address { get; private set; } = "";

    /// <summary>What the node's fast path logged so far.</summary>
    public IReadOnlyList<string> Logs
    {
        get
        {
            lock (_logs) return [.. _logs];
        }
    }

    /// <summary>Starts a node and waits until it is ready.</summary>
    public static async Task<NodeProcess> StartAsync(string directory, string prefix, string system, bool cluster, int port = 0, string? seed = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(HostAssembly());
        // A child killed with SIGKILL cannot remove the runtime's diagnostic pipes in /tmp: children run without them.
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (var arg in new[] { directory, prefix, system, cluster ? "cluster" : "remote", port.ToString() }) info.ArgumentList.Add(arg);
        if (seed is not null) info.ArgumentList.Add(seed);
        var node = new NodeProcess(Process.Start(info) ?? throw new InvalidOperationException("the test host did not start"));
        try
        {
            node.Address = await node.LineAsync("READY ", TimeSpan.FromSeconds(60));
            return node;
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }

    /// <summary>Sends a command and returns the rest of the first answer line starting with one of <paramref name="answers"/>.</summary>
    public async Task<string> AskAsync(string command, TimeSpan timeout, params string[] answers)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        return await LineAsync(answers, timeout);
    }

    /// <summary>Asks the node to ping each address; fails the test with the node's reason if one does not answer.</summary>
    public async Task PingAsync(params string[] addresses)
    {
        var answer = await AskAsync("ping " + string.Join(' ', addresses), TimeSpan.FromSeconds(60), "PONGS ", "FAIL ");
        Assert.True(answer == addresses.Length.ToString(), $"{Address} could not reach {answer}");
    }

    /// <summary>The node's SameHostPaths: address -> (ring, tcp).</summary>
    public async Task<Dictionary<string, (int Ring, int Tcp)>> PathsAsync()
    {
        var answer = await AskAsync("paths", TimeSpan.FromSeconds(30), "PATHS ");
        return answer.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(entry => entry.Split('=')).ToDictionary(
            parts => parts[0], parts =>
            {
                var counts = parts[1].Split('/');
                return (int.Parse(counts[0]), int.Parse(counts[1]));
            });
    }

    public void Pause() => Signal(SigStop);

    public void Resume() => Signal(SigCont);

    /// <summary>kill -9, and wait until the kernel has reaped it.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    private async Task<string> LineAsync(string start, TimeSpan timeout) => await LineAsync([start], timeout);

    private async Task<string> LineAsync(string[] starts, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            string line;
            try
            {
                line = await _lines.Reader.ReadAsync(cancel.Token);
            }
            catch (ChannelClosedException)
            {
                throw new InvalidOperationException($"the test host {Address} exited early");
            }

            foreach (var start in starts)
            {
                if (line.StartsWith(start, StringComparison.Ordinal)) return start is "FAIL " ? line : line[start.Length..];
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                SendSignal(_process.Id, SigCont);
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Signal(int signal)
    {
        if (SendSignal(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
    }

    private static string HostAssembly()
    {
        // bin/<configuration>/<tfm>/ of this test project -> the same folders of the test host project.
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!.Name;
        var tests = tfm.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(tests, "Transport.SameHost.TestHost", "bin", configuration, tfm.Name,
            "XStateNet.Actors.Transport.SameHost.TestHost.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("build the test host first", path);
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);
}
