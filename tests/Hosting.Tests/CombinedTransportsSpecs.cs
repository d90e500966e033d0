using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Remote.Hosting;

namespace XStateNet.Actors.Hosting.Tests;

/// <summary>
/// Ours next to Akka.Remote.Hosting's WithRemoting (TCP) and next to each other: every transport configured is
/// enabled, none is dropped silently, and the provider stays the liveness-aware one unless the node chose another.
/// </summary>
public sealed class CombinedTransportsSpecs
{
    [Theory]
    [InlineData(Builders.Pipe)]
    [InlineData(Builders.Shm)]
    public void WithRemoting_then_ours_enables_both_transports(string section)
    {
        var builder = Builders.New().WithRemoting("127.0.0.1", 0).WithTransport(section);

        Assert.Equal([Builders.Tcp, section], builder.EnabledTransports());
        Assert.Equal("127.0.0.1", builder.Hocon().GetString(Builders.Tcp + ".hostname"));
        // WithRemoting chose the plain remote provider on the builder, which would win over the ready file's HOCON.
        // (The host specs check that it is the liveness-aware one.)
        Assert.IsType<ProviderSelection.Custom>(builder.ActorRefProvider.Value);
    }

    [Fact]
    public void Tcp_pipes_and_shared_memory_run_side_by_side()
    {
        var builder = Builders.New()
            .WithRemoting(new RemoteOptions { HostName = "127.0.0.1", Port = 0 })
            .WithPipeRemoting(new PipeRemotingOptions())
            .WithShmRemoting(new ShmRemotingOptions());

        Assert.Equal([Builders.Tcp, Builders.Pipe, Builders.Shm], builder.EnabledTransports());
    }

    [Theory]
    [InlineData(Builders.Pipe)]
    [InlineData(Builders.Shm)]
    public void Ours_alone_enables_only_ours(string section)
    {
        var builder = Builders.New().WithTransport(section);

        Assert.Equal([section], builder.EnabledTransports());
        Assert.IsType<ProviderSelection.Custom>(builder.ActorRefProvider.Value);
    }

    [Fact]
    public void A_list_of_transports_the_node_wrote_itself_is_extended_not_replaced()
    {
        var builder = Builders.New()
            .AddHocon(ConfigurationFactory.ParseString("""akka.remote.enabled-transports = ["akka.remote.custom"]"""), HoconAddMode.Prepend)
            .WithShmRemoting(new ShmRemotingOptions());

        Assert.Equal(["akka.remote.custom", Builders.Shm], builder.EnabledTransports());
    }

    [Fact]
    public void A_provider_the_node_chose_stays()
    {
        var onBuilder = Builders.New().WithActorRefProvider(ProviderSelection.Cluster.Instance).WithPipeRemoting(new PipeRemotingOptions());
        Assert.IsType<ProviderSelection.Cluster>(onBuilder.ActorRefProvider.Value);

        var inHocon = Builders.New()
            .AddHocon(ConfigurationFactory.ParseString("akka.actor.provider = cluster"), HoconAddMode.Prepend)
            .WithShmRemoting(new ShmRemotingOptions());
        Assert.False(inHocon.ActorRefProvider.HasValue);
        Assert.Equal("cluster", inHocon.Hocon().GetString("akka.actor.provider"));
    }
}
