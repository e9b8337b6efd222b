using GeoReadiness.Simulation.Scenarios;

namespace GeoReadiness.Simulation.Tests.Scenarios;

public class SequentialSamplingTests
{
    private const string Score = "score 13.05 2026";
    private static readonly SampledOutput[] Outputs = [new(Score), new("p(cukup siap) 13.05 2026", Headline: false)];

    /// <summary>A score ~ normal(50, 10) from the unit's stream, and whether it reaches 60.</summary>
    private static void Model(SamplingChunk chunk)
    {
        var normal = new NormalDistribution(50, 10);
        var stream = chunk.Random("13.05");
        for (var d = 0; d < chunk.Count; d++)
        {
            var row = chunk.Outputs(d);
            row[0] = normal.Sample(stream);
            row[1] = row[0] >= 60 ? 1 : 0;
        }
    }

    private static SamplingResult Run(SamplingRule rule, ulong seed = 2018, SamplingOptions? options = null, ChunkDrawer? model = null) =>
        SequentialSampling.Run(rule, seed, Outputs, model ?? Model, options);

    private static string Fingerprint(SamplingResult r) => string.Join(";", r.Outputs.Select(o =>
        string.Join(",", new[] { o.Mean, o.StandardError, o.StandardDeviation, o.P5, o.P25, o.P50, o.P75, o.P95, o.Min, o.Max }
            .Select(BitConverter.DoubleToInt64Bits)))) + $"|{r.Draws}|{r.Chunks}";

    [Fact]
    public void SamplingStopsAtTheFirstChunkWhereTheStandardErrorIsWithinTolerance()
    {
        var rule = new SamplingRule(200, 100_000, 0.5, 100);
        var result = Run(rule);
        var score = result[Score];
        Assert.True(score.StandardError <= 0.5);
        Assert.Equal(0, result.Draws % 100);
        Assert.Equal(result.Draws / 100, result.Chunks);
        // sd 10 needs about (10 / 0.5)² = 400 draws
        Assert.InRange(result.Draws, 300, 600);
        // one chunk less was not enough: capped there, the run fails
        var e = Assert.Throws<SamplingToleranceException>(() => Run(rule with { MaxDraws = result.Draws - 100 }));
        Assert.True(e.StandardError > 0.5);
    }

    [Fact]
    public void SamplingDrawsAtLeastTheMinimumRoundedUpToWholeChunks()
    {
        var result = Run(new SamplingRule(250, 10_000, 100, 100));
        Assert.Equal(300, result.Draws);
        Assert.Equal(300, result[Score].Draws);
    }

    [Fact]
    public void SamplingFailsLoudlyAtTheMaximumNamingTheOutput()
    {
        var e = Assert.Throws<SamplingToleranceException>(() => Run(new SamplingRule(100, 1_000, 0.01, 100)));
        Assert.Matches(@"^after 1000 draws the standard error of score 13\.05 2026 is 0\.3\d* > tolerance 0\.01$", e.Message);
        Assert.Equal((Score, 1000, 0.01), (e.Output, e.Draws, e.Tolerance));
    }

    [Fact]
    public void TheLastChunkIsCutAtTheMaximum()
    {
        var sizes = new List<int>();
        var e = Assert.Throws<SamplingToleranceException>(() => Run(new SamplingRule(100, 950, 0.01, 100),
            options: new SamplingOptions { MaxDegreeOfParallelism = 1 },
            model: c => { lock (sizes) sizes.Add(c.Count); Model(c); }));
        Assert.Equal(950, e.Draws);
        Assert.Equal(50, sizes[^1]);
    }

    [Fact]
    public void ResultsAreIdenticalWhateverTheParallelismAndTheScheduling()
    {
        var rule = new SamplingRule(300, 100_000, 0.3, 64);
        var reference = Fingerprint(Run(rule, options: new SamplingOptions { MaxDegreeOfParallelism = 1, ChunksAhead = 1 }));
        foreach (var (parallelism, ahead) in new[] { (2, (int?)null), (2, 1), (2, 5), (4, 3), (1, 7) })
        {
            var options = new SamplingOptions { MaxDegreeOfParallelism = parallelism, ChunksAhead = ahead };
            Assert.Equal(reference, Fingerprint(Run(rule, options: options)));
        }
        // chunks finishing out of order: later chunks first
        var shuffled = Run(rule, options: new SamplingOptions { MaxDegreeOfParallelism = 2, ChunksAhead = 6 },
            model: c => { Thread.Sleep((5 - c.Index % 6) * 2); Model(c); });
        Assert.Equal(reference, Fingerprint(shuffled));
    }

    [Fact]
    public void DifferentSeedsGiveResultsWithinTheirStandardErrors()
    {
        var rule = new SamplingRule(1_000, 100_000, 0.2, 250);
        var a = Run(rule, seed: 1)[Score];
        var b = Run(rule, seed: 2)[Score];
        Assert.NotEqual(a.Mean, b.Mean);
        Assert.InRange(a.Mean - b.Mean, -4 * Math.Sqrt(a.StandardError * a.StandardError + b.StandardError * b.StandardError),
            4 * Math.Sqrt(a.StandardError * a.StandardError + b.StandardError * b.StandardError));
        foreach (var s in new[] { a, b })
        {
            Assert.InRange(s.Mean, 50 - 4 * s.StandardError, 50 + 4 * s.StandardError);
            Assert.InRange(s.P50, 49, 51);
            Assert.InRange(s.P95, 50 + 16.45 - 1.5, 50 + 16.45 + 1.5);
        }
    }

