using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Xunit.Abstractions;

namespace XStateNet.Actors.Packaging.Tests;

/// <summary>
/// Packs the libraries, then builds and runs a user's project (<c>Consumer/</c>) that restores them from a local
/// folder feed, with no project references: two processes talk over shared memory with the configuration the
/// packages embed. Everything runs in a temporary folder; the repository's own build output is not touched.
/// </summary>
public sealed class PackageConsumerSpecs(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Libraries =
    [
        "src/Transport.Core/XStateNet.Actors.Transport.Core.csproj",
        "src/Runtime/XStateNet.Actors.Runtime.csproj",
        "src/Transport.Pipes/XStateNet.Actors.Transport.Pipes.csproj",
        "src/Transport.SharedMemory/XStateNet.Actors.Transport.SharedMemory.csproj",
    ];

    private static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(5);

    // A version no earlier run used, so NuGet's package cache cannot hand back a stale build; removed afterwards.
    private readonly string _version = $"0.0.0-consumer.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
    private readonly string _work = Directory.CreateTempSubdirectory("xsn-pkg-").FullName;
    private readonly string _shm = Path.Combine("/dev/shm", $"xsn-pkg-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_user_project_restores_the_packages_from_a_folder_and_talks_over_shared_memory()
    {
        var root = RepositoryRoot();
        var feed = Directory.CreateDirectory(Path.Combine(_work, "feed")).FullName;
        var artifacts = Path.Combine(_work, "artifacts");
        foreach (var library in Libraries)
            await RunAsync("dotnet", ["pack", Path.Combine(root, library), "-c", "Release", "-o", feed,
                "--artifacts-path", artifacts, $"-p:Version={_version}"], root);

        foreach (var package in Directory.GetFiles(feed, "*.nupkg")) CheckPackage(package);
        Assert.Equal(Libraries.Length, Directory.GetFiles(feed, "*.nupkg").Length);

        var consumer = Directory.CreateDirectory(Path.Combine(_work, "consumer")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(root, "tests", "Packaging.Tests", "Consumer")))
            File.Copy(file, Path.Combine(consumer, Path.GetFileName(file)));
        await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="xstatenet-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        await RunAsync("dotnet", ["build", consumer, "-c", "Release", "-o", Path.Combine(consumer, "out"), $"-p:XStateNetVersion={_version}"], consumer);

        if (OperatingSystem.IsWindows())
        {
            Assert.Fail("The shared-memory transport runs on Linux.");
            return;
        }

        Directory.CreateDirectory(_shm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var result = await RunAsync("dotnet", [Path.Combine(consumer, "out", "Consumer.dll"), _shm], consumer);
        Assert.Contains("RESULT 42 from pong", result);
    }

    /// <summary>Each package carries its README, the license, XML docs, and no test or sample assembly.</summary>
    private static void CheckPackage(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("README.md", names);
        Assert.Contains("LICENSE", names);
        Assert.Contains(names, n => n.StartsWith("lib/net10.0/", StringComparison.Ordinal) && n.EndsWith(".xml", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.Contains("Tests", StringComparison.Ordinal) || n.Contains("Sample", StringComparison.Ordinal));
    }

    private async Task<string> RunAsync(string file, string[] arguments, string directory)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var text = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(StepLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        text.Append(await stdout).Append(await stderr);
        var all = text.ToString();
        if (!process.HasExited || process.ExitCode != 0)
        {
            output.WriteLine(all);
            Assert.Fail($"'{file} {string.Join(' ', arguments)}' failed (exit {(process.HasExited ? process.ExitCode : -1)}); its output is above.");
        }

        return all;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "XStateNet.Actors.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (XStateNet.Actors.sln) was not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        TryDelete(_work);
        TryDelete(_shm);
        // The unique version's copies in NuGet's global package folder.
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                       ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var library in Libraries)
        {
            var id = Path.Combine(packages, Path.GetFileNameWithoutExtension(library).ToLowerInvariant());
            TryDelete(Path.Combine(id, _version));
            if (Directory.Exists(id) && !Directory.EnumerateFileSystemEntries(id).Any()) TryDelete(id);
        }
    }

    private static void TryDelete(string directory)
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
}
