namespace XStateNet.Actors.Transport.Pipes.Naming;

/// <summary>
/// Holds a port for this process: an exclusive lock on the endpoint's lock file.
/// </summary>
/// <remarks>
/// .NET's pipe server on Unix deletes whatever file is at its path and binds there, even a live listener's socket,
/// so binding cannot tell a free port from a taken one. The lock file can: the lock is exclusive across processes
/// (and across systems in one process), and the kernel drops it when its process dies, even by <c>kill -9</c>.
/// So holding the lock means the port is ours, and any socket file found at the path was left by a dead process
/// and may be replaced. For port 0 the transport tries ports from a random start within the configured range,
/// one after the other, until a lock is free.
/// </remarks>
internal sealed class PortReservation : IDisposable
{
    private readonly FileStream _lock;

    private PortReservation(PipeEndpoint endpoint, int port, FileStream lockFile)
    {
        Endpoint = endpoint;
        Port = port;
        _lock = lockFile;
    }

    public PipeEndpoint Endpoint { get; }

    public int Port { get; }

    /// <summary>Reserves exactly <paramref name="port"/>, or null when another live listener holds it.</summary>
    public static PortReservation? TryReserve(PipeTransportSettings settings, int port)
    {
        var endpoint = PipeEndpoint.For(settings.PipeDirectory, settings.PipeNamePrefix, settings.Hostname, port);
        Directory.CreateDirectory(Path.GetDirectoryName(endpoint.LockPath)!);
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
            };
            if (!OperatingSystem.IsWindows() && settings.CurrentUserOnly)
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            return new PortReservation(endpoint, port, new FileStream(endpoint.LockPath, options));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            // Another user's lock file: that port is theirs.
            return null;
        }
    }

    /// <summary>Reserves a free port in [first, last], starting at a random one and going up (wrapping round).</summary>
    /// <exception cref="IOException">Every port tried was taken.</exception>
    public static PortReservation ReserveFree(PipeTransportSettings settings)
    {
        var first = settings.FreePortMin;
        var count = settings.FreePortMax - first + 1;
        var start = Random.Shared.Next(count);
        var attempts = Math.Min(count, settings.FreePortAttempts);
        for (var i = 0; i < attempts; i++)
        {
            var port = first + (start + i) % count;
            var reservation = TryReserve(settings, port);
            if (reservation is not null) return reservation;
        }

        throw new IOException(
            $"No free pipe port after {attempts} attempts in [{settings.FreePortMin}, {settings.FreePortMax}] under '{settings.PipeDirectory}'.");
    }

    /// <summary>Removes the lock file (while still holding it, so no one else's lock is deleted) and releases the port.</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(Endpoint.LockPath);
        }
        catch (IOException)
        {
            // Best effort: a leftover lock file is harmless, the next owner locks it again.
        }
        catch (UnauthorizedAccessException)
        {
        }

        _lock.Dispose();
    }
}
