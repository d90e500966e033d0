using System.Reflection;

namespace XStateNet.Actors.MultiProcess.Tests.Harness;

/// <summary>Where the node host and the HOCON files are, as the build recorded them.</summary>
public static class NodeHostLocation
{
    /// <summary>The built node host, from <c>[AssemblyMetadata("NodeHostPath")]</c> (written by the csproj).</summary>
    public static string NodeHostDll { get; } = Find();

    /// <summary>The <c>dotnet</c> that runs this test process, so children run on the same runtime.</summary>
    public static string DotnetHost { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>The ready file <paramref name="fileName"/> from the repository's <c>hocon/</c>, copied beside the tests.</summary>
    public static string HoconFile(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "hocon", fileName);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"hocon/{fileName} is not in the repository (or was not copied beside the tests)", path);
    }

    private static string Find()
    {
        var recorded = typeof(NodeHostLocation).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "NodeHostPath")?.Value;
        if (string.IsNullOrEmpty(recorded)) throw new InvalidOperationException("the build did not record NodeHostPath");
        return File.Exists(recorded)
            ? recorded
            : throw new FileNotFoundException($"the node host is not built at {recorded}; build tests/NodeHost first", recorded);
    }
}
