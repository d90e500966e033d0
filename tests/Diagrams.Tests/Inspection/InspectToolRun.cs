using System.Text.RegularExpressions;

namespace XStateNet.Actors.Diagrams.Tests.Inspection;

/// <summary>What the specs that run <c>xstatenet inspect</c> in-process wait for: its page's address in what it printed, and a condition polled until it holds.</summary>
internal static partial class InspectToolRun
{
    /// <summary>Polls <paramref name="attempt"/> every 100 ms until it gives a value; past <paramref name="limit"/> (a hang guard on a loaded machine, not a speed bound) fails with <paramref name="why"/>.</summary>
    public static async Task<string> EventuallyAsync(Func<Task<string?>> attempt, Func<string> why, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (await attempt() is { } found) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException(why());
    }

    /// <summary>The page's address with its access token, once the tool has printed it.</summary>
    public static string? PageUrl(string printed) => UrlPattern().Match(printed) is { Success: true } match ? match.Value : null;

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_\-%]+")]
    private static partial Regex UrlPattern();
}
