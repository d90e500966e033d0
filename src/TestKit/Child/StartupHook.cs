using XStateNet.Actors.TestKit.Child;

/// <summary>
/// The way into a child process. A child is the user's own test assembly started with <c>dotnet exec</c> (so it has
/// the test project's runtimeconfig and deps.json, and every assembly the user's roles need), with this assembly
/// named in <c>DOTNET_STARTUP_HOOKS</c>: the runtime calls <see cref="Initialize"/> before the test assembly's
/// (empty, generated) Main, and the node runs here until the test process lets it go. No second program to
/// write, no MSBuild target: the test project as built is the child.
/// </summary>
/// <remarks>The runtime finds a startup hook by this exact name, outside any namespace.</remarks>
internal static class StartupHook
{
    /// <summary>Called by the runtime; runs the node only in a process the TestKit started as a child.</summary>
    public static void Initialize()
    {
        if (!ChildHost.IsChild) return;
        Environment.Exit(ChildHost.RunAsync(Environment.GetCommandLineArgs().Skip(1).ToArray()).GetAwaiter().GetResult());
    }
}
