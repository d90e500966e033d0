namespace XStateNet.Actors.Transport;

/// <summary>One open association as <see cref="SameHostTransport{TSettings}"/> tracks it: what shutdown closes and waits for.</summary>
internal interface ISameHostAssociation
{
    /// <summary>Closes on purpose (what is queued is sent, the peer is told); idempotent.</summary>
    void Close(string reason);

    /// <summary>Completes when the association is closed and has released what it holds.</summary>
    Task Completion { get; }
}
