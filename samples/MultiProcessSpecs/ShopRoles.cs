using XStateNet.Actors;
using XStateNet.Actors.TestKit;

namespace MultiProcessSpecs;

/// <summary>
/// The shop's two roles, each a process of its own in the specs: <c>orders</c> takes orders and asks
/// <c>payments</c> to charge the card; <c>payments</c> charges it (the <c>chargeCard</c> action) and answers.
/// Declared once: the test process reads it to plan addresses and routes, and each child process creates it again
/// to spawn its own role's machines, with these very actions.
/// </summary>
public sealed class ShopRoles : MultiNodeConfig
{
    /// <summary>
    /// An order waits for the payment's answer; a lost request (the payments node is gone or cut off) ends in
    /// error.communication or, when nobody even says so, after 10 s (generous: a cold process on a busy machine may take seconds to associate).
    /// </summary>
    public const string OrdersChart = """
        {
          "id": "orders",
          "initial": "idle",
          "states": {
            "idle": { "on": { "PLACE": { "target": "charging", "actions": "requestCharge" } } },
            "charging": {
              "on": {
                "CHARGED": { "target": "idle", "actions": "reportPaid" },
                "DECLINED": { "target": "idle", "actions": "reportDeclined" },
                "error.communication": { "target": "idle", "actions": "reportUnreachable" }
              },
              "after": { "10000": { "target": "idle", "actions": "reportTimedOut" } }
            }
          }
        }
        """;

    /// <summary>Charges every card it is asked to, up to 1,000; counts the charges in its context.</summary>
    public const string PaymentsChart = """
        {
          "id": "payments",
          "initial": "open",
          "context": { "charges": 0 },
          "states": { "open": { "on": { "CHARGE": { "actions": "chargeCard" } } } }
        }
        """;

    public ShopRoles()
    {
        // A partition shorter than the failure detector's allowance only loses messages, and the link works again
        // once it heals; a longer one is a death (Akka quarantines each side for the other, for good). The specs cut
        // links for about ten seconds, so allow 20 s. A machine waits up to 15 s for a peer to answer its first
        // Identify: a cold process on a saturated machine was seen taking more than the default 5 s over TCP.
        CommonConfig("""
            akka.remote.watch-failure-detector.acceptable-heartbeat-pause = 20s
            xstatenet.resolve-timeout = 15s
            """);
        // Akka's throttler on every node: the specs may partition and throttle links.
        EnableNetworkFaults();

        Role("orders").Machine("orders", OrdersChart, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["requestCharge"] = ctx => ctx.RequestSend("payments", "CHARGE", new { ctx.EventData!.Order, ctx.EventData!.Amount }),
            // "probe" is the spec's probe: every node has a route to it.
            ["reportPaid"] = ctx => ctx.RequestSend(ProbeRoute, "ORDER_PAID", new { ctx.EventData!.Order, ctx.EventData!.Receipt }),
            ["reportDeclined"] = ctx => ctx.RequestSend(ProbeRoute, "ORDER_DECLINED", new { ctx.EventData!.Order }),
            ["reportUnreachable"] = ctx => ctx.RequestSend(ProbeRoute, "PAYMENTS_UNREACHABLE", new { Reason = ((CommunicationError)ctx.Payload!).Reason }),
            ["reportTimedOut"] = ctx => ctx.RequestSend(ProbeRoute, "PAYMENTS_TIMED_OUT"),
        });

        Role("payments").Machine("payments", PaymentsChart, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["chargeCard"] = ChargeCard,
        });
    }

    private const string ProbeRoute = "probe";

    /// <summary>The payment provider of the sample: accepts amounts up to 1,000 and answers the machine that asked.</summary>
    private static void ChargeCard(OrchestratedContext ctx)
    {
        long amount = ctx.EventData!.Amount;
        string order = ctx.EventData!.Order;
        if (amount > 1_000)
        {
            ctx.RequestSend(ctx.SourceMachineId!, "DECLINED", new { Order = order });
            return;
        }
        var charges = Convert.ToInt64(ctx.Context["charges"], System.Globalization.CultureInfo.InvariantCulture) + 1;
        ctx.Context["charges"] = charges;
        ctx.RequestSend(ctx.SourceMachineId!, "CHARGED", new { Order = order, Receipt = $"R-{charges}" });
    }
}
