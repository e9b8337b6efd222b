using GeoReadiness.Simulation.Scenarios;

namespace GeoReadiness.Simulation.Tests.Scenarios;

/// <summary>
/// The compact storages of draws against keeping every draw as a double: the same means and standard errors bit for
/// bit, rank counts exact in every figure, float copies within float rounding for percentiles and exact for the
/// probabilities of their thresholds; and sampled chunk by chunk (in parallel) as one pass in draw order.
/// </summary>
public class DrawStorageTests
{
    private static readonly double[] Edges = [40 - 1e-12, 60 - 1e-12, 80 - 1e-12];

    private static readonly SampledOutput[] Outputs =
    [
        new("exact score"), new("single score") { Storage = DrawStorage.Single, Thresholds = Edges },
        new("exact rank", Headline: false), new("counted rank", Headline: false) { Storage = DrawStorage.Counts, MaxCount = 7 },
        new("exact constant", Headline: false), new("single constant", Headline: false) { Storage = DrawStorage.Single },
    ];

    /// <summary>Scores with many repeated values (as band scores repeat), ranks 1–7 (some never drawn), a constant.</summary>
    private static void Model(SamplingChunk chunk)
    {
        var stream = chunk.Random("unit");
        for (var d = 0; d < chunk.Count; d++)
        {
            var row = chunk.Outputs(d);
            var u = stream.NextDouble();
            row[0] = row[1] = u < 0.3 ? 60 - 1e-12 : u < 0.5 ? 60 : 100 * stream.NextDouble() / 3;
            row[2] = row[3] = 1 + (int)(stream.NextDouble() * 5) + (stream.NextDouble() < 0.1 ? 2 : 0);
            row[4] = row[5] = 57.123456789012;
        }
    }

    private static long Bits(double x) => BitConverter.DoubleToInt64Bits(x);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void CompactStoragesAgreeWithExactStorage(int cores)
    {
        var result = SequentialSampling.Run(new SamplingRule(3000, 3000, 100, 250), 11, Outputs, Model,
            new SamplingOptions { MaxDegreeOfParallelism = cores });
        for (var k = 0; k < Outputs.Length; k += 2)
        {
            var (exact, compact) = (result.Outputs[k], result.Outputs[k + 1]);
            Assert.Equal((Bits(exact.Mean), Bits(exact.StandardError), Bits(exact.StandardDeviation), exact.Draws),
                (Bits(compact.Mean), Bits(compact.StandardError), Bits(compact.StandardDeviation), compact.Draws));
            Assert.Equal((exact.Min, exact.Max), (compact.Min, compact.Max));
        }
        var (score, single) = (result["exact score"], result["single score"]);
        foreach (var edge in Edges)
        {
            Assert.Equal(score.ProbabilityAtLeast(edge), single.ProbabilityAtLeast(edge));
            Assert.Equal(score.ProbabilityBelow(edge), single.ProbabilityBelow(edge));
        }
        Assert.Throws<InvalidOperationException>(() => single.ProbabilityAtLeast(50));
        foreach (var q in new[] { 0, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1 })
            Assert.Equal(score.Percentile(q), single.Percentile(q), 1e-6 * Math.Abs(score.Percentile(q)));
        var (rank, counted) = (result["exact rank"], result["counted rank"]);
        foreach (var q in new[] { 0, 0.05, 0.25, 0.5, 0.75, 0.95, 0.33, 1 })
            Assert.Equal(Bits(rank.Percentile(q)), Bits(counted.Percentile(q)));
        for (var k = 0; k <= 8; k++)
            Assert.Equal(rank.ProbabilityBelow(k + 0.5), counted.ProbabilityBelow(k + 0.5));
        Assert.InRange(counted.ProbabilityBelow(1.5).Value, 0.1, 0.3);
        // all draws equal: the exact value, not its float rounding
        Assert.Equal(57.123456789012, result["single constant"].P50);
        Assert.Equal(57.123456789012, result["single constant"].P5);
        Assert.Equal(1, result["single constant"].ProbabilityAtLeast(57).Value);
    }

    [Fact]
    public void SinglePercentilesAreThoseOfTheFloatRoundedDraws()
    {
        var rng = new Random(3);
        var values = Enumerable.Range(0, 2001).Select(_ => rng.NextDouble() < 0.2 ? 12.5 : rng.NextDouble() * 1000).ToArray();
        var single = new StatisticsAccumulator(new SampledOutput("x") { Storage = DrawStorage.Single });
        var rounded = new StatisticsAccumulator();
        foreach (var v in values)
        {
            single.Add(v);
            rounded.Add(double.Parse(((float)v).ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture));
        }
        var (s, r) = (single.Summarise("x"), rounded.Summarise("x"));
        foreach (var q in new[] { 0.05, 0.25, 0.5, 0.75, 0.95, 0.1 })
            Assert.Equal(r.Percentile(q), s.Percentile(q), 1e-9);
        Assert.Equal(values.Min(), s.Min);
        Assert.Equal(values.Max(), s.Max);
    }
}
