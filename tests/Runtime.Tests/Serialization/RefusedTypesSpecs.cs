using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Microsoft.Win32.SafeHandles;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Serialization;

namespace XStateNet.Actors.Tests.Serialization;

/// <summary>
/// Handles and other dangerous types are refused when their name is read, before any instance exists (a
/// SafeFileHandle read from a peer used to close the node's fd 0 when collected), with and without an allow-list;
/// and <c>allowed-types</c> admits only the listed types and what the runtime needs to carry them.
/// </summary>
public sealed class RefusedTypesSpecs() : TestKit(XStateNetConfig.Default, "refused-types")
{
    private HyperionSerializer Reader(string allowedTypes = "") => new((ExtendedActorSystem)Sys,
        HyperionSettings.From(ConfigurationFactory.ParseString($"allowed-types = [{allowedTypes}]")));

    // What a hostile peer sends: a serializer that refuses nothing writes the bytes.
    private HyperionSerializer Trusting() => new((ExtendedActorSystem)Sys, HyperionSettings.Default with { DisallowUnsafeTypes = false });

    // A message whose value is of the named type, with no fields: the name alone decides, as it must.
    private static byte[] Naming(string typeName)
    {
        var name = Encoding.UTF8.GetBytes(typeName);
        return [0xFB, .. BitConverter.GetBytes(name.Length), .. name, 0];
    }

    private const string EveryListed = "\"System.*\", \"Microsoft.*\", \"XStateNet.*\"";

    public static TheoryData<string, string> DangerousNames => new()
    {
        { "Microsoft.Win32.SafeHandles.SafeFileHandle, System.Private.CoreLib", "SafeFileHandle" },
        { "System.Net.Sockets.SafeSocketHandle, System.Net.Sockets", "SafeSocketHandle" },
        { "System.Action, System.Private.CoreLib", "System.Action" },
        { "System.IO.FileInfo, System.Private.CoreLib", "FileInfo" },
        { "System.Diagnostics.Process, System.Diagnostics.Process", "System.Diagnostics.Process" },
        { "System.IO.FileStream, System.Private.CoreLib", "System.IO.FileStream" },
        { "System.RuntimeType, System.Private.CoreLib", "System.RuntimeType" },
        { "System.Reflection.RuntimeMethodInfo, System.Private.CoreLib", "RuntimeMethodInfo" },
        { "System.Threading.Thread, System.Private.CoreLib", "System.Threading.Thread" },
        { "System.WeakReference, System.Private.CoreLib", "System.WeakReference" },
        { "System.Collections.Generic.List`1[[Microsoft.Win32.SafeHandles.SafeFileHandle, System.Private.CoreLib]], System.Private.CoreLib", "SafeFileHandle" },
        { "Microsoft.Win32.SafeHandles.SafeFileHandle[], System.Private.CoreLib", "SafeFileHandle" },
        { $"{typeof(HandleOfOurOwn).FullName}, {typeof(HandleOfOurOwn).Assembly.GetName().Name}", nameof(HandleOfOurOwn) },
        { $"{typeof(Finalizable).FullName}, {typeof(Finalizable).Assembly.GetName().Name}", nameof(Finalizable) },
    };

    [Theory]
    [MemberData(nameof(DangerousNames))]
    public void Dangerous_types_are_refused_by_name_with_an_error_naming_them(string typeName, string named)
    {
        foreach (var reader in new[] { Reader(), Reader(EveryListed) })
        {
            var error = Assert.Throws<SerializationException>(() => reader.FromBinary(Naming(typeName), null));
            Assert.Contains(named, error.Message);
            Assert.Contains("disallow-unsafe-type", error.Message);
        }
    }

    [Fact]
    public void A_file_handle_sent_by_a_peer_is_refused_before_it_exists_so_its_fd_stays_open()
    {
        var path = Path.Combine(Path.GetTempPath(), $"xstatenet-handle-{Guid.NewGuid():N}");
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite);
            var payload = Trusting().ToBinary(new MachineEvent("E", file.SafeFileHandle));

            foreach (var reader in new[] { Reader(), Reader($"\"{typeof(SafeFileHandle).FullName}\", {EveryListed}") })
            {
                var error = Assert.Throws<SerializationException>(() => reader.FromBinary(payload, null));
                Assert.Contains(typeof(SafeFileHandle).FullName!, error.Message);
            }

