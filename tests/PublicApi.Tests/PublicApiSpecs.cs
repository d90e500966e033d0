using System.Reflection;
using PublicApiGenerator;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Inspection;
using XStateNet.Actors.Sharding;
using XStateNet.Actors.TestKit;
using XStateNet.Actors.Transport;
using XStateNet.Actors.Transport.Pipes;
using XStateNet.Actors.Transport.SameHost;
using XStateNet.Actors.Transport.SharedMemory;

namespace XStateNet.Actors.PublicApi.Tests;

/// <summary>
/// The public surface of each package, approved: a change to it shows as a diff against
/// <c>tests/PublicApi.Tests/approved/&lt;assembly&gt;.approved.txt</c>. An intended change is approved by running
/// the tests with <c>XSTATENET_APPROVE_API=1</c> and committing the rewritten files.
/// </summary>
public sealed class PublicApiSpecs
{
    public static TheoryData<string> Packages => new()
    {
        typeof(XStateNetConfig).Assembly.GetName().Name!,
        typeof(LivenessAwareRemoteActorRefProvider).Assembly.GetName().Name!,
        typeof(PipeTransport).Assembly.GetName().Name!,
        typeof(ShmTransport).Assembly.GetName().Name!,
        typeof(SameHostTransport).Assembly.GetName().Name!,
        typeof(MultiNodeConfig).Assembly.GetName().Name!,
        typeof(MachineInspector).Assembly.GetName().Name!,
        typeof(ShardedMachines).Assembly.GetName().Name!,
    };

    private static readonly ApiGeneratorOptions Options = new()
    {
        // Assembly attributes (target framework, InternalsVisibleTo of test projects) are not the API a user calls.
        IncludeAssemblyAttributes = false,
    };

    [Theory]
    [MemberData(nameof(Packages))]
    public void The_public_API_is_the_approved_one(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);
        var current = ApprovedFiles.Normalize(assembly.GeneratePublicApi(Options));
        var path = ApprovedFiles.PathOf(assembly);

        if (ApprovedFiles.Approving)
        {
            File.WriteAllText(path, current);
            return;
        }

        Assert.True(File.Exists(path),
            $"{assemblyName} has no approved API file ({path}). Run the tests with {ApprovedFiles.ApproveVariable}=1 to write it, review it and commit it.");
        var approved = ApprovedFiles.Normalize(File.ReadAllText(path));
        if (approved == current) return;

        Assert.Fail($"""
            The public API of {assemblyName} is not the approved one ({path}).
            If the change is intended, approve it: {ApprovedFiles.ApproveVariable}=1 dotnet test tests/PublicApi.Tests, then commit the file.
            ('-' approved, '+' current)
            {ApiDiff.Describe(approved, current)}
            """);
    }

    [Fact]
    public void A_changed_surface_shows_as_a_readable_diff()
    {
        const string approved = "namespace A\n{\n    public class B\n    {\n        public void Kept() { }\n        public void Removed() { }\n    }\n}\n";
        var current = approved.Replace("public void Removed() { }", "public void Added(int x) { }");

        var diff = ApiDiff.Describe(approved, current);

        Assert.Contains("-         public void Removed() { }", diff);
        Assert.Contains("+         public void Added(int x) { }", diff);
        Assert.Contains("          public void Kept() { }", diff); // context
        Assert.DoesNotContain("namespace A", diff); // beyond the context
    }
}
