using XStateNet.Actors.Tests.Shared;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>
/// The test host (tests/Transport.SharedMemory.TestHost) running as a child process. Disposing kills it by pid if it
/// still runs; its standard input is ours, so it also exits on its own if the test process dies.
/// </summary>
internal sealed class PeerProcess : IDisposable
{
    private readonly TestHostProcess _host;

    private PeerProcess(TestHostProcess host) => _host = host;

    public int Pid => _host.Pid;

    /// <param name="directory">The control socket directory.</param>
    /// <param name="system">The child's actor system name.</param>
    /// <param name="filePrefix">The child's akka.remote.shm.file-prefix, or null for the default.</param>
    public static PeerProcess Start(string directory, string system, string? filePrefix = null)
    {
        string[] arguments = filePrefix is null ? [directory, system] : [directory, system, filePrefix];
        return new PeerProcess(TestHostProcess.Start("Transport.SharedMemory.TestHost", arguments));
    }

    /// <summary>Waits for the host's "READY &lt;address&gt;" line and returns the address.</summary>
    public Task<string> ReadyAsync(TimeSpan timeout) => LineAsync("READY ", timeout);

    /// <summary>Sends a command line to the host (see its Program.cs).</summary>
    public void Command(string line) => _host.Command(line);

    /// <summary>Waits for the host's next line starting with <paramref name="start"/> and returns the rest of it.</summary>
    public async Task<string> LineAsync(string start, TimeSpan timeout) => (await _host.LineAsync(timeout, start)).After;

    public void Pause() => _host.Pause();

    public void Resume() => _host.Resume();

    /// <summary>kill -9.</summary>
    public void Kill() => _host.Kill();

    public void Dispose() => _host.Dispose();
}
