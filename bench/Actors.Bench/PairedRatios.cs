namespace XStateNet.Actors.Bench;

/// <summary>
/// Ratios of two variants measured side by side, one per round (variant / reference, rates), summarised for a noisy
/// machine: the median, the quartiles, the extremes, a 95 % confidence interval of the median (order statistics, no
/// assumption on the distribution) and a two-sided sign test (how many rounds the variant was slower). A round's
/// load hits both of its measurements, so the ratio of one round is steadier than either rate.
/// </summary>
internal sealed class PairedRatios(string name)
{
    private readonly List<double> _ratios = [];

    public string Name { get; } = name;

    public int Count => _ratios.Count;

    /// <summary>Rounds left out because one side measured nothing (a starved round: no event, no CPU time read).</summary>
    public int Skipped { get; private set; }

    public void Add(double variant, double reference)
    {
        var ratio = variant / reference;
        if (double.IsFinite(ratio) && ratio > 0) _ratios.Add(ratio);
        else Skipped++;
    }

    public double Median => Quantile(0.5);

    /// <summary>The q-quantile by linear interpolation between order statistics.</summary>
    public double Quantile(double q)
    {
        var sorted = _ratios.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }

    /// <summary>
    /// The 95 % interval of the median: the k-th smallest and k-th largest ratios, k the largest with
    /// P(Binomial(n, ½) &lt; k) ≤ 2.5 %. Null with fewer than 6 rounds (no such k).
    /// </summary>
    public (double Low, double High)? MedianInterval()
    {
        var n = _ratios.Count;
        var k = 0;
        while (k + 1 <= n && BinomialAtMost(n, k) <= 0.025) k++; // P(X <= k) <= 2.5 %: the (k+1)-th order statistic bounds it
        if (k == 0) return null;
        var sorted = _ratios.Order().ToArray();
        return (sorted[k - 1], sorted[n - k]);
    }

    /// <summary>Rounds where the variant was slower than the reference (ratio below 1).</summary>
    public int Slower => _ratios.Count(r => r < 1);

    /// <summary>Two-sided sign test of "slower as often as faster" (ties, exact 1.0, left out).</summary>
    public double SignTestP()
    {
        var slower = _ratios.Count(r => r < 1);
        var faster = _ratios.Count(r => r > 1);
        var n = slower + faster;
        if (n == 0) return 1;
        var tail = BinomialAtMost(n, Math.Min(slower, faster));
        return Math.Min(1, 2 * tail);
    }

    public string Row() => Count == 0 ? $"| {Name,-38} | no round measured both sides |" : RowOf();

    private string RowOf() =>
        $"| {Name,-38} | {Count,6} | {Median,6:0.000} | {Quantile(0.25),6:0.000}–{Quantile(0.75),-6:0.000} | " +
        $"{(MedianInterval() is { } ci ? $"{ci.Low:0.000}–{ci.High:0.000}" : "-"),13} | {_ratios.Min(),6:0.000}–{_ratios.Max(),-6:0.000} | " +
        $"{Slower,3}/{Count,-3} | {SignTestP(),7:0.0000} |" + (Skipped > 0 ? $" ({Skipped} starved rounds left out)" : "");

    public static string Header() =>
        $"| {"ratio (rate / rate)",-38} | {"rounds",6} | {"median",6} | {"quartiles",13} | {"95% CI median",13} | {"min–max",13} | {"slower",7} | {"sign p",7} |" +
        Environment.NewLine +
        $"| {new string('-', 38)} | {new string('-', 6)} | {new string('-', 6)} | {new string('-', 13)} | {new string('-', 13)} | {new string('-', 13)} | {new string('-', 7)} | {new string('-', 7)} |";

    /// <summary>P(X ≤ k) for X ~ Binomial(n, ½), summed in logs to stay exact enough for a few hundred rounds.</summary>
    private static double BinomialAtMost(int n, int k)
    {
        double sum = 0;
        for (var i = 0; i <= k; i++) sum += Math.Exp(LogChoose(n, i) - n * Math.Log(2));
        return sum;
    }

    private static double LogChoose(int n, int k)
    {
        double result = 0;
        for (var i = 1; i <= k; i++) result += Math.Log(n - k + i) - Math.Log(i);
        return result;
    }
}
