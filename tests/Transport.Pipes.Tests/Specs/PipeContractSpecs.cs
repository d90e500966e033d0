using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Transport.Contract;
using XStateNet.Actors.Transport.Pipes.Tests.Support;

namespace XStateNet.Actors.Transport.Pipes.Tests.Specs;

/// <summary>The same-host transport contract (<see cref="TransportContractSpec"/>) over named pipes.</summary>
public class PipeContractSpecs : TransportContractSpec
{
    private readonly TestPipeDirectory _directory = new();
    private readonly string _prefix = PipeNodes.UniquePrefix();

    protected override string Scheme => "pipe";

    protected override Akka.Remote.Transport.Transport Create(string settings) =>
        new PipeTransport(System, ConfigurationFactory.ParseString($$"""
            directory = "{{_directory.Path}}"
            file-prefix = "{{_prefix}}"
            {{settings}}
            """));

    protected override string ListenerSocketOf(Address address) =>
        Path.Combine(_directory.Path, $"{_prefix}-{address.Host}-{address.Port}");

    protected override IReadOnlyList<string> Leftovers() => Directory.GetFileSystemEntries(_directory.Path);

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            _directory.Dispose();
        }
    }
}

/// <summary>The contract with reading only on each connection's own thread (no hot reads).</summary>
public sealed class PipeContractWithoutHotReadsSpecs : PipeContractSpecs
{
    protected override string Variant => "hot-read-window = 0";
}

/// <summary>
/// The contract with a read buffer smaller than the large payloads: hot reading must hand such a frame to the
/// connection's own thread, which finishes it with a waiting read.
/// </summary>
public sealed class PipeContractWithSmallReadBufferSpecs : PipeContractSpecs
{
    protected override string Variant => "read-buffer-size = 4KiB";
}