            // Had a copy of the handle been made, collecting it would close the fd under the file.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            file.Write("still open"u8);
            file.Flush();
            Assert.Equal(10, new FileInfo(path).Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Delegates_sockets_files_and_processes_written_by_a_peer_are_refused_naming_their_type()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var process = new Process();
        var payloads = new (object Value, string Named)[]
        {
            (socket.SafeHandle, "SafeSocketHandle"),
            ((Action)(() => { }), "System.Action"),
            (new FileInfo("/etc/hostname"), "System.IO.FileInfo"),
            (new HandleOfOurOwn(), nameof(HandleOfOurOwn)),
            (process, "System.Diagnostics.Process"),
        };
        var trusting = Trusting();
        var written = new List<string>();
        foreach (var (value, named) in payloads)
        {
            byte[] bytes;
            try
            {
                bytes = trusting.ToBinary(new MachineEvent("E", value));
            }
            catch (SerializationException)
            {
                continue; // Hyperion cannot even write it; the by-name theory covers reading its name.
            }
            written.Add(named);
            foreach (var reader in new[] { Reader(), Reader(EveryListed) })
            {
                var error = Assert.Throws<SerializationException>(() => reader.FromBinary(bytes, null));
                Assert.Contains(named, error.Message);
            }
        }
        Assert.Contains("SafeSocketHandle", written);
        Assert.Contains("System.IO.FileInfo", written);
    }

    [Fact]
    public void A_node_does_not_send_what_its_peers_would_refuse()
    {
        var error = Assert.Throws<SerializationException>(() => Reader().ToBinary(new FileInfo("/etc/hostname")));
        Assert.Contains("System.IO.FileInfo", error.Message);
    }

    [Fact]
    public void The_allow_list_no_longer_admits_every_system_type()
    {
        var writer = Trusting();
        var listed = Reader($"\"{typeof(SaveRequest).FullName}\"");

        var error = Assert.Throws<SerializationException>(() => listed.FromBinary(writer.ToBinary(new MachineEvent("E", new StringBuilder("x"))), null));
        Assert.Contains("System.Text.StringBuilder", error.Message);
        Assert.Contains($"{HyperionSettings.Section}.allowed-types", error.Message);
        Assert.Throws<SerializationException>(() => listed.FromBinary(writer.ToBinary(new MachineEvent("E", new Uri("http://x/"))), null));
    }

    [Fact]
    public void With_an_allow_list_listed_types_and_what_the_runtime_needs_still_round_trip()
    {
        var writer = Trusting();
        var listed = Reader($"\"{typeof(SaveRequest).FullName}\", \"{typeof(Order).FullName}\", \"{typeof(OrderLine).FullName}\"");
        T RoundTrip<T>(T value) => (T)listed.FromBinary(writer.ToBinary(value!), null);

        Assert.Equal(new SaveRequest("a", 1), RoundTrip(new MachineEvent("E", new SaveRequest("a", 1))).Data);
        var order = (Order)RoundTrip(new MachineEvent("E", new Order(1, new List<OrderLine> { new("x", 1, 1m) }))).Data!;
        Assert.Equal("x", order.Lines[0].Item);
        object[] values =
        [
            42, 7L, 2.5, 1.5m, "text", 'c', true, Guid.NewGuid(), new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(3), new List<int> { 1, 2 }, new[] { "a", "b" }, new int?[] { 1, null },
            new Dictionary<string, object?> { ["n"] = 1, ["list"] = new List<object?> { "a", null } },
            new HashSet<string> { "s" }, (1, "two"), Tuple.Create(1, "one"), new KeyValuePair<string, int>("k", 1),
        ];
        foreach (var value in values) Assert.Equal(value, RoundTrip(new MachineEvent("E", value)).Data);
        var snapshot = RoundTrip(new MachineSnapshot("m", ["a"], false, new Dictionary<string, object?> { ["n"] = 1 }));
        Assert.Equal(1, snapshot.Context["n"]);
    }

    [Fact]
    public void With_an_allow_list_an_anonymous_payload_still_reads_through_dynamic()
    {
        var listed = Reader($"\"{typeof(SaveRequest).FullName}\"");
        var sent = new MachineEvent("PROCESS_DATA", new { File = "a.txt", Size = 3, Meta = new { Encoding = "utf-8" }, Tags = new[] { new { Name = "t" } } });

        var back = (MachineEvent)listed.FromBinary(Reader().ToBinary(sent), null);

        dynamic data = DynamicPayload.Wrap(back.Data)!;
        Assert.Equal("a.txt", (string)data.File);
        Assert.Equal(3, (int)data.Size);
        Assert.Equal("utf-8", (string)data.Meta.Encoding);
        var tags = (List<object?>)((Dictionary<string, object?>)back.Data!)["Tags"]!;
        dynamic tag = DynamicPayload.Wrap(tags[0])!;
        Assert.Equal("t", (string)tag.Name);
    }

    [Fact]
    public void Turned_off_between_trusted_peers_a_type_with_a_finalizer_is_read()
    {
        var trusting = Trusting();
        var payload = trusting.ToBinary(new MachineEvent("E", new Finalizable()));
        Assert.IsType<Finalizable>(((MachineEvent)trusting.FromBinary(payload, null)).Data);
    }
}

/// <summary>A handle type outside .NET's namespaces: refused for what it derives from, not for its name.</summary>
public sealed class HandleOfOurOwn() : SafeHandle(IntPtr.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => true;
}

/// <summary>A type with a finalizer, which would run on fields a peer chose.</summary>
public sealed class Finalizable
{
    public int Resource { get; set; }

    ~Finalizable() => Resource = 0;
}
