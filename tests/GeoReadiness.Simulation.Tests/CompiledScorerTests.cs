using System.Text.Json.Nodes;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Tests.Scenarios;
using GeoReadiness.Spatial.Indicators;

namespace GeoReadiness.Simulation.Tests;

/// <summary>
/// <see cref="CompiledScorer"/> against <see cref="ReadinessScorer"/>: over many seeded random units (answers and
/// spatial values missing at random, zeros that divide by zero) the score, index, band and every pillar score are the
/// same doubles, bit for bit, on the shipped profiles and on variants that exercise the other branches (policy
/// "zero", bands on the index, formulas with year, if, min, max, and, or, not).
/// </summary>
public class CompiledScorerTests
{
    private const int Units = 600;

    public static TheoryData<string> Profiles => new()
    {
        "kominfo-2019", "spbe-2020", "adoption-visible", "kominfo-zero", "spbe-zero", "kominfo-index-bands", "formulas",
    };

    private static AssessmentProfile Profile(string which) => which switch
    {
        "kominfo-2019" or "spbe-2020" => AssessmentProfiles.BuiltIn[which],
        "adoption-visible" => MonteCarloEngineTests.Profile(which),
        "kominfo-zero" => Edited(AssessmentProfiles.Default, d => d["missing"] = "zero"),
        "spbe-zero" => Edited(AssessmentProfiles.BuiltIn["spbe-2020"], d =>
        {
            d["missing"] = "zero";
            d["indicators"]![0]!["missing"] = "reweight";
        }),
        "kominfo-index-bands" => Edited(AssessmentProfiles.Default, d =>
        {
            d["bands"]!["on"] = "index";
            var levels = d["bands"]!["levels"]!.AsArray();
            for (var i = 0; i < levels.Count; i++) levels[i]!["from"] = i == 0 ? 1 : 1 + 0.9 * i;
        }),
        "formulas" => Edited(AssessmentProfiles.Default, d =>
        {
            d.Indicator("ict_staff_pct")["source"] = new JsonArray(
                new JsonObject { ["formula"] = "if(year >= 2026 and not (employees == 0), min(100, 100 * ict_staff / employees), max(-5, ict_staff - employees / 10))" });
            d.Indicator("s2_staff_pct")["source"] = new JsonArray(
                new JsonObject { ["formula"] = "100 * s2_staff / s2_base" },
                new JsonObject { ["formula"] = "(s2_staff > 3 or ict_staff_pct > 2) * 50 + share_4g_pct / 4" });
            d.Indicator("coverage_4g_pct")["missing"] = "zero";
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(which)),
    };

    private static AssessmentProfile Edited(AssessmentProfile profile, Action<JsonObject> edit)
    {
        var result = TestData.Edit(profile, edit);
        return result.Profile ?? throw new InvalidOperationException(string.Join("; ", result.Problems));
    }

    private static (AssessmentProfile, CompiledScorer, CompiledScorer.Workspace) Compiled(string which)
    {
        var profile = Profile(which);
        var compiled = CompiledScorer.For(profile);
        return (profile, compiled, compiled.CreateWorkspace());
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void CompiledScoresAreBitIdenticalToTheExplainedScorer(string which)
    {
        var (profile, compiled, workspace) = Compiled(which);
        var pillars = new double[profile.Pillars.Count];
        var rng = new Random(20261125 + which.Length);
        var bands = new HashSet<int>();
        for (var i = 0; i < Units; i++)
        {
            var unit = PropertyTests.RandomUnit(rng, i);
            // zeros (divisions by zero) and several years
            var q = unit.Questionnaire.ToDictionary(kv => kv.Key, kv => rng.NextDouble() < 0.1 ? 0 : kv.Value, StringComparer.Ordinal);
            unit = unit with { Questionnaire = q, Year = 2023 + rng.Next(6) };
            var expected = ReadinessScorer.Score(profile, unit);
            var actual = compiled.Score(compiled.InputsOf(unit), unit.Year, workspace, pillars);
            Assert.Equal(Bits(expected.Score), Bits(actual.Score));
            Assert.Equal(Bits(expected.Index), Bits(actual.Index));
            Assert.Equal(expected.Band.Id, profile.Bands.Levels[actual.Band].Id);
            for (var p = 0; p < pillars.Length; p++)
                Assert.Equal(Bits(expected.Pillars[p].Score ?? double.NaN), Bits(pillars[p]));
            bands.Add(actual.Band);
        }
        Assert.True(bands.Count > 1, "the random units should reach more than one band");
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void IncrementalRescoresAreBitIdenticalToFullScores(string which)
    {
        var (profile, compiled, workspace) = Compiled(which);
        var memory = compiled.CreateMemory();
        var expected = new double[profile.Pillars.Count];
        var actual = new double[profile.Pillars.Count];
        var rng = new Random(7 + which.Length);
        var inputs = compiled.InputsOf(PropertyTests.RandomUnit(rng, 0));
        var year = 2025;
        var changed = 0UL;
        var reused = 0;
        for (var step = 0; step < 3000; step++)
        {
            // change a few slots (sometimes to a missing value, sometimes back to the same value), sometimes the year
            for (var c = rng.Next(3); c > 0; c--)
            {
                var slot = rng.Next(inputs.Length);
                inputs[slot] = rng.NextDouble() < 0.2 ? double.NaN : rng.NextDouble() < 0.2 ? 0 : Math.Round(rng.NextDouble() * 120, 1);
                changed |= slot < 64 ? 1UL << slot : ulong.MaxValue;
            }
            if (rng.NextDouble() < 0.1) year = 2023 + rng.Next(6);
            var full = compiled.Score(inputs, year, workspace, expected);
            if (memory.Holds(changed, year))
                reused++;
            var incremental = compiled.Rescore(inputs, year, changed, memory, workspace, actual);
            changed = 0;
            Assert.Equal(Bits(full.Score), Bits(incremental.Score));
            Assert.Equal(Bits(full.Index), Bits(incremental.Index));
            Assert.Equal(full.Band, incremental.Band);
            Assert.Equal(expected.Select(Bits), actual.Select(Bits));
        }
        Assert.True(reused > 0, "some changes should touch only inputs the profile did not read");
    }

    [Fact]
    public void SlotsCoverEveryNameTheProfileReadsAndNothingElse()
    {
        var compiled = CompiledScorer.For(AssessmentProfiles.Default);
        Assert.Equal(compiled.QuestionnaireFields.Count + compiled.SpatialNames.Count, compiled.InputCount);
        Assert.Equal(0, compiled.QuestionnaireSlot(compiled.QuestionnaireFields[0]));
        Assert.Equal(compiled.QuestionnaireFields.Count, compiled.SpatialSlot(compiled.SpatialNames[0]));
        Assert.Contains("share_4g_pct", compiled.SpatialNames);
        Assert.Contains("kk_fixed_bb", compiled.QuestionnaireFields);
        Assert.Equal(-1, compiled.SpatialSlot("towers_total"));
        Assert.All(compiled.SpatialNames, n => Assert.True(IndicatorValues.Descriptions.ContainsKey(n)));
        Assert.False(compiled.UsesYear);
        Assert.True(CompiledScorer.For(Profile("formulas")).UsesYear);
    }

    private static long Bits(double x) => BitConverter.DoubleToInt64Bits(x);
}
