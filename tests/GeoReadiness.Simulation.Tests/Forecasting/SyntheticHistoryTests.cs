using GeoReadiness.Simulation.Forecasting;

namespace GeoReadiness.Simulation.Tests.Forecasting;

[Collection(ForecastCollection.Name)]
public sealed class SyntheticHistoryTests(ForecastFixture fixture)
{
    private TrainingData Data => fixture.History.Data;

    [Fact]
    public void It_covers_514_units_over_the_programme_rounds_with_its_cohort_sizes()
    {
        Assert.Equal(514, ForecastFixture.Units().Select(u => u.Code).Distinct().Count());
        Assert.Equal([2017, 2018, 2019, 2021, 2022, 2023, 2024, 2025], Data.Rounds);
        Assert.Equal(514 * 8, Data.Rows.Count);
        Assert.Equal([25, 50, 25, 50, 50, 50, 50, 50], Data.Rounds.Select(y => Data.Rows.Count(r => r.Year == y && r.Selected)));
        // a region is mentored once: never selected in two rounds
        Assert.All(Data.Rows.Where(r => r.Selected).GroupBy(r => r.Code), g => Assert.Single(g));
        Assert.All(Data.Rows, r => Assert.InRange(r.AssessedScore!.Value, 0, 100));
    }

    [Fact]
    public void The_same_seed_gives_the_same_history_and_another_seed_another()
    {
        var units = ForecastFixture.Units().Take(60).ToArray();
        var a = TrainingCsv.Write(SyntheticHistory.Generate(units, 5).Data);
        Assert.Equal(a, TrainingCsv.Write(SyntheticHistory.Generate(units.Reverse().ToArray(), 5).Data));
        Assert.NotEqual(a, TrainingCsv.Write(SyntheticHistory.Generate(units, 6).Data));
    }

    [Fact]
    public void The_cohort_is_chosen_among_the_best_assessed_not_selected_before()
    {
        foreach (var year in Data.Rounds)
        {
            var before = Data.Rows.Where(r => r.Year < year && r.Selected).Select(r => r.Code).ToHashSet();
            var pool = Data.Rows.Where(r => r.Year == year && !before.Contains(r.Code)).OrderByDescending(r => r.AssessedScore).ToArray();
            var cohort = pool.Count(r => r.Selected);
            // panel noise lets a few in from just below the line, never from the bottom half of the pool
            Assert.True(pool.Take(cohort).Count(r => r.Selected) >= cohort * 0.6, $"{year}");
            Assert.DoesNotContain(pool.Skip(pool.Length / 2), r => r.Selected);
        }
    }

    [Fact]
    public void The_ground_truth_stays_out_of_the_features()
    {
        var truthNames = typeof(LatentState).GetProperties().Select(p => p.Name.ToLowerInvariant()).ToHashSet();
        Assert.DoesNotContain(Data.Schema.Columns, c => truthNames.Contains(c.Replace("_", "", StringComparison.Ordinal)) && c != "code" && c != "year");
        Assert.Equal(fixture.Model.Manifest.Features.Except(["assessed_score", "selected_before", "years_to_next", "unselected_rank"]),
            Data.Schema.Indicators.Concat(Data.Schema.Infrastructure));
        // no column carries the latent readiness itself: each correlates below 0.97 with it
        var truth = fixture.History.Truth.ToDictionary(t => (t.Code, t.Year));
        var latent = Data.Rows.Select(r => truth[(r.Code, r.Year)].Readiness).ToArray();
        var columns = Enumerable.Range(0, Data.Schema.Indicators.Count).Select(k => (Data.Schema.Indicators[k], Data.Rows.Select(r => r.Indicators[k]).ToArray()))
            .Concat(Enumerable.Range(0, Data.Schema.Infrastructure.Count).Select(k => (Data.Schema.Infrastructure[k], Data.Rows.Select(r => r.Infrastructure[k]).ToArray())))
            .Append(("assessed_score", Data.Rows.Select(r => r.AssessedScore).ToArray()));
        foreach (var (name, values) in columns)
        {
            var pairs = values.Select((v, i) => (v, l: latent[i])).Where(p => p.v is not null).Select(p => (X: p.v!.Value, Y: p.l)).ToArray();
            Assert.True(Math.Abs(Correlation(pairs)) < 0.97, $"{name}: {Correlation(pairs):0.000}");
        }
        // while the assessed score does follow the panel's view, up to the assessor noise
        var view = Data.Rows.Select(r => truth[(r.Code, r.Year)].PanelView).ToArray();
        var noise = Data.Rows.Select((r, i) => r.AssessedScore!.Value - view[i]).ToArray();
        Assert.InRange(Math.Sqrt(noise.Average(e => e * e)), 3.5, 4.5);
    }

    [Fact]
    public void Indicators_show_the_documented_non_linear_links()
    {
        var k4g = Data.Schema.Indicators.ToList().IndexOf("coverage_4g_pct");
        var truth = fixture.History.Truth.ToDictionary(t => (t.Code, t.Year));
        // 4G coverage saturates: the top third of infrastructure gains less than the middle third
        var byInfra = Data.Rows.Where(r => r.Indicators[k4g] is not null)
            .Select(r => (I: truth[(r.Code, r.Year)].Infrastruktur, C: r.Indicators[k4g]!.Value)).OrderBy(x => x.I).ToArray();
        var third = byInfra.Length / 3;
        var parts = new[] { byInfra.Take(third), byInfra.Skip(third).Take(third), byInfra.Skip(2 * third) }
            .Select(p => (I: p.Average(x => x.I), C: p.Average(x => x.C))).ToArray();
        var lowerGain = (parts[1].C - parts[0].C) / (parts[1].I - parts[0].I);
        var upperGain = (parts[2].C - parts[1].C) / (parts[2].I - parts[1].I);
        Assert.True(upperGain > 0 && upperGain < 0.7 * lowerGain, $"gain per point {lowerGain:0.00} then {upperGain:0.00}");
    }

    private static double Correlation((double X, double Y)[] p)
    {
        double mx = p.Average(q => q.X), my = p.Average(q => q.Y);
        double sxy = p.Sum(q => (q.X - mx) * (q.Y - my)), sxx = p.Sum(q => (q.X - mx) * (q.X - mx)), syy = p.Sum(q => (q.Y - my) * (q.Y - my));
        return sxy / Math.Sqrt(sxx * syy);
    }
}