    [Fact]
    public void EventProbabilitiesAreMeansOfIndicatorsAndShares()
    {
        var result = Run(new SamplingRule(4_000, 4_000, 100, 500));
        var reach = result[Score].ProbabilityAtLeast(60);
        Assert.Equal(result["p(cukup siap) 13.05 2026"].Mean, reach.Value, 12);
        // P(normal(50, 10) ≥ 60) = 1 − Φ(1)
        Assert.InRange(reach.Value, 0.1587 - 4 * reach.StandardError, 0.1587 + 4 * reach.StandardError);
        Assert.Equal(1, reach.Value + result[Score].ProbabilityBelow(60).Value, 12);
    }

    [Fact]
    public void AnOutputsOwnToleranceOverridesTheRules()
    {
        var rule = new SamplingRule(100, 100_000, 100, 100);
        var strict = SequentialSampling.Run(rule, 3, [new SampledOutput(Score, Tolerance: 0.5)], c =>
        {
            var s = c.Random("u");
            for (var d = 0; d < c.Count; d++) c.Outputs(d)[0] = new NormalDistribution(50, 10).Sample(s);
        });
        Assert.True(strict.Draws >= 400);
        Assert.True(strict[Score].StandardError <= 0.5);
    }

    [Fact]
    public void OnlyHeadlineOutputsDecideWhenToStop()
    {
        var outputs = new SampledOutput[] { new("constant"), new("noisy", Headline: false) };
        var result = SequentialSampling.Run(new SamplingRule(100, 1_000, 0.01, 100), 3, outputs, c =>
        {
            var s = c.Random("u");
            for (var d = 0; d < c.Count; d++)
            {
                c.Outputs(d)[0] = 1;
                c.Outputs(d)[1] = s.NextDouble() * 1000;
            }
        });
        Assert.Equal(100, result.Draws);
        Assert.Equal(0, result["constant"].StandardError);
    }

    [Fact]
    public void AStreamContinuesAcrossTheDrawsOfAChunk()
    {
        SamplingChunk? seen = null;
        SequentialSampling.Run(new SamplingRule(2, 2, 1, 2), 9, [new SampledOutput("x")], c =>
        {
            seen = c;
            for (var d = 0; d < c.Count; d++) c.Outputs(d)[0] = c.Random("13.05").NextDouble();
        });
        Assert.Same(seen!.Random("13.05"), seen.Random("13.05"));
        var fresh = RandomStream.For(0, "13.05", 9);
        fresh.NextDouble();
        fresh.NextDouble();
        Assert.Equal(fresh.NextUInt64(), seen.Random("13.05").NextUInt64());
    }

    [Fact]
    public void AnOutputTheModelDidNotWriteIsAnError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Run(new SamplingRule(10, 10, 1, 10), model: c => c.Outputs(0)[0] = 1));
        Assert.Contains("draw 0 (chunk 0)", e.Message);
    }

    [Fact]
    public void AnExceptionOfTheModelIsNotWrapped()
    {
        var e = Assert.Throws<InvalidDataException>(() => Run(new SamplingRule(10, 10, 1, 10), model: _ => throw new InvalidDataException("bad footprint")));
        Assert.Equal("bad footprint", e.Message);
    }

    [Fact]
    public void ProgressIsReportedPerChunk()
    {
        var reported = new List<int>();
        Run(new SamplingRule(300, 300, 100, 100), options: new SamplingOptions { Progress = new SynchronousProgress(reported.Add) });
        Assert.Equal([100, 200, 300], reported);
    }

    [Fact]
    public void PercentilesAreExactOverTheKeptDraws()
    {
        var accumulator = new StatisticsAccumulator();
        foreach (var v in new double[] { 5, 1, 4, 2, 3 })
            accumulator.Add(v);
        var s = accumulator.Summarise("x");
        Assert.Equal((1.0, 2.0, 3.0, 4.0, 5.0), (s.Min, s.P25, s.P50, s.P75, s.Max));
        Assert.Equal(1.2, s.P5, 12);
        Assert.Equal(3, s.Mean);
        Assert.Equal(Math.Sqrt(2.5), s.StandardDeviation, 12);
        Assert.Equal(Math.Sqrt(2.5 / 5), s.StandardError, 12);
        Assert.Equal(0.6, s.ProbabilityAtLeast(3).Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.Add(double.NaN));
    }

    [Fact]
    public void UnusableRulesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Run(new SamplingRule(1, 10, 1, 1)));
        Assert.Throws<ArgumentException>(() => Run(new SamplingRule(10, 5, 1, 1)));
        Assert.Throws<ArgumentException>(() => Run(new SamplingRule(10, 10, 0, 1)));
        Assert.Throws<ArgumentException>(() => Run(new SamplingRule(10, 10, 1, 0)));
        Assert.Throws<ArgumentException>(() => SequentialSampling.Run(new SamplingRule(10, 10, 1, 1), 1, [new("a"), new("a")], Model));
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
