using XStateNet.Actors.Tests.Shared;

namespace XStateNet.Actors.Transport.SameHost.Tests;

/// <summary>
/// The test host (tests/Transport.SameHost.TestHost) as a child process. Its output is read all the time (Akka's log
/// goes there too, and a full pipe would stop the child); disposing kills it by pid if it still runs, and its standard
/// input is ours, so it also exits on its own if the test process dies.
/// </summary>
internal sealed class NodeProcess : IDisposable
{
    private readonly TestHostProcess _host;
    private readonly List<string> _logs = [];
    private readonly List<string> _akkaLog = [];

    private NodeProcess(string hostProject, IEnumerable<string> arguments) =>
        _host = TestHostProcess.Start(hostProject, arguments, Aside);

    public int Pid => _host.Pid;

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

    /// <summary>Akka's own log lines (timestamped), for a test to print what the cluster did.</summary>
    public IReadOnlyList<string> AkkaLog
    {
        get
        {
            lock (_akkaLog) return [.. _akkaLog];
        }
    }

    /// <summary>Starts a node and waits until it is ready.</summary>
    public static async Task<NodeProcess> StartAsync(string directory, string prefix, string system, bool cluster, int port = 0, string? seed = null)
    {
        List<string> arguments = [directory, prefix, system, cluster ? "cluster" : "remote", port.ToString()];
        if (seed is not null) arguments.Add(seed);
        var node = new NodeProcess("Transport.SameHost.TestHost", arguments);
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

    /// <summary>
    /// Sends a command and returns the rest of the first answer line starting with one of <paramref name="answers"/>
    /// (a "FAIL " line whole).
    /// </summary>
    public async Task<string> AskAsync(string command, TimeSpan timeout, params string[] answers)
    {
        _host.Command(command);
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

    public void Pause() => _host.Pause();

    public void Resume() => _host.Resume();

    /// <summary>kill -9, and wait until the kernel has reaped it.</summary>
    public void Kill() => _host.Kill();

    private async Task<string> LineAsync(string start, TimeSpan timeout) => await LineAsync([start], timeout);

    private async Task<string> LineAsync(string[] starts, TimeSpan timeout)
    {
        var (start, rest) = await _host.LineAsync(timeout, starts);
        return start is "FAIL " ? start + rest : rest;
    }

    /// <summary>The fast path's log lines and Akka's own go to their lists, not to the answers.</summary>
    private bool Aside(string line)
    {
        if (line.StartsWith("LOG ", StringComparison.Ordinal))
        {
            lock (_logs) _logs.Add(line[4..]);
            return true;
        }

        if (line.StartsWith('[')) // Akka's own log lines
        {
            lock (_akkaLog) _akkaLog.Add(line);
            return true;
        }

        return false;
    }

    public void Dispose() => _host.Dispose();
}
