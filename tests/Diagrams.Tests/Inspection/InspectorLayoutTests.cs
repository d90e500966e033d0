using System.Text.Json;
using Akka.Actor;
using Microsoft.Playwright;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Inspection;
using static Microsoft.Playwright.Assertions;

namespace XStateNet.Actors.Diagrams.Tests.Inspection;

/// <summary>
/// A chart wider than its column stays inside it, beside the side panel (active states, context, last events), whose
/// place it never takes: scaled down to fit when that keeps it at least half its size, scrolling in its column past
/// that. Measured in the system's headless chromium, as <see cref="InspectorPageTests"/>.
/// </summary>
public sealed class InspectorLayoutTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Theory]
    [InlineData(1100, 4, false)]  // about 1,150 px drawn in a column of about 700: scaled to fit
    [InlineData(1100, 14, true)]  // about 4,000 px: half of it is still wider than the column, so it scrolls
    [InlineData(700, 14, true)]
    public async Task A_wide_chart_stays_in_its_column_beside_the_side_panel(int viewportWidth, int steps, bool scrolls)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} not found: install Debian's chromium package (apt-get install -y chromium); .ci/run does.");
        var system = ActorSystem.Create("wide-" + Guid.NewGuid().ToString("N")[..8], XStateNetConfig.Default);
        try
        {
            system.SpawnMachine("wide", WideChart(steps), new Dictionary<string, Action<OrchestratedContext>>());
            await using var inspector = await MachineInspector.StartAsync(system);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = viewportWidth, Height = 700 } });

            await page.GotoAsync(inspector.Url.ToString());
            var card = page.Locator("section.machine[data-machine='wide']");
            var drawing = card.Locator("svg.xsn-chart");
            await Expect(drawing).ToHaveCountAsync(1);
            await Expect(card.Locator("pre.context")).ToContainTextAsync("note");

            var column = await Box(card.Locator(".chart"));
            var svg = await Box(drawing);
            var aside = await Box(card.Locator("aside"));
            var section = await Box(card);
            var drawn = await drawing.EvaluateAsync<double>("e => e.width.baseVal.value");
            Assert.True(drawn > column.Width, $"the chart is drawn {drawn}px wide, its column is {column.Width}px: the test needs a wider one");
            Assert.True(column.X + column.Width <= aside.X, $"the chart's column (right edge {column.X + column.Width}) runs under the side panel (left edge {aside.X})");
            Assert.True(aside.Width >= 200, $"the side panel kept {aside.Width}px");
            Assert.True(aside.X + aside.Width <= section.X + section.Width + 0.5, "the side panel runs out of its card");
            Assert.True(section.X + section.Width <= viewportWidth, "the card runs out of the page");
            var columnScrolls = await card.Locator(".chart").EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth + 1");
            Assert.True(scrolls == columnScrolls,
                $"drawn {drawn}px, shown {svg.Width}px in a column of {column.Width}px: it should {(scrolls ? "" : "not ")}scroll");
            if (scrolls)
                Assert.True(svg.Width >= drawn / 2 - 1, $"scaled to {svg.Width}px of {drawn}: less than half, unreadable");
            else
                Assert.True(svg.X + svg.Width <= column.X + column.Width + 0.5 && svg.X + svg.Width <= aside.X,
                    $"the scaled chart (right edge {svg.X + svg.Width}) does not fit its column (right edge {column.X + column.Width})");
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static async Task<LocatorBoundingBoxResult> Box(ILocator locator) =>
        await locator.BoundingBoxAsync() ?? throw new InvalidOperationException($"{locator} is not displayed");

    /// <summary>A chain of <paramref name="steps"/> states, drawn left to right in one row, and a context with one long line.</summary>
    private static string WideChart(int steps)
    {
        var states = Enumerable.Range(1, steps).ToDictionary(
            i => $"step_with_a_long_name_{i}",
            i => (object)new { on = new Dictionary<string, string> { [$"NEXT_FROM_{i}"] = $"step_with_a_long_name_{i % steps + 1}" } });
        return JsonSerializer.Serialize(new
        {
            id = "wide",
            initial = "step_with_a_long_name_1",
            context = new { note = new string('x', 400) },
            states,
        });
    }
}
