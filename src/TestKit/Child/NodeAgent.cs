using Akka.Actor;
using Akka.Remote;
using Akka.Remote.Transport;
using XStateNet.Actors.TestKit.Protocol;

namespace XStateNet.Actors.TestKit.Child;

/// <summary>
/// The test process's hand in a child (at <c>/user/xstatenet-testkit</c>): answers barriers for the node, runs the
/// spec's assertions on it, and changes its links through Akka's throttler.
/// </summary>
/// <remarks>
/// Barriers: the node is at a barrier when its Run body waits there, or when it has no body still running (a
/// node without code of its own is always ready). A body that is still running but not yet at the barrier holds
/// the answer until it gets there or ends.
/// </remarks>
internal sealed class NodeAgent : ReceiveActor
{
    private readonly Dictionary<string, TaskCompletionSource> _bodyWaiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<IActorRef>> _queries = new(StringComparer.Ordinal);

    public NodeAgent(string role, Func<NodeContext> node, BodyState body)
    {
        Receive<BodyAtBarrier>(at =>
        {
            _bodyWaiting[at.Name] = at.Passed;
            AnswerQueries(at.Name, role, error: null);
        });
        Receive<BodyFinished>(_ =>
        {
            foreach (var name in _queries.Keys.ToList()) AnswerQueries(name, role, body.Error);
        });
        Receive<BarrierQuery>(query =>
        {
            if (_bodyWaiting.ContainsKey(query.Name) || !body.Running) Sender.Tell(new BarrierArrived(query.Name, role, body.Error));
            else (_queries.TryGetValue(query.Name, out var waiting) ? waiting : _queries[query.Name] = []).Add(Sender);
        });
        Receive<BarrierPass>(pass =>
        {
            if (_bodyWaiting.Remove(pass.Name, out var passed)) passed.TrySetResult();
        });
        Receive<RunAssertion>(call =>
        {
            var context = node();
            Run(call, context, role).PipeTo(Sender);
        });
        Receive<SetLink>(link => SetLinkAsync(link, role).PipeTo(Sender));
    }

    private void AnswerQueries(string name, string role, string? error)
    {
        if (!_queries.Remove(name, out var waiting)) return;
        foreach (var asker in waiting) asker.Tell(new BarrierArrived(name, role, error));
    }

    private static async Task<AssertionOutcome> Run(RunAssertion call, NodeContext node, string role)
    {
        try
        {
            await RemoteCall.Invoke(call, node).ConfigureAwait(false);
            return new AssertionOutcome(role, null);
        }
        catch (Exception e)
        {
            return new AssertionOutcome(role, e.ToString());
        }
    }

    /// <summary>Akka's throttler (the <c>trttl</c> adapter) acts on the node's side of the link, in both directions.</summary>
    private async Task<LinkSet> SetLinkAsync(SetLink link, string role)
    {
        try
        {
            ThrottleMode mode = link.Mode switch
            {
                "blackhole" => Blackhole.Instance,
                "unthrottled" => Unthrottled.Instance,
                "throttle" => new TokenBucket((int)Math.Max(1, link.BytesPerSecond), link.BytesPerSecond, 0, 0),
                _ => throw new ArgumentException($"unknown link mode '{link.Mode}'"),
            };
            var transport = ((IRemoteActorRefProvider)((ExtendedActorSystem)Context.System).Provider).Transport;
            var done = await transport.ManagementCommand(new SetThrottle(Address.Parse(link.Target), ThrottleTransportAdapter.Direction.Both, mode)).ConfigureAwait(false);
            return new LinkSet(role, done ? null : "the transport did not apply the command: is applied-adapters = [trttl] (EnableNetworkFaults) in effect?");
        }
        catch (Exception e)
        {
            return new LinkSet(role, e.ToString());
        }
    }

    /// <summary>The Run body waits at a barrier; <paramref name="Passed"/> completes when the spec lets it on.</summary>
    internal sealed record BodyAtBarrier(string Name, TaskCompletionSource Passed);

    /// <summary>The Run body returned or threw.</summary>
    internal sealed record BodyFinished;

    /// <summary>Whether the node's Run body still runs, and how it failed (shared by the host and the agent).</summary>
    internal sealed class BodyState
    {
        private volatile bool _running;
        private volatile string? _error;

        public bool Running => _running;

        public string? Error => _error;

        public void Started() => _running = true;

        public void Finished(Exception? error)
        {
            _error = error?.ToString();
            _running = false;
        }
    }
}
