using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Transport.Contract;
using XStateNet.Actors.Transport.Pipes.Tests.Support;

namespace XStateNet.Actors.Transport.Pipes.Tests.Specs;

/// <summary>The same-host transport contract (<see cref="TransportContractSpec"/>) over named pipes.</summary>
public sealed class PipeContractSpecs : TransportContractSpec
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
        await base.DisposeAsync();
        _directory.Dispose();
    }
}
