using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Transport.Pipes.Naming;

namespace XStateNet.Actors.Transport.Pipes.Tests;

/// <summary>Node configurations for specs: pipes.conf with a pipe-name prefix of the test's own, so tests never share a pipe.</summary>
internal static class PipeNodes
{
    public static string UniquePrefix() => "xsnt-" + Guid.NewGuid().ToString("N")[..10];

    public static Config Config(string prefix, int port = 0, string extra = "") =>
        ConfigurationFactory.ParseString($$"""
            akka.loglevel = INFO
            akka.remote.pipe { file-prefix = "{{prefix}}", port = {{port}}, maximum-frame-size = 64000b }
            {{extra}}
            """)
            .WithFallback(PipeConfig.Ready)
            .WithFallback(XStateNetConfig.Default);

    public static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    public static PipeEndpoint EndpointOf(string prefix, int port) => PipeEndpoint.For("", prefix, "localhost", port);

    /// <summary>Files of ours (sockets, lock files) still in the pipe directory.</summary>
    public static string[] Leftovers(string prefix) => Directory.GetFiles(Path.GetTempPath(), prefix + "*");

    /// <summary>Removes whatever a failed test left behind.</summary>
    public static void RemoveLeftovers(string prefix)
    {
        foreach (var file in Leftovers(prefix))
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
            }
        }
    }
}
