using System.Reflection;
using Akka.Configuration;
using Akka.Remote;

namespace XStateNet.Actors.Transport.Tests;

public sealed class StartupFailureSpecs
{
    private static readonly Config Enabled = ConfigurationFactory.ParseString("akka.remote.enabled-transports = [\"akka.remote.shm\"]");

    [Fact]
    public void The_transports_own_configuration_error_comes_first_with_the_enabled_transports()
    {
        var cause = new ConfigurationException("akka.remote.shm.ring-size: 5000 is not a power of two");
        var failure = new AggregateException(new AggregateException(new TargetInvocationException(cause)));

        var explained = StartupFailure.Explain(failure, Enabled);

        var error = Assert.IsType<ConfigurationException>(explained);
        Assert.StartsWith("akka.remote.shm.ring-size: 5000 is not a power of two", error.Message);
        Assert.Contains("akka.remote.enabled-transports = [akka.remote.shm]", error.Message);
        Assert.Same(failure, error.InnerException);
    }

    [Fact]
    public void Another_cause_comes_first_in_a_remote_transport_exception()
    {
        var cause = new IOException("/tmp/nowhere: no such directory");
        var failure = new AggregateException(new RemoteTransportException("Startup failed", new TargetInvocationException(cause)));

        var explained = StartupFailure.Explain(failure, Enabled);

        Assert.IsType<RemoteTransportException>(explained);
        Assert.StartsWith("/tmp/nowhere: no such directory", explained!.Message);
    }

    [Fact]
    public void A_configuration_error_thrown_as_it_is_is_left_alone()
    {
        Assert.Null(StartupFailure.Explain(new ConfigurationException("akka.remote.pipe: port must be 0..65535"), Enabled));
    }
}
