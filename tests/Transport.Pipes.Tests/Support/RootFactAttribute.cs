namespace XStateNet.Actors.Transport.Pipes.Tests.Support;

/// <summary>A fact that needs root: it starts a process as another user (setpriv). Skipped, saying so, otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
            Skip = "Linux only: the test starts a process as another user with setpriv.";
        else if (Environment.UserName != "root" && GetUid() != 0)
            Skip = "Needs root: the test starts a connector as user nobody (uid 65534) with setpriv, which only root may do.";
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getuid")]
    private static extern uint GetUid();
}
