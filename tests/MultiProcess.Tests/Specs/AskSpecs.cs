using Akka.Actor;
using XStateNet.Actors.MultiProcess.Tests.Roles;
using XStateNet.Actors.TestKit;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>Request/response with Akka's <c>Ask</c> from the test process to a machine in a child process.</summary>
public sealed class AskSpecs(ITestOutputHelper output) : ReportingSpec<AskRoles>(output)
{
    private const int Requests = 200;

    [Theory]
    [MemberData(nameof(MultiNodeTransports.All), MemberType = typeof(MultiNodeTransports))]
    public async Task Asks_across_processes_each_get_their_own_answer(string transport)
    {
        await UseTransport(transport);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await StartNodes("Responder");
        var responder = await Resolve("Responder", "responder");
        var first = await responder.Ask<MachineEvent>(
            (IActorRef replyTo) => new MachineEvent("REQUEST", Fields(("replyTo", replyTo), ("n", 0))), TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal("ANSWER", first.Name);
        Note($"MEASURED {transport}: child process started and first answer back after {clock.ElapsedMilliseconds:N0} ms (process start included)");

        // Many asks in flight at once: each answer must reach its own asker, whose temporary actor crossed in the payload.
        var asks = Enumerable.Range(1, Requests).Select(n => responder.Ask<MachineEvent>(
            (IActorRef replyTo) => new MachineEvent("REQUEST", Fields(("replyTo", replyTo), ("n", n))), TimeSpan.FromSeconds(30), CancellationToken.None));
        var answers = await Task.WhenAll(asks);

        for (var n = 1; n <= Requests; n++)
        {
            Assert.Equal("ANSWER", answers[n - 1].Name);
            Assert.Equal(2L * n, Convert.ToInt64(answers[n - 1].Data, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("responder", answers[n - 1].SourceMachineId);
        }

        // The machine's built-in request/response: a snapshot asked across the processes.
        var snapshot = await responder.Ask<MachineSnapshot>(GetMachineSnapshot.Instance, TimeSpan.FromSeconds(20));
        Assert.Equal("responder", snapshot.MachineId);
        Assert.Contains("ready", snapshot.ActiveStates);
    }
}
