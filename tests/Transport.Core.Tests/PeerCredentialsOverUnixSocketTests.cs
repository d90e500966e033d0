using System.Net.Sockets;

namespace XStateNet.Actors.Transport.Tests;

public sealed class PeerCredentialsOverUnixSocketTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "xsnt-cred-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void Both_ends_of_a_unix_socket_are_named_by_the_kernel_as_this_process_and_user()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(_path));
        listener.Listen();
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(_path));
        using var accepted = listener.Accept();

        foreach (var end in new[] { client, accepted })
        {
            var credentials = PeerCredentials.Of(end);
            Assert.NotNull(credentials);
            Assert.Equal(Environment.ProcessId, credentials.Value.ProcessId);
            Assert.Equal(PeerCredentials.CurrentUserId, credentials.Value.UserId);
        }
    }

    [Fact]
    public void A_socket_that_is_not_unix_has_no_credentials()
    {
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.Null(PeerCredentials.Of(tcp));
    }

    [Fact]
    public void The_current_user_is_the_real_uid_the_kernel_reports_for_this_process()
    {
        if (!OperatingSystem.IsLinux()) return;
        var owner = uint.Parse(File.ReadAllText("/proc/self/status").Split('\n').First(l => l.StartsWith("Uid:")).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.Equal(owner, PeerCredentials.CurrentUserId);
    }

    public void Dispose()
    {
        if (File.Exists(_path)) File.Delete(_path);
    }
}
