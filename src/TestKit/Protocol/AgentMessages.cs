namespace XStateNet.Actors.TestKit.Protocol;

// The control protocol between the test process and each child's agent (NodeAgent, at AgentPath). Plain records of
// plain values: they cross processes with the runtime's serializer, like machine events.

/// <summary>Where every child's agent lives.</summary>
internal static class AgentPath
{
    public const string Name = "xstatenet-testkit";
}

/// <summary>The spec entered the barrier <paramref name="Name"/>: answer with <see cref="BarrierArrived"/> once this node is there.</summary>
internal sealed record BarrierQuery(string Name);

/// <summary>This node is at the barrier; <paramref name="Error"/> when its Run body failed instead.</summary>
internal sealed record BarrierArrived(string Name, string Role, string? Error);

/// <summary>Every node is at the barrier: code waiting in it goes on.</summary>
internal sealed record BarrierPass(string Name);

/// <summary>Run the method <paramref name="MethodName"/> of <paramref name="TypeName"/> (the spec's lambda) on this node.</summary>
internal sealed record RunAssertion(string TypeName, string MethodName, bool WithArgument, object? Argument);

/// <summary>How a remote assertion ended: <paramref name="Failure"/> is the exception, in full, when it failed.</summary>
internal sealed record AssertionOutcome(string Role, string? Failure);

/// <summary>Change this node's link to <paramref name="Target"/>: <c>blackhole</c>, <c>unthrottled</c> or a rate.</summary>
internal sealed record SetLink(string Target, string Mode, double BytesPerSecond);

/// <summary>The link is changed, or <paramref name="Error"/> says why not.</summary>
internal sealed record LinkSet(string Role, string? Error);
