using Akka.Configuration;
using XStateNet.Actors.Transport.Pipes;

namespace XStateNet.Actors.Hosting;

/// <summary>
/// The named-pipe transport (<c>akka.remote.pipe</c>, addresses <c>akka.pipe://&lt;system&gt;@&lt;HostName&gt;:&lt;Port&gt;</c>)
/// for <see cref="PipeRemotingHostingExtensions.WithPipeRemoting(Akka.Hosting.AkkaConfigurationBuilder, PipeRemotingOptions)"/>.
/// Every property is shared with <c>ShmRemotingOptions</c>; null keeps the default of the transport's
/// <c>reference.conf</c> (<see cref="PipeConfig.Reference"/>): <see cref="TransportRemotingOptions.Directory"/> is then
/// the temporary directory and <see cref="TransportRemotingOptions.FilePrefix"/> <c>xstatenet-pipe</c>.
/// </summary>
public sealed class PipeRemotingOptions : TransportRemotingOptions
{
    internal override string Section => "akka.remote.pipe";

    internal override Config ReadyConfig => PipeConfig.Ready;
}
