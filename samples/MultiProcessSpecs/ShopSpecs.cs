using XStateNet.Actors;
using XStateNet.Actors.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace MultiProcessSpecs;

/// <summary>
/// The shop across processes: each role of <see cref="ShopRoles"/> runs in a child process of its own (the test
/// assembly itself, running the roles' set-up), over each transport in turn. The test process is a node too; its
/// <c>Probe</c> receives what the machines send to the id <c>probe</c>.
/// </summary>
public sealed class ShopSpecs(ITestOutputHelper output) : MultiNodeSpec<ShopRoles>(output)
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(20);

    [Theory]
    [MemberData(nameof(MultiNodeTransports.All), MemberType = typeof(MultiNodeTransports))]
    public async Task An_order_is_paid_by_the_payments_process(string transport)
    {
        await UseTransport(transport);   // the test process joins the transport under test
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await StartNodes();              // every role, each in its own process; waits until all are ready

        // Request/reply across processes: orders asks payments to charge, payments answers CHARGED.
        Machine("orders").Tell(new MachineEvent("PLACE", new { Order = "A-1", Amount = 250L }));
        var paid = await Probe.ExpectMsgAsync<MachineEvent>(Answer);
        Assert.True(paid.Name == "ORDER_PAID", Describe(paid));
        Note($"MEASURED {transport}: two processes started and the first order paid after {clock.ElapsedMilliseconds:N0} ms");
        Assert.Equal("R-1", Field(paid, "Receipt"));

        // An assertion that runs in the payments process, on its own machine; a failure there fails this test.
        await RunOn("payments", static async node =>
        {
            var payments = await node.Snapshot("payments");
            Assert.Equal(1L, Convert.ToInt64(payments.Context["charges"]));
        });

        // Every process at the same point before going on.
        await EnterBarrier("paid");
    }

    [Theory]
    [MemberData(nameof(MultiNodeTransports.All), MemberType = typeof(MultiNodeTransports))]
    public async Task Orders_learn_that_payments_was_killed_and_pay_again_once_it_is_restarted(string transport)
    {
        await UseTransport(transport);
        await StartNodes();
        await PayOrderEventually("A-1"); // the first association of a cold process may outlast an order's patience

        await Kill("payments"); // kill -9: no goodbye on any link
        Machine("orders").Tell(new MachineEvent("PLACE", new { Order = "A-2", Amount = 10L }));
        var lost = await Probe.ExpectMsgAsync<MachineEvent>(Answer);
        Assert.Contains(lost.Name, new[] { "PAYMENTS_UNREACHABLE", "PAYMENTS_TIMED_OUT" });

        await Restart("payments"); // a new process at the same address, its machine from its initial state
        await PayOrderEventually("A-3");
    }

    [Theory]
    [MemberData(nameof(MultiNodeTransports.All), MemberType = typeof(MultiNodeTransports))]
    public async Task A_partition_between_orders_and_payments_times_orders_out_until_it_heals(string transport)
    {
        await UseTransport(transport);
        await StartNodes();
        await PayOrderEventually("A-1"); // the first association of a cold process may outlast an order's patience

        await Partition("orders", "payments"); // both directions dropped by Akka's throttler, processes untouched
        Machine("orders").Tell(new MachineEvent("PLACE", new { Order = "A-2", Amount = 10L }));
        var lost = await Probe.ExpectMsgAsync<MachineEvent>(Answer);
        Assert.Contains(lost.Name, new[] { "PAYMENTS_TIMED_OUT", "PAYMENTS_UNREACHABLE" });

        await Heal("orders", "payments");
        await PayOrderEventually("A-3");
    }

    /// <summary>A link may take a few tries to come up, or back after a fault (a gated address): order again until paid.</summary>
    private async Task PayOrderEventually(string order)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        for (var attempt = 1; ; attempt++)
        {
            Machine("orders").Tell(new MachineEvent("PLACE", new { Order = $"{order}.{attempt}", Amount = 100L }));
            var answer = await Probe.ExpectMsgAsync<MachineEvent>(Answer);
            if (answer.Name == "ORDER_PAID") return;
            Assert.Contains(answer.Name, new[] { "PAYMENTS_UNREACHABLE", "PAYMENTS_TIMED_OUT" });
            Assert.True(DateTime.UtcNow < deadline, $"orders still cannot pay after 60 s: {Describe(answer)}");
            await Task.Delay(500);
        }
    }

    private static string Describe(MachineEvent message) =>
        message.Data is IDictionary<string, object?> fields
            ? $"{message.Name} {{{string.Join(", ", fields.Select(field => $"{field.Key}={field.Value}"))}}}"
            : $"{message.Name} {message.Data}";

    private static object? Field(MachineEvent message, string key) =>
        message.Data is IDictionary<string, object?> fields && fields.TryGetValue(key, out var value) ? value : null;
}
