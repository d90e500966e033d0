using System.Text;
using Akka.Configuration;
using Akka.Hosting;
using XStateNet.Actors.Transport.SharedMemory;

namespace XStateNet.Actors.Hosting;

/// <summary>
/// The shared-memory transport (<c>akka.remote.shm</c>, addresses <c>akka.shm://&lt;system&gt;@&lt;HostName&gt;:&lt;Port&gt;</c>)
/// for <see cref="ShmRemotingHostingExtensions.WithShmRemoting(AkkaConfigurationBuilder, ShmRemotingOptions)"/>.
/// Every property but <see cref="RingSize"/> is shared with <c>PipeRemotingOptions</c>; null keeps the default
/// of the transport's <c>reference.conf</c> (<see cref="ShmConfig.Reference"/>): <see cref="TransportRemotingOptions.Directory"/>
/// is then <c>/dev/shm</c> and <see cref="TransportRemotingOptions.FilePrefix"/> <c>xstatenet-shm</c>.
/// </summary>
public sealed class ShmRemotingOptions : TransportRemotingOptions
{
    /// <summary>Bytes of each ring, one per direction of an association (<c>ring-size</c>): a power of two, 4 KiB to 1 GiB.</summary>
    public long? RingSize { get; set; }

    internal override string Section => "akka.remote.shm";

    internal override Config ReadyConfig => ShmConfig.Ready;

    private protected override void AppendOwnKeys(StringBuilder keys) => Append(keys, "ring-size", RingSize?.ToHocon());
}
