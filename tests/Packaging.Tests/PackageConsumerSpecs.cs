using System.IO.Compression;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace XStateNet.Actors.Packaging.Tests;

/// <summary>
/// Users' projects that restore the packed libraries from a local folder feed, with no project references:
/// a program whose two processes talk over shared memory with the configuration the packages embed
/// (<c>Consumer/</c>), and a test project that runs the multi-process sample (<c>samples/MultiProcessSpecs</c>) on the
/// TestKit package (<c>SpecsConsumer/</c>). Everything runs in a temporary folder; the repository's own build output
/// is not touched.
/// </summary>
public sealed partial class PackageConsumerSpecs(PackedFeed packages, ITestOutputHelper output) : IClassFixture<PackedFeed>, IDisposable
{
    private readonly string _shm = Path.Combine("/dev/shm", $"xsn-pkg-{Guid.NewGuid():N}");

    [Fact]
    public async Task Every_package_carries_its_readme_license_and_docs_and_nothing_of_the_tests()
    {
        var packed = Directory.GetFiles(packages.Feed, "*.nupkg");
        Assert.Equal(PackedFeed.Libraries.Length, packed.Length);
        foreach (var package in packed) CheckPackage(package);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_user_project_restores_the_packages_from_a_folder_and_talks_over_shared_memory()
    {
        var consumer = packages.NewConsumer("consumer");
        foreach (var file in Directory.GetFiles(Path.Combine(packages.Root, "tests", "Packaging.Tests", "Consumer")))
            File.Copy(file, Path.Combine(consumer, Path.GetFileName(file)));
        await Run("dotnet", ["build", consumer, "-c", "Release", "-o", Path.Combine(consumer, "out"), $"-p:XStateNetVersion={packages.Version}"], consumer);

        if (OperatingSystem.IsWindows())
        {
            Assert.Fail("The shared-memory transport runs on Linux.");
            return;
        }

        Directory.CreateDirectory(_shm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var result = await Run("dotnet", [Path.Combine(consumer, "out", "Consumer.dll"), _shm], consumer);
        Assert.Contains("RESULT 42 from pong", result);
    }

    /// <summary>
    /// The multi-process sample as a user has it: its sources in a test project that references the TestKit package
    /// and xunit, nothing else. Its specs start child processes (the test assembly itself) over tcp, pipes and shared
    /// memory, and fail if anything is left behind.
    /// </summary>
    [Fact]
    public async Task A_user_test_project_runs_the_multi_process_sample_on_the_TestKit_package()
    {
        var consumer = packages.NewConsumer("specs-consumer");
        File.Copy(Path.Combine(packages.Root, "tests", "Packaging.Tests", "SpecsConsumer", "SpecsConsumer.csproj"), Path.Combine(consumer, "SpecsConsumer.csproj"));
        var sample = Path.Combine(packages.Root, "samples", "MultiProcessSpecs");
        foreach (var source in Directory.GetFiles(sample, "*.cs")) File.Copy(source, Path.Combine(consumer, Path.GetFileName(source)));

        var started = DateTime.UtcNow;
        var result = await Run("dotnet", ["test", consumer, "-c", "Release", "--logger", "console;verbosity=detailed",
            $"-p:XStateNetVersion={packages.Version}",
            $"-p:AkkaVersion={packages.PinnedVersion("Akka.TestKit.Xunit2")}",
            $"-p:TestSdkVersion={packages.PinnedVersion("Microsoft.NET.Test.Sdk")}",
            $"-p:XunitVersion={packages.PinnedVersion("xunit")}",
            $"-p:XunitRunnerVersion={packages.PinnedVersion("xunit.runner.visualstudio")}"], consumer, TimeSpan.FromMinutes(12));
        foreach (var line in result.Split('\n').Where(line => line.Contains("MEASURED", StringComparison.Ordinal) || line.Contains("Passed ", StringComparison.Ordinal)))
            output.WriteLine(line.Trim());
        output.WriteLine($"restore, build and every spec: {(DateTime.UtcNow - started).TotalSeconds:0} s");

        var passed = PassedCount().Match(result);
        Assert.True(passed.Success, "no test summary in the output");
        Assert.Equal(ExpectedSpecs, int.Parse(passed.Groups[1].Value));
    }

    /// <summary>Three specs of the sample, each over three transports.</summary>
    private const int ExpectedSpecs = 9;

    [GeneratedRegex(@"Passed:\s+(\d+)")]
    private static partial Regex PassedCount();

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

    private async Task<string> Run(string file, string[] arguments, string directory, TimeSpan? limit = null)
    {
        try
        {
            return await Commands.RunAsync(file, arguments, directory, limit ?? PackedFeed.StepLimit);
        }
        catch (InvalidOperationException e)
        {
            output.WriteLine(e.Message);
            throw;
        }
    }

    public void Dispose() => PackedFeed.TryDelete(_shm);
}
