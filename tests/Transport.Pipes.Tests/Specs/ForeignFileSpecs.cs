using System.Net.Sockets;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Configuration;
using Akka.Remote.Transport;
using XStateNet.Actors.Transport.Pipes.Naming;
using XStateNet.Actors.Transport.Pipes.Tests.Support;

namespace XStateNet.Actors.Transport.Pipes.Tests.Specs;

/// <summary>
/// Anyone who may write to the pipe directory can put things under our names: a FIFO, a regular file, a directory,
/// or a socket whose listener never accepts. None of them may hang start-up, port probing or associating; each is
/// skipped or refused with a line that names it, and left alone.
/// </summary>
public sealed class ForeignFileSpecs : IDisposable
{
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(15);
    private readonly TestPipeDirectory _directory = new();
    private readonly string _prefix = PipeNodes.UniquePrefix();

    [Fact]
    public async Task Port_zero_skips_ports_whose_names_hold_a_FIFO_a_directory_or_a_file_saying_so_and_leaves_them_alone()
    {
        MakeFifo(Path.Combine(_directory.Path, $"{_prefix}-localhost-30100.lock"));
        Directory.CreateDirectory(Path.Combine(_directory.Path, $"{_prefix}-localhost-30101"));
        File.WriteAllText(Path.Combine(_directory.Path, $"{_prefix}-localhost-30102"), "not a socket");
        MakeFifo(Path.Combine(_directory.Path, $"{_prefix}-localhost-30103"));
        var skipped = new List<string>();

        var error = await Assert.ThrowsAsync<IOException>(() => Task.Run(() =>
            PortReservation.ReserveFree(Settings("free-port-min = 30100, free-port-max = 30103"), skipped.Add)).WaitAsync(NoHang));

        Assert.Contains("No free pipe port", error.Message);
        Assert.Equal(4, skipped.Count);
        Assert.Contains(skipped, line => line.Contains("30100") && line.Contains("is a FIFO"));
        Assert.Contains(skipped, line => line.Contains("30101") && line.Contains("is a directory"));
        Assert.Contains(skipped, line => line.Contains("30102") && line.Contains("is a regular file"));
        Assert.Contains(skipped, line => line.Contains("30103") && line.Contains("is a FIFO"));
        Assert.Equal(PipeFileKind.Fifo, PipeFile.Inspect(Path.Combine(_directory.Path, $"{_prefix}-localhost-30100.lock")).Kind);
        Assert.Equal(PipeFileKind.Regular, PipeFile.Inspect(Path.Combine(_directory.Path, $"{_prefix}-localhost-30102")).Kind);

        using var free = PortReservation.ReserveFree(Settings("free-port-min = 30100, free-port-max = 30104"), skipped.Add);
        Assert.Equal(30104, free.Port);
    }

    [Fact]
    public async Task A_node_on_a_fixed_port_whose_socket_name_is_a_FIFO_fails_to_start_naming_it_instead_of_hanging()
    {
        var fifo = Path.Combine(_directory.Path, $"{_prefix}-localhost-30110");
        MakeFifo(fifo);

        var starting = Task.Run(() => ActorSystem.Create("Blocked", NodeConfig(30110)));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => starting.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.IsNotType<TimeoutException>(error);
        Assert.Contains($"'{fifo}' is a FIFO", error.ToString());
        Assert.Equal(PipeFileKind.Fifo, PipeFile.Inspect(fifo).Kind);
    }

    [Fact]
    public async Task Associating_with_an_address_whose_socket_name_is_a_FIFO_fails_at_once()
    {
        MakeFifo(Path.Combine(_directory.Path, $"{_prefix}-localhost-30120"));
        await WithTransportAsync(async transport =>
        {
            var error = await Assert.ThrowsAsync<InvalidAssociationException>(() =>
                transport.Associate(new Address("akka.pipe", "Other", "localhost", 30120)).WaitAsync(NoHang));
            Assert.Contains("is a FIFO, not a socket", error.Message);
        });
    }

