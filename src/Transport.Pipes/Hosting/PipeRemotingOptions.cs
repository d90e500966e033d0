namespace XStateNet.Actors.Transport.Pipes;

/// <summary>This node's place on the pipe transport, for <see cref="PipeRemotingHostingExtensions.WithPipeRemoting"/>.</summary>
public sealed class PipeRemotingOptions
{
    /// <summary>The host part of the node's address (<c>akka.remote.pipe.hostname</c>).</summary>
    public string Hostname { get; set; } = "localhost";

    /// <summary>The port part of the node's address (<c>akka.remote.pipe.port</c>); 0 picks a free one.</summary>
    public int Port { get; set; }
}
