using System.Diagnostics;

namespace XStateNet.Actors.Transport.Pipes.Tests.Support;

/// <summary>
/// A client of a node's pipe in a process of its own (perl, which every Linux host has and every user may run): the
/// kernel then names another process, or another user, at the other end of the socket.
/// </summary>
/// <remarks>
/// It connects, reads the node's hello, writes the given bytes (with its own pid put into a hello's pid field when
/// asked), then: <c>eof</c> reads until the node closes and prints "closed"; <c>linger</c> closes its end and sleeps
/// until killed; <c>hold</c> keeps the connection open until killed. It prints "connected", "hello", "sent" on the way.
/// </remarks>
internal sealed class PerlPeer : IAsyncDisposable
{
    private const string Script = """
        use strict; use warnings; use IO::Socket::UNIX; use Socket;
        $| = 1;
        my ($path, $hex, $ownpid, $then) = @ARGV;
        my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $path) or do { print "connect-failed: $!\n"; exit 2 };
        print "connected\n";
        local $SIG{ALRM} = sub { print "timeout\n"; exit 3 };
        alarm 20;
        my $header = ''; while (length($header) < 5) { my $n = sysread($s, $header, 5 - length($header), length($header)); last if !$n; }
        if (length($header) == 5) {
          my $len = unpack('V', $header); my $body = '';
          while (length($body) < $len) { my $n = sysread($s, $body, $len - length($body), length($body)); last if !$n; }
          print "hello\n";
        } else { print "no-hello\n"; }
        my $bytes = pack('H*', $hex);
        substr($bytes, 10, 4) = pack('V', $$) if $ownpid eq 'own' && length($bytes) >= 14;
        syswrite($s, $bytes) if length($bytes);
        print "sent\n";
        if ($then eq 'eof') { my $buf; while (1) { my $n = sysread($s, $buf, 4096); last if !$n; } print "closed\n"; exit 0; }
        if ($then eq 'linger') { close($s); alarm 0; sleep 60; exit 0; }
        alarm 0; sleep 60;
        """;

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _lineArrived = new(0);

    private PerlPeer(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_lines) _lines.Add(e.Data);
            _lineArrived.Release();
        };
        _process.BeginOutputReadLine();
    }

    public int ProcessId => _process.Id;

    /// <summary>Starts the client; <paramref name="asUser"/> runs it as that uid and gid (setpriv, needs root).</summary>
    public static PerlPeer Start(string socketPath, byte[] send, bool putOwnPid, string then, int? asUser = null)
    {
        var info = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = false };
        if (asUser is { } uid)
        {
            info.FileName = "setpriv";
            foreach (var arg in new[] { $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "/usr/bin/perl" }) info.ArgumentList.Add(arg);
        }
        else
        {
            info.FileName = "/usr/bin/perl";
        }

        foreach (var arg in new[] { "-e", Script, socketPath, Convert.ToHexString(send), putOwnPid ? "own" : "keep", then })
            info.ArgumentList.Add(arg);
        return new PerlPeer(Process.Start(info)!);
    }

    /// <summary>Waits for the line <paramref name="expected"/>; fails with everything printed so far when it does not come.</summary>
    public async Task ExpectAsync(string expected, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            lock (_lines)
            {
                if (_lines.Contains(expected)) return;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _lineArrived.WaitAsync(left))
            {
                lock (_lines) Assert.Fail($"the perl client did not print '{expected}'; it printed: {string.Join(" | ", _lines)}");
            }
        }
    }

    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
