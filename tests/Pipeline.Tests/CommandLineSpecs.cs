namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>Bad command lines get one clear error and a non-zero exit code, before any stage starts.</summary>
public sealed class CommandLineSpecs
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("--transport carrier-pigeon", "carrier-pigeon")]
    [InlineData("--files -5", "--files must be zero or more")]
    [InlineData("--in-flight 0", "--in-flight must be at least 1")]
    [InlineData("--max-file-size 0", "--max-file-size must be a positive number of bytes")]
    [InlineData("--role ingester", "--role ingester needs --input DIR")]
    [InlineData("--input /no/such/folder/for/xstatenet", "--input /no/such/folder/for/xstatenet: no such folder")]
    public async Task A_bad_option_is_refused_with_a_clear_message(string arguments, string expected)
    {
        using var folder = new TempFolder();
        using var run = PipelineRun.Start(folder.Path, arguments.Split(' '));
        await run.WaitForExitAsync(Timeout);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(expected, run.Output);
        Assert.DoesNotContain("started ", run.Output);
    }

    [Fact]
    public async Task A_routes_file_that_does_not_match_the_transport_is_refused()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder["routes.conf"], """
            xstatenet.machines {
              ingester = "akka.pipe://Pipeline@localhost:20001/user/ingester"
              processor = "akka.pipe://Pipeline@localhost:20002/user/processor"
              storage = "akka.pipe://Pipeline@localhost:20003/user/storage"
            }
            """);
        using var run = PipelineRun.Start(folder.Path, "--role", "processor", "--transport", "tcp", "--config", folder["routes.conf"]);
        await run.WaitForExitAsync(Timeout);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("does not match the tcp transport's address akka.tcp://Pipeline@127.0.0.1:20002", run.Output);
    }
}
