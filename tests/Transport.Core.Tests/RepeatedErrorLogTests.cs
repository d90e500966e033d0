namespace XStateNet.Actors.Transport.Tests;

public sealed class RepeatedErrorLogTests
{
    private long _now = 1_000;

    private RepeatedErrorLog Log(int burst = 3, int windowMs = 10_000) =>
        new(burst, TimeSpan.FromMilliseconds(windowMs), () => _now);

    [Fact]
    public void A_burst_of_one_kind_is_written_and_the_rest_of_the_window_is_counted_not_written()
    {
        var log = Log();
        var written = Enumerable.Range(0, 10).Count(_ => log.ShouldWrite("rejected", out _));
        Assert.Equal(3, written);
    }

    [Fact]
    public void The_first_line_of_the_next_window_tells_how_many_were_left_out()
    {
        var log = Log();
        for (var i = 0; i < 10; i++) log.ShouldWrite("rejected", out _);

        _now += 10_000;
        Assert.True(log.ShouldWrite("rejected", out var suppressed));
        Assert.Equal(7, suppressed);
        Assert.True(log.ShouldWrite("rejected", out suppressed));
        Assert.Equal(0, suppressed);
    }

    [Fact]
    public void Lines_within_the_burst_tell_nothing_left_out()
    {
        var log = Log();
        Assert.True(log.ShouldWrite("a", out var suppressed));
        Assert.Equal(0, suppressed);
    }

    [Fact]
    public void Each_kind_has_its_own_budget()
    {
        var log = Log(burst: 1);
        Assert.True(log.ShouldWrite("accept", out _));
        Assert.False(log.ShouldWrite("accept", out _));
        Assert.True(log.ShouldWrite("rejected", out _));
        Assert.True(log.ShouldWrite("Rejected", out _)); // kinds are compared exactly
    }

    [Fact]
    public void A_window_not_yet_over_does_not_reset_the_budget()
    {
        var log = Log(burst: 1, windowMs: 1000);
        Assert.True(log.ShouldWrite("k", out _));
        _now += 999;
        Assert.False(log.ShouldWrite("k", out _));
        _now += 1;
        Assert.True(log.ShouldWrite("k", out var suppressed));
        Assert.Equal(1, suppressed);
    }

    [Fact]
    public void Many_threads_at_once_write_no_more_than_the_burst_and_lose_no_count()
    {
        var log = Log(burst: 5);
        var written = 0;
        Parallel.For(0, 10_000, _ =>
        {
            if (log.ShouldWrite("flood", out _)) Interlocked.Increment(ref written);
        });

        Assert.Equal(5, written);
        _now += 10_000;
        Assert.True(log.ShouldWrite("flood", out var suppressed));
        Assert.Equal(10_000 - 5, suppressed);
    }

    [Fact]
    public void The_note_says_how_many_were_left_out_and_nothing_when_none_were()
    {
        Assert.Equal("", RepeatedErrorLog.SuppressedNote(0));
        Assert.Contains("42 more like it", RepeatedErrorLog.SuppressedNote(42));
    }

    [Fact]
    public void The_defaults_are_five_lines_per_ten_seconds_and_a_burst_must_be_positive()
    {
        var log = new RepeatedErrorLog();
        Assert.Equal(5, log.Burst);
        Assert.Equal(TimeSpan.FromSeconds(10), log.Window);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RepeatedErrorLog(0));
    }

    [Fact]
    public void The_real_clock_starts_with_a_full_budget()
    {
        var log = new RepeatedErrorLog(burst: 2);
        Assert.True(log.ShouldWrite("x", out _));
        Assert.True(log.ShouldWrite("x", out _));
        Assert.False(log.ShouldWrite("x", out _));
    }
}