    [Fact]
    public async Task Associating_with_a_listener_whose_backlog_is_full_fails_after_the_connection_timeout()
    {
        var path = Path.Combine(_directory.Path, $"{_prefix}-localhost-30130");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(0);
        var fillers = FillBacklog(path);
        try
        {
            await WithTransportAsync(async transport =>
            {
                var remote = new Address("akka.pipe", "Hung", "localhost", 30130);
                var error = await Assert.ThrowsAsync<InvalidAssociationException>(() => transport.Associate(remote).WaitAsync(NoHang));
                Assert.Contains("backlog is full", error.Message);

                // And again: nothing is left blocked behind the first attempt.
                await Assert.ThrowsAsync<InvalidAssociationException>(() => transport.Associate(remote).WaitAsync(NoHang));
            });
        }
        finally
        {
            fillers.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void A_pipe_directory_that_does_not_exist_is_an_error_naming_the_key_and_is_not_created()
    {
        var missing = Path.Combine(_directory.Path, "missing");

        var error = Assert.Throws<ConfigurationException>(() => PortReservation.CheckDirectory(Settings($"directory = \"{missing}\"")));

        Assert.StartsWith("akka.remote.pipe.directory: the directory", error.Message);
        Assert.Contains(missing, error.Message);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task A_node_in_a_pipe_directory_it_cannot_write_fails_to_start_saying_so_not_that_the_port_is_in_use()
    {
        // Root may write anywhere a permission bit forbids, so as root use a directory no one can create files in.
        var readOnly = GetUid() == 0 ? "/proc/self/fdinfo" : Path.Combine(_directory.Path, "read-only");
        if (GetUid() != 0)
        {
            Directory.CreateDirectory(readOnly);
            TestPipeDirectory.Chmod(readOnly, 0x16D); // 0555
        }

        var starting = Task.Run(() => ActorSystem.Create("ReadOnly", NodeConfig(30140, readOnly)));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => starting.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains($"akka.remote.pipe.directory: this user (uid {GetUid()}) cannot create files in '{readOnly}'", error.ToString());
        Assert.DoesNotContain("in use", error.ToString());
    }

    public void Dispose() => _directory.Dispose();

    private PipeTransportSettings Settings(string extra) => PipeTransportSettings.Create(ConfigurationFactory.ParseString(
        $"file-prefix = \"{_prefix}\", directory = \"{_directory.Path}\"\n{extra}"));

    private Config NodeConfig(int port, string? directory = null) =>
        PipeNodes.Config(_prefix, port, $"akka.remote.pipe.directory = \"{directory ?? _directory.Path}\"\nakka.loglevel = WARNING");

    private async Task WithTransportAsync(Func<PipeTransport, Task> test)
    {
        var system = ActorSystem.Create("Local", "akka.loglevel = WARNING");
        var section = ConfigurationFactory.ParseString("connection-timeout = 1s").WithFallback(NodeConfig(0).GetConfig("akka.remote.pipe"));
        var transport = new PipeTransport(system, section);
        try
        {
            await transport.Listen();
            await test(transport);
        }
        finally
        {
            await transport.Shutdown();
            await system.Terminate();
        }
    }

    /// <summary>Connects without waiting until the listener's backlog takes no more.</summary>
    private static List<Socket> FillBacklog(string path)
    {
        var fillers = new List<Socket>();
        for (var i = 0; i < 16; i++)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
                fillers.Add(socket);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                socket.Dispose();
                return fillers;
            }
        }

        Assert.Fail("the listener's backlog never filled");
        return fillers;
    }

    private static void MakeFifo(string path) => Assert.Equal(0, MkFifo(path, 0x1B6));

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MkFifo(string path, uint mode);

    [DllImport("libc", EntryPoint = "getuid")]
    private static extern uint GetUid();
}
