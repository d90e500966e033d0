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
}
