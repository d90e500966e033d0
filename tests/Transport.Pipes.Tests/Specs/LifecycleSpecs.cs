using System.Net.Sockets;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using XStateNet.Actors.Hosting;

namespace XStateNet.Actors.Transport.Pipes.Tests.Specs;

/// <summary>What the transport creates on disk, and that it leaves nothing behind.</summary>
public sealed class LifecycleSpecs : IDisposable
{
    private readonly string _prefix = PipeNodes.UniquePrefix();

    [Fact]
    public async Task A_socket_file_left_by_a_dead_process_does_not_block_a_new_listener()
    {
        var endpoint = PipeNodes.EndpointOf(_prefix, 20_001);
        LeaveStaleSocket(endpoint.SocketPath!);
        Assert.True(File.Exists(endpoint.SocketPath));

        var node = ActorSystem.Create("Node", PipeNodes.Config(_prefix, 20_001));
        var peer = ActorSystem.Create("Peer", PipeNodes.Config(_prefix));
        try
        {
            node.ActorOf(Specs.Echo.Props(), "echo");
            var echo = await peer.ActorSelection("akka.pipe://Node@localhost:20001/user/echo").ResolveOne(TimeSpan.FromSeconds(10));
            Assert.Equal("back", await echo.Ask<string>("back", TimeSpan.FromSeconds(10)));
        }
        finally
        {
            await Task.WhenAll(node.Terminate(), peer.Terminate());
        }
    }

    [Fact]
    public async Task A_port_held_by_a_live_listener_is_refused_with_a_clear_error()
    {
        var system = ActorSystem.Create("Local", "akka.loglevel = WARNING");
        var section = PipeNodes.Config(_prefix, 20_002).GetConfig("akka.remote.pipe");
        var first = new PipeTransport(system, section);
        var second = new PipeTransport(system, section);
        try
        {
            await first.Listen();
            var error = await Assert.ThrowsAsync<IOException>(() => second.Listen());
            Assert.Equal("Pipe port 20002 on 'localhost' is in use by a live process.", error.Message);
        }
        finally
        {
            await first.Shutdown();
            await second.Shutdown();
            await system.Terminate();
        }
    }

    [Fact]
    public async Task A_node_started_on_a_port_another_node_holds_fails_to_start_and_says_why()
    {
        var holder = ActorSystem.Create("Holder", PipeNodes.Config(_prefix, 20_004));
        try
        {
            var starting = Task.Run(() => ActorSystem.Create("Second", PipeNodes.Config(_prefix, 20_004)));
            var finished = await Task.WhenAny(starting, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.True(finished == starting, "ActorSystem.Create neither started nor failed within 30 s");
            var error = await Assert.ThrowsAnyAsync<Exception>(() => starting);
            Assert.Contains("Pipe port 20004 on 'localhost' is in use by a live process.", error.ToString());
            Assert.True(File.Exists(PipeNodes.EndpointOf(_prefix, 20_004).SocketPath), "the holder's pipe must survive");
        }
        finally
        {
            await holder.Terminate();
        }
    }

    [Fact]
    public async Task WithPipeRemoting_switches_a_hosted_node_to_pipes()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("Hosted", builder => builder
                .AddHocon($"akka.remote.pipe.file-prefix = \"{_prefix}\"", HoconAddMode.Prepend)
                .WithPipeRemoting(new PipeRemotingOptions { HostName = "localhost", Port = 20_003 })))
            .Build();
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            Assert.Equal(new Address("akka.pipe", "Hosted", "localhost", 20_003), PipeNodes.AddressOf(system));
            Assert.True(File.Exists(PipeNodes.EndpointOf(_prefix, 20_003).SocketPath));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    public void Dispose() => PipeNodes.RemoveLeftovers(_prefix);

    /// <summary>
    /// A Unix socket file with no listener behind it, as a killed process leaves. (.NET removes a socket's file when
    /// the socket is closed, so bind elsewhere, hard-link the file to the path, and close.)
    /// </summary>
    private static void LeaveStaleSocket(string path)
    {
        var temporary = path + ".tmp";
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            socket.Bind(new UnixDomainSocketEndPoint(temporary));
            socket.Listen();
            Assert.Equal(0, Link(temporary, path));
        }

        File.Delete(temporary);
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string created);
}
