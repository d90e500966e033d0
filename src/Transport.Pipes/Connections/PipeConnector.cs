using System.IO.Pipes;

namespace XStateNet.Actors.Transport.Pipes.Connections;

/// <summary>
/// Connects to a peer's pipe within a time limit, whatever the listener does.
/// </summary>
/// <remarks>
/// .NET's <see cref="NamedPipeClientStream"/> connects with a blocking <c>connect</c> and looks at its timeout only
/// between attempts: a listener that never accepts (its backlog full: a hung or stopped process, or a stranger's
/// socket under our name) blocks it for good. The wait for it is bounded here, so an association attempt fails after
/// <c>connection-timeout</c> with a clear error; the blocked connect itself finishes (and its stream is dropped) when
/// the listener accepts or goes away. A non-blocking connect of our own (the socket then handed to .NET) would not
/// leave that thread behind; it was tried and dropped: the multi-process ring spec failed three runs in a row with it.
/// That spec also fails on the code before this change when the machine is as loaded, so the cause is not settled,
/// and .NET's own connect is kept until it is.
/// </remarks>
internal static class PipeConnector
{
    /// <summary>A connected client stream to <paramref name="pipeName"/>.</summary>
    /// <exception cref="TimeoutException">The listener did not accept within <paramref name="timeout"/>.</exception>
    public static async Task<NamedPipeClientStream> ConnectAsync(string pipeName, PipeOptions options, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var client = new NamedPipeClientStream(".", pipeName, PipeDirection.InOut, options);
        var connecting = client.ConnectAsync((int)timeout.TotalMilliseconds, cancellationToken);
        try
        {
            await connecting.WaitAsync(timeout + TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch (TimeoutException)
        {
            _ = connecting.ContinueWith(static (_, c) => ((NamedPipeClientStream)c!).Dispose(), client, TaskScheduler.Default);
            throw new TimeoutException(
                $"the listener at '{pipeName}' accepted nothing within {timeout.TotalMilliseconds:0} ms " +
                "(its backlog is full: is its process hung or stopped?)");
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
