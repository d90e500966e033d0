using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace XStateNet.Actors.Transport.Pipes.Tests.Specs;

/// <summary>DeathWatch across a pipe, and association again once a stopped listener is back.</summary>
public sealed class DeathWatchSpecs : TestKit
{
    private const int RightPort = 20_001;
    private readonly string _prefix;
    private readonly List<ActorSystem> _others = [];

    public DeathWatchSpecs(ITestOutputHelper output) : this(PipeNodes.UniquePrefix(), output)
    {
    }

    private DeathWatchSpecs(string prefix, ITestOutputHelper output) : base(PipeNodes.Config(prefix), "Left", output)
    {
        _prefix = prefix;
    }

    [Fact]
    public async Task Stopping_the_remote_system_delivers_Terminated_for_its_watched_actor()
    {
        var right = StartRight();
        var echo = await Sys.ActorSelection(EchoPath()).ResolveOne(TimeSpan.FromSeconds(10));
        Watch(echo);

        await right.Terminate();

        ExpectTerminated(echo, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task After_the_listener_stops_and_comes_back_at_the_same_address_messages_flow_again()
    {
        var right = StartRight();
        Sys.ActorSelection(EchoPath()).Tell("before");
        ExpectMsg("before", TimeSpan.FromSeconds(10));
        var rightPipe = PipeNodes.EndpointOf(_prefix, RightPort).SocketPath!;

        await right.Terminate();
        Assert.False(File.Exists(rightPipe));
        StartRight();

        // Akka gates the old address briefly (retry-gate-closed-for); keep asking until the new incarnation answers.
        await AwaitAssertAsync(() =>
        {
            Sys.ActorSelection(EchoPath()).Tell("after");
            ExpectMsg("after", TimeSpan.FromMilliseconds(500));
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
    }

    private ActorSystem StartRight()
    {
        var right = ActorSystem.Create("Right", PipeNodes.Config(_prefix, RightPort));
        right.ActorOf(Echo.Props(), "echo");
        _others.Add(right);
        return right;
    }

    private ActorPath EchoPath() => new RootActorPath(new Address("akka.pipe", "Right", "localhost", RightPort)) / "user" / "echo";

    protected override void AfterAll()
    {
        foreach (var other in _others) other.Terminate().Wait(TimeSpan.FromSeconds(10));
        base.AfterAll();
        PipeNodes.RemoveLeftovers(_prefix);
    }
}
