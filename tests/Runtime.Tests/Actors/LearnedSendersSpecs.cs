using Akka.TestKit.Xunit2;

namespace XStateNet.Actors.Tests.Actors;

/// <summary>The bounded table of where each machine id last sent from.</summary>
public sealed class LearnedSendersSpecs : TestKit
{
    [Fact]
    public void It_remembers_the_latest_sender_per_id_and_says_what_to_watch_and_forget()
    {
        var first = CreateTestProbe().Ref;
        var second = CreateTestProbe().Ref;
        var learned = new LearnedSenders(4);

        Assert.Equal((first, null), learned.Learn("a", first));
        Assert.Equal((null, null), learned.Learn("a", first)); // unchanged: nothing to do
        Assert.Equal((second, first), learned.Learn("a", second)); // moved: watch the new, the old may be unwatched
        Assert.True(learned.TryGet("a", out var found));
        Assert.Equal(second, found);
        Assert.False(learned.Remembers(first));
    }

    [Fact]
    public void It_is_bounded_and_the_oldest_learned_goes_first()
    {
        var learned = new LearnedSenders(3);
        var refs = Enumerable.Range(0, 5).Select(_ => CreateTestProbe().Ref).ToArray();
        for (var i = 0; i < 3; i++) learned.Learn($"m{i}", refs[i]);

        var (watch, evicted) = learned.Learn("m3", refs[3]);

        Assert.Equal(refs[3], watch);
        Assert.Equal(refs[0], evicted);
        Assert.Equal(3, learned.Count);
        Assert.False(learned.TryGet("m0", out _));
        Assert.True(learned.TryGet("m1", out _));
    }

    [Fact]
    public void A_terminated_sender_is_forgotten()
    {
        var learned = new LearnedSenders(8);
        var dead = CreateTestProbe().Ref;
        learned.Learn("a", dead);
        learned.Learn("b", CreateTestProbe().Ref);

        Assert.True(learned.Forget(dead));
        Assert.False(learned.TryGet("a", out _));
        Assert.True(learned.TryGet("b", out _));
        Assert.False(learned.Forget(dead));
    }
}
