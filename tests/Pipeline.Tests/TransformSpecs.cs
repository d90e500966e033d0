using XStateNet.Actors.Samples.Pipeline.Stages;

namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>The processor's transformation, alone.</summary>
public sealed class TransformSpecs
{
    [Fact]
    public void Line_endings_are_unified_trailing_blanks_trimmed_and_words_counted()
    {
        var result = FileTransform.Normalise("state machine  \r\nactor\tevent\n\n  route ");
        Assert.Equal("state machine\nactor\tevent\n\n  route", result.Text);
        Assert.Equal(4, result.Lines);
        Assert.Equal(5, result.Words);
    }
}
