using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Simulation.Tests;

public class RankingTests
{
    private static UnitAssessment Unit(string code, double score, string? province = null, int year = 2019, AdminLevel level = AdminLevel.Regency) =>
        new(code, code, level, province ?? code[..2], year, "kominfo-2019", "1.0.0", "abc", score, 1 + 4 * score / 100,
            new AssessmentBand("x", new LocalizedText("x", "x")), 1, [], [], []);

    [Fact]
    public void EqualScoresAreOrderedByCodeWhateverTheInputOrder()
    {
        UnitAssessment[] units = [Unit("14.72", 60), Unit("13.05", 60), Unit("14.71", 80), Unit("14.01", 60)];
        var expected = new[] { "14.71", "13.05", "14.01", "14.72" };
        Assert.Equal(expected, ReadinessRanking.Rank(units).Select(r => r.Assessment.Code));
        Assert.Equal(expected, ReadinessRanking.Rank(units.Reverse()).Select(r => r.Assessment.Code));
        Assert.Equal([1, 2, 3, 4], ReadinessRanking.Rank(units).Select(r => r.Rank));
    }

    [Fact]
    public void ProvinceRankAndPercentileGoFrom100ForTheBestTo0ForTheLast()
    {
        var ranked = ReadinessRanking.Rank([Unit("14.72", 50), Unit("14.71", 90), Unit("14.01", 70), Unit("13.05", 10)])
            .ToDictionary(r => r.Assessment.Code);
        Assert.Equal((1, 3, 100.0), (ranked["14.71"].ProvinceRank, ranked["14.71"].ProvinceCount, ranked["14.71"].ProvincePercentile));
        Assert.Equal((2, 50.0), (ranked["14.01"].ProvinceRank, ranked["14.01"].ProvincePercentile));
        Assert.Equal((3, 0.0), (ranked["14.72"].ProvinceRank, ranked["14.72"].ProvincePercentile));
        // alone in its province: the best of it
        Assert.Equal((1, 1, 100.0), (ranked["13.05"].ProvinceRank, ranked["13.05"].ProvinceCount, ranked["13.05"].ProvincePercentile));
        Assert.Equal(4, ranked["13.05"].Rank);
    }

    [Fact]
    public void MixedYearsLevelsOrDuplicateCodesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => ReadinessRanking.Rank([Unit("14.72", 1), Unit("14.71", 2, year: 2020)]));
        Assert.Throws<ArgumentException>(() => ReadinessRanking.Rank([Unit("14.72", 1), Unit("14.71.01", 2, level: AdminLevel.District)]));
        Assert.Throws<ArgumentException>(() => ReadinessRanking.Rank([Unit("14.72", 1), Unit("14.72", 2)]));
        Assert.Empty(ReadinessRanking.Rank([]));
    }

    [Fact]
    public void ScoredUnitsRankDeterministically()
    {
        var rng = new Random(42);
        var assessed = ReadinessScorer.ScoreAll(AssessmentProfiles.Default,
            Enumerable.Range(0, 60).Select(i => PropertyTests.RandomUnit(rng, i)));
        var a = ReadinessRanking.Rank(assessed);
        var b = ReadinessRanking.Rank(assessed.Reverse());
        Assert.Equal(a.Select(r => (r.Assessment.Code, r.Rank, r.ProvinceRank)), b.Select(r => (r.Assessment.Code, r.Rank, r.ProvinceRank)));
        Assert.True(a.Zip(a.Skip(1)).All(p => p.First.Assessment.Score >= p.Second.Assessment.Score));
    }
}
