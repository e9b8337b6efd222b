using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Indicators;

namespace GeoReadiness.Simulation.Tests;

/// <summary>docs/assessment-profile.md names every questionnaire field, spatial value and shipped indicator, so it cannot drift from the code.</summary>
public class ProfileDocumentationTests
{
    private static readonly string Document = File.ReadAllText(Path.Combine(TestData.RepositoryRoot(), "docs", "assessment-profile.md"));

    [Fact]
    public void EveryQuestionnaireFieldIsDocumentedWithItsType()
    {
        foreach (var f in QuestionnaireSchema.Fields)
            Assert.Contains($"| `{f.Name}` | {f.Type.ToString().ToLowerInvariant()} |", Document, StringComparison.Ordinal);
    }

    [Fact]
    public void EverySpatialValueNameIsDocumented()
    {
        foreach (var name in IndicatorValues.Descriptions.Keys.Where(n => !n.StartsWith("facilities_", StringComparison.Ordinal) && !n.StartsWith("share_", StringComparison.Ordinal)))
            Assert.Contains($"`{name}`", Document, StringComparison.Ordinal);
        Assert.Contains("facilities_{opd_office,kecamatan_office,village_office,puskesmas,school}_on_fibre_pct", Document, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryShippedIndicatorIsDocumented()
    {
        foreach (var indicator in AssessmentProfiles.BuiltIn.Values.SelectMany(p => p.Indicators))
            Assert.Contains($"`{indicator.Id}`", Document, StringComparison.Ordinal);
    }
}
