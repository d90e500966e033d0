namespace XStateNet.Actors.TestKit;

/// <summary>An assertion, a barrier or a fault command failed on a child node; the message has the node's own error.</summary>
public sealed class RemoteNodeException : Exception
{
    /// <summary>A failure on <paramref name="role"/>.</summary>
    public RemoteNodeException(string role, string message) : base($"on {role}: {message}") => Role = role;

    /// <summary>The role of the node where it failed.</summary>
    public string Role { get; }
}
