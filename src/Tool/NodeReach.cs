using Akka.Actor;
using XStateNet.Actors.Inspection;
using XStateNet.Actors.Transport.Pipes;
using XStateNet.Actors.Transport.Pipes.Naming;
using XStateNet.Actors.Transport.SharedMemory;

namespace XStateNet.Actors.Tool;

/// <summary>
/// Which of <c>xstatenet inspect</c>'s nodes asks a node of the host. A same-host transport reaches a peer through the
/// socket its own folder and prefix name for the peer's host and port; the host directory records the addresses only.
/// So for each of the inspecting nodes, in order, and each of the host node's addresses in its transports, the socket
/// that node would connect to is looked up (a file test, nothing opened): the first that exists decides. A node none
/// reaches is asked by nobody, rather than by every inspecting node in vain at every refresh.
/// </summary>
internal sealed class NodeReach
{
    private readonly IReadOnlyList<Func<Address, bool>> _reaches;

    public NodeReach(IReadOnlyList<ActorSystem> inspecting)
    {
        _reaches = inspecting.Select(Reach).ToArray();
    }

    /// <summary>The address through which inspecting node <paramref name="index"/> asks the host node of <paramref name="addresses"/>, or null when another one does, or none.</summary>
    public string? Choose(IReadOnlyList<string> addresses, int index)
    {
        var parsed = addresses
            .Select(text => ActorPath.TryParseAddress(text, out var address) ? (text, address) : default)
            .Where(a => a.address is not null)
            .ToArray();
        for (var i = 0; i < _reaches.Count; i++)
        {
            foreach (var (text, address) in parsed)
            {
                if (_reaches[i](address)) return i == index ? text : null;
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="system"/>'s transports find a listening endpoint for an address.</summary>
    private static Func<Address, bool> Reach(ActorSystem system)
    {
        var protocols = HostMachineSource.ProtocolsOf(system);
        var config = system.Settings.Config;
        var pipe = protocols.Contains("akka.pipe") ? PipeTransportSettings.Create(config.GetConfig(PipeTransportSettings.Section)) : null;
        var shm = protocols.Contains("akka.shm") ? new ShmFiles(ShmSettings.Create(config.GetConfig("akka.remote.shm"))) : null;
        var tcp = protocols.Contains("akka.tcp");
        return address =>
        {
            if (address.Protocol == "akka.tcp") return tcp; // no prefix: the one inspecting node running TCP asks them
            if (address is not { Host: { } host, Port: { } port }) return false;
            return address.Protocol switch
            {
                "akka.pipe" when pipe is not null => PipeEndpoint.For(pipe.Directory, pipe.FilePrefix, host, port) is { SocketPath: { } socket }
                                                     && File.Exists(socket),
                "akka.shm" when shm is not null => File.Exists(shm.SocketPath(host, port)),
                _ => false,
            };
        };
    }
}
