using Akka.Actor;
using Akka.Event;
using XStateNet.Actors.TestKit;

namespace XStateNet.Actors.Sharding.Tests.MultiProcess;

/// <summary>
/// Three cluster nodes (<c>a</c>, <c>b</c>, <c>c</c>), each a child process hosting shards of the counter machines,
/// all persisting to one SQLite file (SQLite locks it per write; a file shared on one host is the simplest store that
/// outlives a killed node), through a journal of the spec's own on <c>akka.persistence.journal.sql</c> (the TestKit's
/// children take no actor-system setup, which the runtime's SQLite store needs for its connection settings). Downing:
/// Akka's split-brain resolver, keep-majority, 5 s stable: the two survivors down a killed node on their own (over the
/// same-host fast path its verdict that the process is gone downs it first).
/// Each spec adds the run's own settings with <see cref="RunHocon"/>: the SQLite file, the seed nodes, and for the
/// same-host fast path its transport class and control-socket directory.
/// </summary>
public sealed class ShardedCounterRoles : MultiNodeConfig
{
    /// <summary>The roles.</summary>
    public static readonly string[] Nodes = ["a", "b", "c"];

    /// <summary>
    /// Fewer shards than the default 100: the coordinator records each shard's home in distributed data, one write
    /// at a time, so the first events to 100 shards on a loaded 2-core machine wait seconds for their homes.
    /// </summary>
    private const int Shards = 30;

    public ShardedCounterRoles()
    {
        SystemName = "Orders"; // a cluster's members share one actor system name
        CommonConfig("""
            akka.loglevel = WARNING
            akka.actor.provider = cluster
            akka.cluster.downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            akka.cluster.split-brain-resolver { active-strategy = keep-majority, stable-after = 5s }
            # The node these specs down is dead (kill -9), so the shard coordinator need not wait the down-removal
            # margin (stable-after by default: time for the downed side of a partition to stop its entities) before it
            # starts that node's shards elsewhere. A deployment keeps it: see the README on two writers for one machine.
            akka.cluster.down-removal-margin = 1s
            akka.persistence.journal.plugin = "akka.persistence.journal.sql"
            akka.persistence.journal.sql {
              class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
              provider-name = "SQLite.MS"
              # Three processes share the file: a write may wait for the lock, on a loaded machine for seconds.
              circuit-breaker.call-timeout = 30s
              # Rows carry one writer id per node: a machine that moved away and back would lose its later rows to
              # Akka's replay filter (README: a machine that moved away and back). MachineStore's stores set it off too.
              replay-filter.mode = off
            }
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
            akka.persistence.snapshot-store.sql {
              class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
              provider-name = "SQLite.MS"
              circuit-breaker.call-timeout = 30s
            }
            """);
        foreach (var node in Nodes) Role(node).Setup(Start);
    }

    /// <summary>
    /// The run's settings for every node: the SQLite file, the seed nodes (the first forms the cluster; the spec gives a
    /// restarted node the others), and, for the same-host fast path, its transport under Akka's TCP with a
    /// control-socket directory of the run's own.
    /// </summary>
    public static string RunHocon(string database, IEnumerable<Address> seeds, string? sameHostDirectory)
    {
        var connection = $"\"Data Source={database};Pooling=True;Default Timeout=30\"";
        var hocon = $"""
            akka.persistence.journal.sql.connection-string = {connection}
            akka.persistence.snapshot-store.sql.connection-string = {connection}
            akka.cluster.seed-nodes = [{string.Join(", ", seeds.Select(seed => $"\"{seed}\""))}]
            """;
        if (sameHostDirectory is null) return hocon;
        // hocon/same-host.conf without its provider line (these nodes are cluster members).
        return hocon + $$"""

            akka.remote.dot-netty.tcp.transport-class = "XStateNet.Actors.Transport.SameHost.SameHostTransport, XStateNet.Actors.Transport.SameHost"
            akka.remote.same-host { directory = "{{sameHostDirectory}}", file-prefix = "{{Path.GetFileName(sameHostDirectory)}}" }
            akka.remote.watch-failure-detector.unreachable-nodes-reaper-interval = 250ms
            akka.remote.backoff-interval = 2ms
            # A frame must fit half a ring (4 MiB by default); hocon/tcp.conf, under this, allows 2 MiB.
            akka.remote.dot-netty.tcp.maximum-frame-size = 1MiB
            """;
    }

    private static void Start(ActorSystem system)
    {
        // Dead letters are logged at Info, below this spec's WARNING: a message for a machine that ends there would
        // vanish without a word. Say so at Warning instead (a snapshot ask that is never answered, an event lost).
        var deadLetters = system.ActorOf(Props.Create(() => new MachineDeadLetters()), "machine-dead-letters");
        system.EventStream.Subscribe(deadLetters, typeof(AllDeadLetters));
        ShardedMachines.For(system).StartAsync("order", Counter.Options().PassivateAfter(null).Shards(Shards)).GetAwaiter().GetResult();
    }

    /// <summary>Logs at Warning every dead letter that carried a machine's event or snapshot request.</summary>
    private sealed class MachineDeadLetters : ReceiveActor
    {
        public MachineDeadLetters()
        {
            var log = Context.GetLogger();
            Receive<AllDeadLetters>(dead =>
            {
                var message = dead.Message is Akka.Cluster.Sharding.ShardingEnvelope envelope ? envelope.Message : dead.Message;
                if (message is GetMachineSnapshot or MachineEvent or MachineSnapshot)
                    log.Warning("DEAD LETTER {0} ({1}) from {2} to {3}: {4}", dead.GetType().Name, message, dead.Sender, dead.Recipient, dead.Message);
            });
        }
    }
}
