using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace XStateNet.Actors.Transport.Pipes.Tests.Specs;

/// <summary>Two actor systems in one process over the pipe transport: association and payload sizes through Akka (ordering is in the contract spec).</summary>
public class AssociationSpecs : TestKit
{
    private readonly string _prefix;
    private readonly ActorSystem _right;
    private readonly ActorSelection _echo;

    public AssociationSpecs(ITestOutputHelper output) : this(output, "")
    {
    }

    /// <summary>The same specs with <paramref name="settings"/> added to both systems' configuration.</summary>
    protected AssociationSpecs(ITestOutputHelper output, string settings) : this(PipeNodes.UniquePrefix(), output, settings)
    {
    }

    private AssociationSpecs(string prefix, ITestOutputHelper output, string settings)
        : base(PipeNodes.Config(prefix, extra: settings), "Left", output)
    {
        _prefix = prefix;
        _right = ActorSystem.Create("Right", PipeNodes.Config(prefix, extra: settings));
        _right.ActorOf(Echo.Props(), "echo");
        _echo = Sys.ActorSelection(new RootActorPath(PipeNodes.AddressOf(_right)) / "user" / "echo");
    }

    [Fact]
    public void Two_systems_associate_over_a_pipe_and_answer_each_other()
    {
        Assert.Equal("akka.pipe", PipeNodes.AddressOf(Sys).Protocol);

        _echo.Tell("hello");

        ExpectMsg("hello", TimeSpan.FromSeconds(10));
        Assert.Equal(PipeNodes.AddressOf(_right), LastSender.Path.Address);
    }

    [Fact]
    public void A_payload_near_the_limit_crosses_and_one_over_it_is_refused_while_the_association_stays_up()
    {
        _echo.Tell("warm up");
        ExpectMsg("warm up", TimeSpan.FromSeconds(10));
        var near = Enumerable.Range(0, 63_000).Select(i => (byte)i).ToArray();

        _echo.Tell(near);
        Assert.Equal(near, ExpectMsg<byte[]>(TimeSpan.FromSeconds(10)));

        EventFilter.Error(contains: "Discarding oversized payload").ExpectOne(() =>
            _echo.Tell(new byte[70_000]));
        _echo.Tell("still up");
        ExpectMsg("still up", TimeSpan.FromSeconds(10));
    }

    protected override void AfterAll()
    {
        _right.Terminate().Wait(TimeSpan.FromSeconds(10));
        base.AfterAll();
        PipeNodes.RemoveLeftovers(_prefix);
    }

}

/// <summary>The association specs with reading only on each connection's own thread (no hot reads).</summary>
public sealed class AssociationWithoutHotReadsSpecs(ITestOutputHelper output)
    : AssociationSpecs(output, "akka.remote.pipe.hot-read-window = 0");

/// <summary>
/// The association specs with a read buffer smaller than the large payloads: hot reading must hand such a frame to the
/// connection's own thread, which finishes it with a waiting read.
/// </summary>
public sealed class AssociationWithSmallReadBufferSpecs(ITestOutputHelper output)
    : AssociationSpecs(output, "akka.remote.pipe.read-buffer-size = 4KiB");
