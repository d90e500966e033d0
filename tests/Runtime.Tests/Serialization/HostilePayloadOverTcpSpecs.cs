using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Serialization;
using Xunit.Abstractions;
using AkkaSerializer = Akka.Serialization.Serializer;

namespace XStateNet.Actors.Tests.Serialization;

/// <summary>
/// A peer sends, over Akka's TCP, a message nested 30,000 deep and one naming a file handle, then ordinary ones: the
/// receiving system refuses each hostile message alone (and logs why), survives, and goes on serving.
/// </summary>
public sealed class HostilePayloadOverTcpSpecs : TestKit
{
    private readonly ActorSystem _receiver;
    private readonly Address _receiverAddress;
    private readonly List<string> _receiverLog = [];

    private readonly ITestOutputHelper _output;

    public HostilePayloadOverTcpSpecs(ITestOutputHelper output) : base(Node(hostile: true), "hostile", output)
    {
        _output = output;
        _receiver = ActorSystem.Create("receiver", Node(hostile: false));
        _receiver.ActorOf(Props.Create(() => new Echo()), "echo");
        var log = _receiver.ActorOf(Props.Create(() => new LogCollector(_receiverLog)), "log");
        _receiver.EventStream.Subscribe(log, typeof(LogEvent));
        _receiverAddress = ((ExtendedActorSystem)_receiver).Provider.DefaultAddress;
    }

    [Fact]
    public void The_receiver_refuses_hostile_messages_alone_and_keeps_serving()
    {
        var echo = Sys.ActorSelection(new RootActorPath(_receiverAddress) / "user" / "echo");
        echo.Tell(new MachineEvent("FIRST"));
        ExpectMsg<MachineEvent>(e => e.Name == "FIRST", TimeSpan.FromSeconds(20));

        var writer = new HyperionSerializer((ExtendedActorSystem)Sys, HyperionSettings.Default with { DisallowUnsafeTypes = false });
        var deep = DeepPayload.Build(writer.ToBinary, value => new List<object> { value }, 1, 30_000);
        echo.Tell(new RawHyperion(deep));
        echo.Tell(new MachineEvent("AFTER_DEEP"));
        ExpectMsg<MachineEvent>(e => e.Name == "AFTER_DEEP", TimeSpan.FromSeconds(20));

        var path = Path.Combine(Path.GetTempPath(), $"xstatenet-handle-{Guid.NewGuid():N}");
        try
        {
            using (var file = new FileStream(path, FileMode.CreateNew))
            {
                echo.Tell(new RawHyperion(writer.ToBinary(new MachineEvent("HANDLE", file.SafeFileHandle))));
            }
        }
        finally
        {
            File.Delete(path);
        }
        echo.Tell(new MachineEvent("AFTER_HANDLE"));
        ExpectMsg<MachineEvent>(e => e.Name == "AFTER_HANDLE", TimeSpan.FromSeconds(20));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        AwaitAssert(() =>
        {
            lock (_receiverLog)
            {
                Assert.Contains(_receiverLog, line => line.Contains($"{HyperionSettings.Section}.max-depth = 128"));
                Assert.Contains(_receiverLog, line => line.Contains("Microsoft.Win32.SafeHandles.SafeFileHandle"));
            }
        }, TimeSpan.FromSeconds(10));
    }

    protected override void AfterAll()
    {
        lock (_receiverLog)
        {
            foreach (var line in _receiverLog) _output.WriteLine($"receiver: {line}");
        }
        _receiver.Terminate().Wait(TimeSpan.FromSeconds(10));
        base.AfterAll();
    }

    // The hostile node writes RawHyperion messages as their bytes, under the runtime serializer's id.
    private static Config Node(bool hostile) => ConfigurationFactory.ParseString($$"""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, maximum-frame-size = 1MiB, send-buffer-size = 2MiB, receive-buffer-size = 2MiB }
        {{(hostile ? $"akka.actor.serializers.hyperion = \"{typeof(RawHyperionSerializer).AssemblyQualifiedName}\"" : "")}}
        """).WithFallback(XStateNetConfig.Default);

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }

    private sealed class LogCollector : ReceiveActor
    {
        public LogCollector(List<string> lines) => Receive<LogEvent>(entry =>
        {
            lock (lines) lines.Add($"{entry.Message} {entry.Cause}");
        });
    }
}

/// <summary>Bytes a hostile peer crafted, sent as a Hyperion message.</summary>
public sealed record RawHyperion(byte[] Bytes);

/// <summary>The runtime's serializer, except that it sends <see cref="RawHyperion"/> bytes as they are.</summary>
public sealed class RawHyperionSerializer(ExtendedActorSystem system) : AkkaSerializer(system)
{
    /// <summary>Created by Akka with the serializer's settings section, which it ignores.</summary>
    public RawHyperionSerializer(ExtendedActorSystem system, Config config) : this(system)
    {
    }

    private readonly HyperionSerializer _inner = new(system, HyperionSettings.Default with { DisallowUnsafeTypes = false });

    public override int Identifier => HyperionSerializer.SerializerIdentifier;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj) => obj is RawHyperion raw ? raw.Bytes : _inner.ToBinary(obj);

    public override object FromBinary(byte[] bytes, Type type) => _inner.FromBinary(bytes, type);
}
