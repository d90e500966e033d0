using Xunit;
using XStateNet.Actors.TestKit.Transports;

namespace XStateNet.Actors.TestKit;

/// <summary>
/// The theory data of a multi-node spec: one case per transport, so one spec runs over TCP, named pipes and
/// shared memory. <c>[MemberData(nameof(MultiNodeTransports.All), MemberType = typeof(MultiNodeTransports))]</c>.
/// </summary>
public static class MultiNodeTransports
{
    /// <summary><c>tcp</c>, <c>pipe</c> and <c>shm</c>.</summary>
    public static TheoryData<string> All => new(TransportCatalogue.Names);

    /// <summary>
    /// <see cref="All"/> and <c>same-host</c>: Akka's TCP with the same-host fast path (<c>hocon/same-host.conf</c> on
    /// top of <c>hocon/tcp.conf</c>; akka.tcp addresses, the shared-memory ring between the spec's processes). For the
    /// specs that must also hold over that fast path; a spec can also name it alone (<c>UseTransport("same-host")</c>).
    /// The test project must reference the package <c>XStateNet.Actors.Transport.SameHost</c>.
    /// </summary>
    public static TheoryData<string> AllAndSameHost => new([.. TransportCatalogue.Names, TransportCatalogue.SameHost.Name]);
}
