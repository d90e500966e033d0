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

    /// <summary>
    /// Checks that the pipe directory exists and that this user can create files in it, before any port is tried: a
    /// missing or read-only directory would otherwise look like every port being taken.
    /// </summary>
    /// <exception cref="Akka.Configuration.ConfigurationException">It does not, naming <c>directory</c> and the directory.</exception>
    public static void CheckDirectory(PipeTransportSettings settings)
    {
        var key = PipeTransportSettings.Section + ".directory";
        var directory = DirectoryOf(settings);
        if (!Directory.Exists(directory))
            throw new Akka.Configuration.ConfigurationException(
                $"{key}: the directory '{directory}' does not exist. It is not created: create it (only this user needs access) " +
                "or leave the setting empty for the temporary directory.");

        var probe = Path.Combine(directory, $".{settings.FilePrefix}-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose).Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Akka.Configuration.ConfigurationException(
                $"{key}: this user (uid {PeerCredentials.CurrentUserId}) cannot create files in '{directory}': {e.Message}", e);
        }
    }

    /// <summary>
    /// Reserves exactly <paramref name="port"/>, or null when another live listener holds it.
    /// </summary>
    /// <exception cref="PipeFileInTheWayException">A file that is not ours (a FIFO, a directory, another user's socket)
    /// sits where the port's lock file or socket belongs: it is left alone.</exception>
    public static PortReservation? TryReserve(PipeTransportSettings settings, int port)
    {
        var endpoint = PipeEndpoint.For(settings.Directory, settings.FilePrefix, settings.Hostname, port);
        // Opening a FIFO could block and locking a directory fails oddly: look before opening.
        var (lockKind, _) = PipeFile.Inspect(endpoint.LockPath);
        if (lockKind is not (PipeFileKind.Missing or PipeFileKind.Regular))
            throw new PipeFileInTheWayException(endpoint.LockPath, lockKind, null);

        PortReservation reservation;
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
            };
            if (!OperatingSystem.IsWindows() && settings.OwnerOnly)
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            reservation = new PortReservation(endpoint, port, new FileStream(endpoint.LockPath, options));
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

        // The lock is ours, so a socket of ours at the path was left by a dead process and is replaced on binding;
        // anything else there is someone else's, and binding would delete it (or fail).
        if (endpoint.SocketPath is not null)
        {
            (PipeFileKind Kind, uint? Owner) socket;
            try
            {
                socket = PipeFile.Inspect(endpoint.SocketPath);
            }
            catch
            {
                reservation.Dispose();
                throw;
            }

            var ours = socket.Kind == PipeFileKind.Missing ||
                       (socket.Kind == PipeFileKind.Socket && (socket.Owner is null || socket.Owner == PeerCredentials.CurrentUserId));
            if (!ours)
            {
                reservation.Dispose();
                throw new PipeFileInTheWayException(endpoint.SocketPath, socket.Kind, socket.Owner);
            }
        }

        return reservation;
    }

    /// <summary>
    /// Reserves a free port in [first, last], starting at a random one and going up (wrapping round). A port with a
    /// file in the way that is not ours is skipped and told to <paramref name="skipped"/> (one line each).
    /// </summary>
    /// <exception cref="IOException">Every port tried was taken.</exception>
    public static PortReservation ReserveFree(PipeTransportSettings settings, Action<string>? skipped = null)
    {
        foreach (var port in settings.FreePortCandidates())
        {
            try
            {
                var reservation = TryReserve(settings, port);
                if (reservation is not null) return reservation;
            }
            catch (PipeFileInTheWayException e)
            {
                skipped?.Invoke($"Skipping pipe port {port}: {e.Message}");
            }
        }

        throw new IOException(
            $"No free pipe port after {settings.FreePortRange} under '{DirectoryOf(settings)}'.");
    }

    private static string DirectoryOf(PipeTransportSettings settings) =>
        Path.GetFullPath(string.IsNullOrEmpty(settings.Directory) ? Path.GetTempPath() : settings.Directory);

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
