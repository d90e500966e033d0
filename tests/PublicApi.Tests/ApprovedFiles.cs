using System.Reflection;

namespace XStateNet.Actors.PublicApi.Tests;

/// <summary>The approved public API files, one per package assembly, kept in the source tree next to this project.</summary>
internal static class ApprovedFiles
{
    /// <summary>Set to 1 to rewrite the approved files with the current surface instead of comparing.</summary>
    public const string ApproveVariable = "XSTATENET_APPROVE_API";

    /// <summary>The folder of the approved files (written into this assembly by the csproj at build time).</summary>
    public static string Directory { get; } = typeof(ApprovedFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ApprovedDirectory").Value!;

    public static bool Approving => Environment.GetEnvironmentVariable(ApproveVariable) == "1";

    public static string PathOf(Assembly assembly) => Path.Combine(Directory, assembly.GetName().Name + ".approved.txt");

    /// <summary>Line endings as Unix, so the comparison does not depend on how git checked the file out.</summary>
    public static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd('\n') + "\n";
}
