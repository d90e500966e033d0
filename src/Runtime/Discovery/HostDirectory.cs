using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote;
using XStateNet.Actors.Transport;

namespace XStateNet.Actors.Discovery;

/// <summary>
/// The host directory (<c>xstatenet.directory</c>): which process on this host runs which machine id, so that
/// machines find each other by id with no routes. Every node with the pipe or shm transport publishes its machine
/// ids with its addresses, pid and process start in a file of its own (see <see cref="DirectoryFolder"/>), and keeps
/// the file's time fresh as its heartbeat. A send to an id with no route and no local machine looks it up here,
/// once: the actor found is watched, so steady-state sends never read the directory.
/// </summary>
/// <remarks>
/// <para>A node is live while its pid runs with the recorded start time (a reused pid is someone else) and, for
/// lookups, its heartbeat is younger than <c>stale-after</c> (a frozen process is not chosen). Files of dead
/// processes, corrupt or foreign files, and temporary files of killed writers are removed by the next writer; a
/// corrupt file is reported once and never stops a node.</para>
/// <para>Ids are unique on the host: spawning an id a live process runs fails with <see cref="MachineIdTakenException"/>
/// naming it, unless the id is in <c>movable-ids</c>; then both may list it and lookups pick the newest claim.</para>
/// <para>What it is not: it sees one host and one user (the folder is owner-only); across hosts, use routes or a cluster.</para>
/// </remarks>
internal sealed class HostDirectory : IExtension, IDisposable
{
    /// <summary>Temporary files younger than this may belong to a writer at work.</summary>
    private static readonly TimeSpan TempGrace = TimeSpan.FromMinutes(1);

    private readonly ExtendedActorSystem _system;
    private readonly ILoggingAdapter _log;
    private readonly DirectorySettings _settings;
    private readonly object _gate = new();
    private readonly Dictionary<string, MachineRecord> _published = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _reported = new(StringComparer.Ordinal);
    private readonly DirectoryFolder? _folder;
    private readonly ConfigurationException? _problem;
    private readonly string _ownFile = "";
    private readonly IReadOnlyList<string> _addresses = [];
    private readonly int _pid = Environment.ProcessId;
    private readonly long _processStart;
    private Timer? _heartbeat;
    private bool _closed;
    private bool _announced; // listed with no published machine: it hosts unpublished ones (Announce)

