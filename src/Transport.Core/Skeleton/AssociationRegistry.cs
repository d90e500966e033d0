using System.Collections.Concurrent;

namespace XStateNet.Actors.Transport;

/// <summary>
/// The associations a transport has open, by reference. Never by Akka's handle equality: an
/// <see cref="Akka.Remote.Transport.AssociationHandle"/> equals any other with the same local and remote address, and two
/// nodes that associate with each other at once have two such twins, each of which must be tracked and closed.
/// </summary>
internal sealed class AssociationRegistry
{
    private readonly ConcurrentDictionary<ISameHostAssociation, byte> _open = new(ReferenceEqualityComparer.Instance);

    public int Count => _open.Count;

    public bool IsEmpty => _open.IsEmpty;

    /// <summary>A snapshot of the open associations.</summary>
    public ICollection<ISameHostAssociation> Open => _open.Keys;

    /// <summary>Tracks <paramref name="association"/> until its <see cref="ISameHostAssociation.Completion"/>.</summary>
    public void Add(ISameHostAssociation association)
    {
        _open[association] = 0;
        association.Completion.ContinueWith(
            static (_, state) =>
            {
                var (registry, closed) = ((AssociationRegistry, ISameHostAssociation))state!;
                registry._open.TryRemove(closed, out byte _);
            },
            (this, association), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Stops tracking <paramref name="association"/> (it has closed).</summary>
    public void Remove(ISameHostAssociation association) => _open.TryRemove(association, out _);

    /// <summary>Closes every open association and waits up to <paramref name="patience"/> for all of them to finish.</summary>
    public async Task CloseAllAsync(string reason, TimeSpan patience)
    {
        var open = _open.Keys.ToArray();
        foreach (var association in open) association.Close(reason);
        var closing = Task.WhenAll(open.Select(a => a.Completion));
        await Task.WhenAny(closing, Task.Delay(patience)).ConfigureAwait(false);
    }
}
