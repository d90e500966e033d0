using Akka.Actor;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace XStateNet.Actors.Diagrams.Tests.Inspection;

/// <summary>
/// The inspector page in a real headless browser: the system's chromium (Debian's package; Playwright cannot
/// download browsers here), driven by Playwright. Set XSN_INSPECTOR_SCREENSHOT to a file path to keep a screenshot.
/// </summary>
public sealed class InspectorPageTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_page_shows_both_machines_and_follows_a_transition_live()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} not found: install Debian's chromium package (apt-get install -y chromium); .ci/run does.");
        await using var node = await InspectedNode.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 640 } });

        await page.GotoAsync(node.Inspector.Url.ToString());

        await Expect(page.Locator("section.machine")).ToHaveCountAsync(2);
        var door = page.Locator("section.machine[data-machine='door']");
        var light = page.Locator("section.machine[data-machine='light']");
        await Expect(door.Locator("g.xsn-active[data-path='closed']")).ToHaveCountAsync(1);
        await Expect(door.Locator("g.xsn-active[data-path='open']")).ToHaveCountAsync(0);
        await Expect(light.Locator("g.xsn-active[data-path='off']")).ToHaveCountAsync(1);

        node.Door.Tell(new MachineEvent("OPEN")); // nothing reloads the page: the change arrives as a server-sent event

        await Expect(door.Locator("g.xsn-active[data-path='open']")).ToHaveCountAsync(1);
        await Expect(door.Locator("g.xsn-active[data-path='closed']")).ToHaveCountAsync(0);
        await Expect(door.Locator("ol.events li").First).ToContainTextAsync("OPEN");
        await Expect(door.Locator("pre.context")).ToContainTextAsync("\"opened\": 1");
        await Expect(light.Locator("g.xsn-active[data-path='off']")).ToHaveCountAsync(1);

        // Transport health per peer, as the node's transports report it (here told directly: this node has none).
        var liveness = XStateNet.Actors.Transport.PeerLiveness.For(node.System);
        var stage = new Address("shm", "processor", "localhost", 21001);
        var gone = new Address("shm", "storage", "localhost", 21002);
        liveness.ReportAlive(stage, 4242);
        liveness.ReportAlive(gone, 4343);
        liveness.ReportGone(gone, 4343, "its process 4343 no longer exists");
        await Expect(page.Locator($"#peers li.alive[data-peer='{stage}']")).ToContainTextAsync("alive (process 4242)"); // the 5 s refresh
        await Expect(page.Locator($"#peers li.gone[data-peer='{gone}']")).ToContainTextAsync("gone: its process 4343 no longer exists");

        if (Environment.GetEnvironmentVariable("XSN_INSPECTOR_SCREENSHOT") is { Length: > 0 } screenshot)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
    }
}
