using Akka.Actor;
using Akka.Remote.Transport;
using Google.Protobuf;

namespace XStateNet.Actors.Transport.Pipes.Connections;

/// <summary>Akka's view of one pipe connection: writes queue frames on it, disassociating closes it with a goodbye.</summary>
internal sealed class PipeAssociationHandle : AssociationHandle
{
    private readonly PipeConnection _connection;

    public PipeAssociationHandle(Address localAddress, Address remoteAddress, PipeConnection connection)
        : base(localAddress, remoteAddress)
    {
        _connection = connection;
    }

    /// <summary>Thread-safe and never blocks: queues the payload, or answers false when the outbound buffer is full.</summary>
    public override bool Write(ByteString payload) => _connection.TryWrite(payload.Memory);

    /// <summary>Sends what is queued, then a goodbye, then closes. Safe to call many times.</summary>
    [Obsolete("Akka calls this; use Disassociate(reason, log) from user code.")]
    public override void Disassociate() => _connection.Close("disassociated by Akka");
}
