using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.TestKit;
using XStateNet.Actors.Transport.Pipes;
using XStateNet.Actors.Transport.SharedMemory;

namespace XStateNet.Actors.MultiProcess.Tests.InProcess;

/// <summary>
/// A transport that refuses its settings fails <c>ActorSystem.Create</c> with the transport's own words in the first
/// line (the key and the problem), not Akka's "Startup failed" with the cause four exceptions deep.
/// </summary>
/// <remarks>In-process: no child is started, but the transports are only referenced by this project.</remarks>
[Collection(MultiNodeCollection.Name)]
public sealed class StartupErrorSpecs
{
    [Theory]
    [InlineData("shm", "akka.remote.shm.ring-size = 5000", "akka.remote.shm.ring-size", "not a power of two")]
    [InlineData("pipe", "akka.remote.pipe.maximum-frame-size = 1000b", "maximum-frame-size", "at least 32000 bytes")]
    public void An_invalid_transport_setting_is_the_first_line_of_the_start_up_error(
        string transport, string badSetting, string key, string problem)
    {
        var run = new InProcessRun();
        var config = ConfigurationFactory.ParseString($"""
                {badSetting}
                akka.remote.shm.file-prefix = "{run.FilePrefix}"
                akka.remote.pipe.file-prefix = "{run.FilePrefix}"
                akka.loglevel = OFF
                """)
            .WithFallback(transport == "shm" ? ShmConfig.Ready : PipeConfig.Ready)
            .WithFallback(XStateNetConfig.Default);

        var error = Assert.ThrowsAny<Exception>(() => ActorSystem.Create("BadSettings", config).Dispose());

        Assert.IsType<ConfigurationException>(error);
        var firstLine = error.Message.Split('\n')[0];
        Assert.Contains(key, firstLine);
        Assert.Contains(problem, firstLine);
        Assert.DoesNotContain("One or more errors", firstLine);
        run.RemoveAndCheck();
    }
}
