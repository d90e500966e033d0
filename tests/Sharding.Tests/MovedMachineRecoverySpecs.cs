using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Microsoft.Data.Sqlite;

namespace XStateNet.Actors.Sharding.Tests;

/// <summary>
/// A machine that moves from node to node and back (hand-offs, a rolling restart) writes its journal from several
/// nodes in turn. Akka.Persistence.Sql stamps each row with its journal's id, one per node and not one per
/// incarnation, so Akka's replay filter in its default mode (<c>repair-by-discard-old</c>) takes node X's later rows
/// for an old writer's once node Y wrote in between, and drops them on recovery: the machine silently resumes from an
/// older state. The machine stores turn that filter off (the journal's unique key on persistence id and sequence
/// number already refuses a second writer of one number); this spec keeps it so.
/// </summary>
public sealed class MovedMachineRecoverySpecs
{
    [Fact]
    public async Task A_machine_that_moved_from_node_x_to_y_and_back_recovers_every_event_from_the_SQLite_store()
    {
        var file = Path.Combine(Path.GetTempPath(), $"xstatenet-moved-{Guid.NewGuid():N}.db");
        var config = MachineStore.Sqlite(file);
        var setup = MachineStore.SqliteSetup(file);
        ActorSystem Node(string name) => ActorSystem.Create(name, BootstrapSetup.Create().WithConfig(
            ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(config)).And(setup));
        try
        {
            var x = Node("x");
            var y = Node("y");
            try
            {
                Assert.Equal(new[] { 1 }, await Incarnation(x, 1));       // written by x's journal
                Assert.Equal(new[] { 1, 2 }, await Incarnation(y, 2));    // moved to y: y's journal writes the next one
                Assert.Equal(new[] { 1, 2, 3 }, await Incarnation(x, 3)); // back on x, whose journal wrote the first
            }
            finally
            {
                await Task.WhenAll(x.Terminate(), y.Terminate());
            }

            // Recovered anywhere later (here a new node), every event is there, x's last one included.
            var z = Node("z");
            try
            {
                Assert.Equal(new[] { 1, 2, 3 }, await Incarnation(z, null));
            }
            finally
            {
                await z.Terminate();
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var leftover in new[] { file, file + "-wal", file + "-shm", file + "-journal" }) File.Delete(leftover);
        }
    }

    [Fact]
    public void Both_machine_stores_turn_the_replay_filter_off()
    {
        Assert.Equal("off", MachineStore.Sqlite("/tmp/never-opened.db").GetString($"{MachineStore.SqliteJournalPluginId}.replay-filter.mode"));
        Assert.Equal("off", MachineStore.Sql("Host=db", "PostgreSQL.15").GetString("akka.persistence.journal.sql.replay-filter.mode"));
    }

    [Fact]
    public void A_journal_of_Akka_Persistence_Sql_with_the_replay_filter_on_is_named_when_a_type_starts()
    {
        var own = ConfigurationFactory.ParseString("""
            akka.persistence.journal.plugin = "akka.persistence.journal.sql"
            akka.persistence.journal.sql.class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
            akka.persistence.journal-plugin-fallback.replay-filter.mode = repair-by-discard-old
            """);
        Assert.Equal("repair-by-discard-old", ReplayFilterCheck.DropsMovedMachines(own, "akka.persistence.journal.sql"));
        Assert.Equal("fail", ReplayFilterCheck.DropsMovedMachines(
            ConfigurationFactory.ParseString("akka.persistence.journal.sql.replay-filter.mode = fail").WithFallback(own), "akka.persistence.journal.sql"));
        Assert.Null(ReplayFilterCheck.DropsMovedMachines(MachineStore.Sqlite("/tmp/never-opened.db"), MachineStore.SqliteJournalPluginId));
        Assert.Null(ReplayFilterCheck.DropsMovedMachines(MachineStore.InMemory.WithFallback(ConfigurationFactory.ParseString(
            "akka.persistence.journal.inmem.class = \"Akka.Persistence.Journal.MemoryJournal, Akka.Persistence\"")), "akka.persistence.journal.inmem"));
    }

    /// <summary>One incarnation of the machine on <paramref name="node"/>: recovers, stores <paramref name="next"/> (if any), stops; returns what it recovered plus what it stored.</summary>
    private static async Task<int[]> Incarnation(ActorSystem node, int? next)
    {
        var events = await node.ActorOf(Props.Create(() => new Moving())).Ask<int[]>(new Store(next), TimeSpan.FromSeconds(30));
        return events;
    }

    private sealed record Store(int? Event);

    /// <summary>A persistent actor with one id wherever it runs, as a sharded machine is.</summary>
    private sealed class Moving : ReceivePersistentActor
    {
        private readonly List<int> _events = new();

        public override string PersistenceId => "order|order-moved";

        public Moving()
        {
            Recover<int>(_events.Add);
            Command<Store>(store =>
            {
                if (store.Event is not { } next)
                {
                    Sender.Tell(_events.ToArray());
                    Context.Stop(Self);
                    return;
                }
                var sender = Sender;
                Persist(next, stored =>
                {
                    _events.Add(stored);
                    sender.Tell(_events.ToArray());
                    Context.Stop(Self);
                });
            });
        }
    }
}
