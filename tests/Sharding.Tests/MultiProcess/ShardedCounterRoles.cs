using Akka.Actor;
using Akka.Cluster;
using XStateNet.Actors.TestKit;

namespace XStateNet.Actors.Sharding.Tests.MultiProcess;

/// <summary>
/// Three cluster nodes (<c>a</c>, <c>b</c>, <c>c</c>), each a child process hosting shards of the counter machines,
/// all persisting to one SQLite file (SQLite locks it per write; a file shared on one host is the simplest store that
/// outlives a killed node). <c>a</c> is the seed and drives the events. Downing: Akka's split-brain resolver,
/// keep-majority, 5 s stable: the two survivors down a killed node on their own.
/// </summary>
public sealed class ShardedCounterRoles : MultiNodeConfig
{
    /// <summary>The SQLite file of the run; set by the spec before the roles are read (children inherit it).</summary>
    public const string DatabaseVariable = "XSTATENET_SHARDING_SPEC_DB";

    public ShardedCounterRoles()
    {
        SystemName = "Orders"; // a cluster's members share one actor system name
        var database = Environment.GetEnvironmentVariable(DatabaseVariable) ?? Path.Combine(Path.GetTempPath(), "xstatenet-sharding-unset.db");
        var hocon = $$"""
            akka.loglevel = WARNING
            akka.actor.provider = cluster
            akka.cluster.downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            akka.cluster.split-brain-resolver { active-strategy = keep-majority, stable-after = 5s }
            akka.persistence.journal.plugin = "akka.persistence.journal.sql"
            akka.persistence.journal.sql {
              class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
              connection-string = "Data Source={{database}};Pooling=True;Default Timeout=30"
              provider-name = "SQLite.MS"
              # Three processes share the file: a write may wait for the lock, on a loaded machine for seconds.
              circuit-breaker.call-timeout = 30s
            }
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
            akka.persistence.snapshot-store.sql {
              class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
              connection-string = "Data Source={{database}};Pooling=True;Default Timeout=30"
              provider-name = "SQLite.MS"
              circuit-breaker.call-timeout = 30s
            }
            """;
        // "seed" only gives every node the address of a (its route); a joins itself.
        Role("a").WithHocon(hocon).Machine("seed", """{ "initial": "idle", "states": { "idle": {} } }""", new Dictionary<string, Action<OrchestratedContext>>()).Setup(JoinAndStart);
        Role("b").WithHocon(hocon).Setup(JoinAndStart);
        Role("c").WithHocon(hocon).Setup(JoinAndStart);
    }

    /// <summary>
    /// Fewer shards than the default 100: the coordinator records each shard's home in distributed data, one write
    /// at a time, so the first events to 100 shards on a loaded 2-core machine wait seconds for their homes.
    /// </summary>
    private const int Shards = 30;

    private static void JoinAndStart(ActorSystem system)
    {
        Cluster.Get(system).Join(Address.Parse(MachineRoutes.For(system).Resolve("seed").Address));
        ShardedMachines.For(system).StartAsync("order", Counter.Options().PassivateAfter(null).Shards(Shards)).GetAwaiter().GetResult();
    }
}
