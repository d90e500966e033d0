using XStateNet.Actors.Samples.Pipeline.Stages;

namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>The ingester's read: the whole file, or a reason that names the problem.</summary>
public sealed class FileReaderSpecs : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void A_file_is_read_whole()
    {
        var content = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(_folder["a.bin"], content);
        Assert.True(FileReader.TryRead(_folder["a.bin"], maxFileSize: 70_000, out var read, out var problem), problem);
        Assert.Equal(content, read);
    }

    [Fact]
    public void An_empty_file_is_read_as_empty()
    {
        File.WriteAllBytes(_folder["empty"], []);
        Assert.True(FileReader.TryRead(_folder["empty"], maxFileSize: 10, out var read, out _));
        Assert.Empty(read);
    }

    [Fact]
    public void A_file_over_the_limit_is_refused_with_its_size()
    {
        File.WriteAllBytes(_folder["big"], new byte[1001]);
        Assert.False(FileReader.TryRead(_folder["big"], maxFileSize: 1000, out _, out var problem));
        Assert.Equal("1,001 bytes is over the 1,000-byte limit", problem);
    }

    [Fact]
    public void A_missing_file_is_refused_as_unreadable()
    {
        Assert.False(FileReader.TryRead(_folder["gone"], maxFileSize: 1000, out _, out var problem));
        Assert.StartsWith("unreadable: ", problem);
    }

    [Fact]
    public void A_file_whose_size_the_kernel_does_not_know_is_read_to_its_end()
    {
        if (!File.Exists("/proc/self/status")) return; // procfs: Linux only
        Assert.True(FileReader.TryRead("/proc/self/status", maxFileSize: 1 << 20, out var read, out var problem), problem);
        Assert.Contains("Pid:", System.Text.Encoding.UTF8.GetString(read));
    }

    public void Dispose() => _folder.Dispose();
}
