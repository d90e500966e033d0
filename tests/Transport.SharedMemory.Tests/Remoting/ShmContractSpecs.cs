using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Transport.Contract;
using XStateNet.Actors.Tests.Shared;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>The same-host transport contract (<see cref="TransportContractSpec"/>) over shared memory.</summary>
public class ShmContractSpecs : TransportContractSpec
{
    private readonly TempShmDirectory _directory = new();
    // The test's own prefix: its segments are the memfds of this process whose names start with it.
    private readonly string _prefix = TestSegments.UniqueName();

    protected override string Scheme => "shm";

    protected override Akka.Remote.Transport.Transport Create(string settings) =>
        new ShmTransport(System, ConfigurationFactory.ParseString($$"""
            directory = "{{_directory.Path}}"
            file-prefix = "{{_prefix}}"
            {{settings}}
            """));

    protected override string ListenerSocketOf(Address address) => _directory.File($"{_prefix}-{address.Host}-{address.Port}.sock");

    protected override IReadOnlyList<string> Leftovers() => [.. _directory.Files(), .. TestSegments.Mapped(_prefix)];

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

/// <summary>The contract with each ring read only by its association's own thread (no hot reads).</summary>
public sealed class ShmContractWithoutHotReadsSpecs : ShmContractSpecs
{
    protected override string Variant => "hot-read-window = 0";
}
