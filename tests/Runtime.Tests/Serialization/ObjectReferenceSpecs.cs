using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Serialization;

namespace XStateNet.Actors.Tests.Serialization;

/// <summary>
/// preserve-object-references keeps identity: one object sent twice in a message arrives as one object, two objects
/// that are merely equal arrive as two, and a cycle survives. Hyperion's own session compares the objects it has
/// written by value (hashing every record and string in full); the runtime's writes compare them by reference.
/// </summary>
public sealed class ObjectReferenceSpecs() : TestKit(XStateNetConfig.Default, "object-references")
{
    private T RoundTripMessage<T>(T message) where T : notnull
    {
        var serializer = Assert.IsType<HyperionSerializer>(Sys.Serialization.FindSerializerFor(message));
        return Assert.IsType<T>(serializer.FromBinary(serializer.ToBinary(message), typeof(T)));
    }

    private T RoundTripPayload<T>(T payload)
    {
        var serializer = Assert.IsType<MachineEventSerializer>(Sys.Serialization.FindSerializerForType(typeof(MachineEvent)));
        var sent = new MachineEvent("GO", payload);
        var back = Assert.IsType<MachineEvent>(serializer.FromBinary(serializer.ToBinary(sent), serializer.Manifest(sent)));
        return Assert.IsType<T>(back.Data);
    }

    [Fact]
    public void The_runtime_tracks_written_objects_by_reference_with_the_pinned_hyperion()
    {
        // Fails when a Hyperion upgrade moves the session's field: the writes would fall back to value comparison.
        var serializer = Assert.IsType<HyperionSerializer>(Sys.Serialization.FindSerializerForType(typeof(object)));
        Assert.True(serializer.Engine.TracksByReference);
    }

    [Fact]
    public void Equal_but_distinct_objects_arrive_as_distinct_objects()
    {
        var sent = new Boxes([new Box(1), new Box(1)]);
        foreach (var back in new[] { RoundTripMessage(sent), RoundTripPayload(sent) })
        {
            Assert.Equal(2, back.Items.Count);
            Assert.NotSame(back.Items[0], back.Items[1]); // by value they would have been merged into one
            back.Items[0].Value = 2;
            Assert.Equal(1, back.Items[1].Value);
        }
    }

    [Fact]
    public void One_object_sent_twice_arrives_as_one_object()
    {
        var shared = new Box(5);
        foreach (var back in new[] { RoundTripMessage(new Boxes([shared, shared])), RoundTripPayload(new Boxes([shared, shared])) })
        {
            Assert.Same(back.Items[0], back.Items[1]);
            Assert.Equal(5, back.Items[0].Value);
        }
    }

    [Fact]
    public void A_cycle_round_trips()
    {
        var first = new Node("a");
        first.Next = new Node("b") { Next = first };
        foreach (var back in new[] { RoundTripMessage(first), RoundTripPayload(first) })
        {
            Assert.Equal("b", back.Next!.Name);
            Assert.Same(back, back.Next.Next);
        }
    }

    [Fact]
    public async Task With_references_off_nothing_is_tracked_and_shared_objects_arrive_as_copies()
    {
        var config = ConfigurationFactory.ParseString("akka.actor.serialization-settings.hyperion.preserve-object-references = off")
            .WithFallback(XStateNetConfig.Default);
        var system = ActorSystem.Create("object-references-off", config);
        try
        {
            var serializer = Assert.IsType<HyperionSerializer>(system.Serialization.FindSerializerForType(typeof(object)));
            Assert.False(serializer.Engine.TracksByReference);
            var shared = new Box(3);
            var back = Assert.IsType<Boxes>(serializer.FromBinary(serializer.ToBinary(new Boxes([shared, shared])), typeof(Boxes)));
            Assert.NotSame(back.Items[0], back.Items[1]);
            Assert.Equal(3, back.Items[1].Value);
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>Mutable, equal by value: what Hyperion's own comparison would merge.</summary>
    public sealed class Box(int value)
    {
        public int Value { get; set; } = value;

        public override bool Equals(object? obj) => obj is Box other && other.Value == Value;

        public override int GetHashCode() => Value;
    }

    public sealed record Boxes(List<Box> Items);

    public sealed class Node(string name)
    {
        public string Name { get; } = name;

        public Node? Next { get; set; }
    }
}