    public HostDirectory(ExtendedActorSystem system)
    {
        _system = system;
        _log = Logging.GetLogger(system, typeof(HostDirectory));
        _settings = DirectorySettings.Of(system);
        _processStart = ProcessStart.Of(_pid) ?? 0;
        if (!_settings.Enabled) return;
        _addresses = system.Provider is IRemoteActorRefProvider { Transport: { } transport }
            ? transport.Addresses.Select(address => address.ToString()).ToList()
            : [];
        try
        {
            _folder = DirectoryFolder.Open(_settings.Path);
            _ownFile = _folder.NodeFile(_pid, system.Provider.DefaultAddress.ToString());
        }
        catch (ConfigurationException e)
        {
            // Lookups go on without the directory; spawning a machine fails with this error (it could not be published).
            _problem = e;
            _log.Error("{0}", e.Message);
        }
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "xstatenet-directory-leave", () =>
        {
            Dispose();
            return Task.FromResult(Akka.Done.Instance);
        });
        system.RegisterOnTermination(Dispose);
    }

    /// <summary>Whether this node uses the directory (<c>xstatenet.directory.enabled</c>).</summary>
    public bool Enabled => _settings.Enabled;

    /// <summary>The folder (<c>xstatenet.directory.path</c> or its default).</summary>
    public string Path => _settings.Path;

    /// <summary>This node's own file.</summary>
    public string OwnFile => _ownFile;

    /// <summary>The directory of <paramref name="system"/>.</summary>
    /// <exception cref="ConfigurationException">A setting of <c>xstatenet.directory</c> is invalid; the message names its key.</exception>
    public static HostDirectory For(ActorSystem system) => Configuration.ConfiguredExtension.Get<HostDirectory, HostDirectoryProvider>(system);

    /// <summary>
    /// Publishes <paramref name="machineId"/> as running on this node, first checking under the directory's lock
    /// that no other live process runs it.
    /// </summary>
    /// <returns>True when this call published it; false when the directory is off or this node already publishes it.</returns>
    /// <exception cref="MachineIdTakenException">Another live process runs the id and it is not movable.</exception>
    /// <exception cref="ConfigurationException">The directory's folder is unusable.</exception>
    /// <exception cref="InvalidOperationException">This node already publishes <c>max-machines</c> ids.</exception>
    public bool Claim(string machineId, string actorPath)
    {
        if (!Enabled) return false;
        if (_problem is not null) throw new ConfigurationException($"machine '{machineId}' cannot be published in the host directory: {_problem.Message}", _problem);
        lock (_gate)
        {
            if (_closed || _published.ContainsKey(machineId)) return false;
            if (_published.Count >= _settings.MaxMachines)
                throw new InvalidOperationException($"machine '{machineId}': this node already publishes {_published.Count} machines, the most {DirectorySettings.Section}.max-machines allows");
            using (_folder!.Lock(_settings.LockTimeout))
            {
                var others = ReadOthers(reclaim: true);
                if (!_settings.IsMovable(machineId))
                {
                    foreach (var (record, _) in others)
                    {
                        if (record.Machines.Any(machine => machine.Id == machineId) && IsRunning(record))
                            throw new MachineIdTakenException(machineId, record.Describe(), record.Pid);
                    }
                }
                _published[machineId] = new MachineRecord(machineId, actorPath, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                WriteOwn();
                return true;
            }
        }
    }

    /// <summary>
    /// Lists this node in the directory even while it publishes no machine id: it hosts machines that are not
    /// published (sharded entities, whose ids move with the cluster), and tools such as <c>xstatenet inspect</c>
    /// find it here and ask it for them. Once per node; never throws (a failure is reported once).
    /// </summary>
    public void Announce()
    {
        if (!Enabled || _folder is null || Volatile.Read(ref _announced)) return;
        lock (_gate)
        {
            if (_closed || _announced) return;
            _announced = true;
            try
            {
                WriteOwn();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                ReportOnce("announce:" + e.Message, $"Host directory: could not list this node in {_ownFile}: {e.Message}");
            }
        }
    }

    /// <summary>Withdraws <paramref name="machineId"/> (its machine stopped). Never throws: a failure is logged.</summary>
    public void Release(string machineId)
    {
        if (!Enabled || _folder is null) return;
        lock (_gate)
        {
            if (_closed || !_published.Remove(machineId)) return;
            try
            {
                WriteOwn();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Warning("Host directory: could not withdraw '{0}' from {1}: {2}", machineId, _ownFile, e.Message);
            }
        }
    }

    /// <summary>
    /// Where a live node other than this one runs <paramref name="machineId"/>, reachable by a transport of this node;
    /// null when none does. Never throws: unreadable files are reported and skipped.
    /// </summary>
    public DirectoryListing? Find(string machineId, Func<Address, bool> reachable)
    {
        if (!Enabled || _folder is null) return null;
        DirectoryListing? best = null;
        var bestSince = long.MinValue;
        List<(NodeRecord Record, DateTime Heartbeat)> records;
        try
        {
            records = ReadOthers(reclaim: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ReportOnce("list:" + e.Message, $"Host directory {_settings.Path} cannot be read: {e.Message}");
            return null;
        }
        foreach (var (record, heartbeat) in records)
        {
            var claim = record.Machines.FirstOrDefault(machine => machine.Id == machineId);
            if (claim is null || claim.Since <= bestSince) continue;
            if (DateTime.UtcNow - heartbeat > _settings.StaleAfter || !IsRunning(record)) continue;
            foreach (var text in record.Addresses)
            {
                if (!ActorPath.TryParseAddress(text, out var address) || !reachable(address) || address == _system.Provider.DefaultAddress) continue;
                if (!ActorPath.TryParse(address + claim.Path, out var path)) break;
                best = new DirectoryListing(path, record.Describe());
                bestSince = claim.Since;
                break;
            }
        }
        return best;
    }

    /// <summary>
    /// Every live node of the host other than this one, with the machines it publishes (for the inspector): its
    /// process runs with the recorded start and its heartbeat is younger than <c>stale-after</c>. Unreadable files are
    /// reported once and skipped; nothing is removed (a reader does not clean up).
    /// </summary>
    /// <exception cref="ConfigurationException">The directory is off on this node, or its folder is unusable; the message names the setting.</exception>
    public IReadOnlyList<NodeRecord> LiveNodes()
    {
        if (!Enabled) throw new ConfigurationException($"{DirectorySettings.Section}.enabled is off on this node (or auto on a node without the pipe or shm transport): it cannot list the host's nodes");
        if (_problem is not null) throw _problem;
        List<(NodeRecord Record, DateTime Heartbeat)> records;
        try
        {
            records = ReadOthers(reclaim: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{DirectorySettings.Section}.path = \"{_settings.Path}\" cannot be read: {e.Message}", e);
        }
        return records
            .Where(r => DateTime.UtcNow - r.Heartbeat <= _settings.StaleAfter && IsRunning(r.Record))
            .Select(r => r.Record)
            .OrderBy(r => r.Pid)
            .ToList();
    }

    /// <summary>Leaves the directory: removes this node's file and stops its heartbeat.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            _heartbeat?.Dispose();
            _heartbeat = null;
            if (_folder is not null) DirectoryFolder.TryDelete(_ownFile);
            _published.Clear();
        }
    }

    /// <summary>The process that wrote <paramref name="record"/> still runs (same pid, same start).</summary>
    private static bool IsRunning(NodeRecord record) =>
        ProcessLiveness.IsRunning(record.Pid) && ProcessStart.Of(record.Pid) == record.ProcessStart;

    private void WriteOwn()
    {
        var record = new NodeRecord(_pid, _processStart, _addresses, _published.Values.ToList());
        _folder!.WriteAtomically(_ownFile, NodeFileFormat.Write(record));
        _heartbeat ??= new Timer(_ => Beat(), null, _settings.HeartbeatInterval, _settings.HeartbeatInterval);
    }

    /// <summary>The heartbeat: a fresh file time; the file is written again if someone removed it.</summary>
    private void Beat()
    {
        lock (_gate)
        {
            if (_closed || (_published.Count == 0 && !_announced) || DirectoryFolder.Touch(_ownFile)) return;
            try
            {
                WriteOwn();
                _log.Warning("Host directory: {0} had been removed; wrote it again", _ownFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                ReportOnce("beat:" + e.Message, $"Host directory: could not write {_ownFile}: {e.Message}");
            }
        }
    }

    /// <summary>
    /// The other nodes' records with their heartbeats. With <paramref name="reclaim"/> (a writer, holding the lock),
    /// files of dead processes, corrupt or foreign files and old temporary files are removed.
    /// </summary>
    private List<(NodeRecord Record, DateTime Heartbeat)> ReadOthers(bool reclaim)
    {
        var records = new List<(NodeRecord, DateTime)>();
        var files = _folder!.NodeFiles(_settings.MaxNodes, out var truncated);
        if (truncated)
            ReportOnce("truncated", $"Host directory {_settings.Path} holds more than {_settings.MaxNodes} node files ({DirectorySettings.Section}.max-nodes); the rest are not read");
        foreach (var file in files)
        {
            if (file == _ownFile) continue;
            NodeRecord record;
            DateTime heartbeat;
            try
            {
                heartbeat = File.GetLastWriteTimeUtc(file);
                record = NodeFileFormat.Read(DirectoryFolder.ReadBounded(file, _settings.MaxFileSize), _settings.MaxMachines);
            }
            catch (FileNotFoundException)
            {
                continue; // its node just left
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                if (reclaim)
                {
                    DirectoryFolder.TryDelete(file);
                    _log.Warning("Host directory: removed {0}, which is not a node file of this format: {1}", file, e.Message);
                }
                else ReportOnce(file + File.GetLastWriteTimeUtc(file).Ticks, $"Host directory: ignoring {file}, which is not a node file of this format: {e.Message} (the next node to write removes it)");
                continue;
            }
            if (reclaim && !IsRunning(record))
            {
                DirectoryFolder.TryDelete(file);
                _log.Info("Host directory: removed the entry of {0}, whose process is gone", record.Describe());
                continue;
            }
            records.Add((record, heartbeat));
        }
        if (reclaim)
        {
            foreach (var temp in _folder.StaleTempFiles(TempGrace)) DirectoryFolder.TryDelete(temp);
        }
        return records;
    }

    private void ReportOnce(string key, string message)
    {
        if (_reported.Count < 1024 && _reported.TryAdd(key, 0)) _log.Warning("{0}", message);
    }
}

/// <summary>Creates the <see cref="HostDirectory"/> extension.</summary>
internal sealed class HostDirectoryProvider : ExtensionIdProvider<HostDirectory>
{
    public override HostDirectory CreateExtension(ExtendedActorSystem system) => new(system);
}
