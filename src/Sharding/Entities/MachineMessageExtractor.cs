using Akka.Cluster.Sharding;

namespace XStateNet.Actors.Sharding;

/// <summary>
/// Messages for machines travel in a <see cref="ShardingEnvelope"/> naming the machine id, which sharding unwraps
/// itself before asking an extractor; the shard is a stable hash of the id (MurmurHash, the same in every process),
/// so every node agrees where an id lives. Anything else told to the region names no machine (sharding logs and
/// drops it as unhandled).
/// </summary>
internal sealed class MachineMessageExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => null;
}
