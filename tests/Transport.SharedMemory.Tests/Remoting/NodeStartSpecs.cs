using Akka.Actor;
using XStateNet.Actors.Tests.Shared;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>Starting a node where it cannot listen fails with the reason, and does not hang.</summary>
public sealed class NodeStartSpecs
{
    [Fact]
    public async Task A_node_started_on_a_port_another_node_holds_fails_to_start_and_says_why()
    {
        using var dir = new TempShmDirectory();
        var holder = ActorSystem.Create("holder", ShmNodes.Config(dir.Path, 23457));
        try
        {
            var starting = Task.Run(() => ActorSystem.Create("second", ShmNodes.Config(dir.Path, 23457)));
            var finished = await Task.WhenAny(starting, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.True(finished == starting, "ActorSystem.Create neither started nor failed within 30 s");

            var error = await Assert.ThrowsAnyAsync<Exception>(() => starting);
            Assert.Contains("a live node already owns", error.ToString());

            var target = holder.ActorOf(Props.Create(() => new Echo()), "target");
            Assert.Equal("still here", await target.Ask<string>("still here", TimeSpan.FromSeconds(5)));
        }
        finally
        {
            await holder.Terminate();
        }
    }
}
