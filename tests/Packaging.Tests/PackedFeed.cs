using System.Text.Json;
using System.Xml.Linq;

namespace XStateNet.Actors.Packaging.Tests;

/// <summary>
/// The libraries packed once into a local folder feed under a version no earlier run used (so NuGet's package cache
/// cannot hand back a stale build), shared by the consumer specs; removed afterwards with the version's copies in
/// NuGet's global package folder.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    public static readonly string[] Libraries =
    [
        "src/Transport.Core/XStateNet.Actors.Transport.Core.csproj",
        "src/Runtime/XStateNet.Actors.Runtime.csproj",
        "src/Transport.Pipes/XStateNet.Actors.Transport.Pipes.csproj",
        "src/Transport.SharedMemory/XStateNet.Actors.Transport.SharedMemory.csproj",
        "src/TestKit/XStateNet.Actors.TestKit.csproj",
    ];

    // A guard against a hung step, not a speed bound: on a busy 2-core machine one pack took over 5 minutes.
    public static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(10);

    public string Version { get; } = $"0.0.0-consumer.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    public string Work { get; } = Directory.CreateTempSubdirectory("xsn-pkg-").FullName;

    public string Root { get; } = RepositoryRoot();

    public string Feed => Path.Combine(Work, "feed");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        // One pack of a solution filter holding just the libraries: one restore and one build graph, instead of a
        // dotnet process per library that evaluates and restores the shared dependencies again each time.
        var filter = Path.Combine(Work, "libraries.slnf");
        File.WriteAllText(filter, JsonSerializer.Serialize(new
        {
            solution = new { path = Path.Combine(Root, "XStateNet.Actors.sln"), projects = Libraries },
        }));
        await Commands.RunAsync("dotnet", ["pack", filter, "-c", "Release", "-o", Feed,
            "--artifacts-path", Path.Combine(Work, "artifacts"), $"-p:Version={Version}"], Root, StepLimit);
    }

    /// <summary>A new folder for a user's project, with a nuget.config that adds the feed.</summary>
    public string NewConsumer(string name)
    {
        var consumer = Directory.CreateDirectory(Path.Combine(Work, name)).FullName;
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="xstatenet-local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        return consumer;
    }

    /// <summary>A package version pinned in the repository's Directory.Packages.props.</summary>
    public string PinnedVersion(string package) =>
        XDocument.Load(Path.Combine(Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .FirstOrDefault(element => (string?)element.Attribute("Include") == package)?.Attribute("Version")?.Value
        ?? throw new InvalidOperationException($"Directory.Packages.props pins no version of {package}");

    public Task DisposeAsync()
    {
        TryDelete(Work);
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                       ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var library in Libraries)
        {
            var id = Path.Combine(packages, Path.GetFileNameWithoutExtension(library).ToLowerInvariant());
            TryDelete(Path.Combine(id, Version));
            if (Directory.Exists(id) && !Directory.EnumerateFileSystemEntries(id).Any()) TryDelete(id);
        }
        return Task.CompletedTask;
    }

    public static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "XStateNet.Actors.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (XStateNet.Actors.sln) was not found above " + AppContext.BaseDirectory);
    }
}
