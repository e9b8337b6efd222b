using System.Collections.Immutable;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Tests.Indicators;

public sealed class IndicatorOptionsTests
{
    [Fact]
    public void DumaisFourGCoverageFallsInTheSecondBand()
    {
        // Dumai reports 4G coverage of 159,913 of 319,827 people: 49.9998 %, band 26–50.
        var band = IndicatorOptions.Default.BandOf(100.0 * 159_913 / 319_827);
        Assert.Equal("26–50", band!.Label);
        Assert.Equal(2, band.Index);
    }

    [Theory]
    [InlineData(0.0, "0–25")]
    [InlineData(25.0, "0–25")]
    [InlineData(25.49, "0–25")]
    [InlineData(25.5, "26–50")]
    [InlineData(50.0, "26–50")]
    [InlineData(75.4, "51–75")]
    [InlineData(75.5, "76–100")]
    [InlineData(100.0, "76–100")]
    public void SharesAreRoundedToAWholePercentThenBanded(double share, string label) =>
        Assert.Equal(label, IndicatorOptions.Default.BandOf(share)!.Label);

    [Fact]
    public void BandEdgesAreConfigurable()
    {
        var options = IndicatorOptions.Default with { BandEdgesPercent = [10, 90] };
        Assert.Equal(["0–10", "11–90", "91–100"], options.Bands.Select(b => b.Label));
        Assert.Equal("11–90", options.BandOf(50)!.Label);
        Assert.Null(options.BandOf(null));
    }

    [Fact]
    public void EveryProblemIsNamedByItsParameter()
    {
        var options = IndicatorOptions.Default with
        {
            FibreReachMetres = -5,
            HouseholdReachMetres = double.NaN,
            BandEdgesPercent = [50, 25, 120],
            DefaultRadiusMetres = IndicatorOptions.Default.DefaultRadiusMetres.SetItem(RadioTechnology.G4, 0),
        };
        var problems = options.Validate().Select(p => p.Parameter).ToArray();
        Assert.Contains("fibreReachMetres", problems);
        Assert.Contains("householdReachMetres", problems);
        Assert.Contains("bandEdgesPercent", problems);
        Assert.Contains("defaultRadiusMetres.4g", problems);
        Assert.Empty(IndicatorOptions.Default.Validate());
    }

    [Fact]
    public void OptionsCompareByValue()
    {
        var a = IndicatorOptions.Default with { DefaultRadiusMetres = ImmutableSortedDictionary.CreateRange(IndicatorOptions.Default.DefaultRadiusMetres) };
        Assert.Equal(IndicatorOptions.Default, a);
        Assert.NotEqual(IndicatorOptions.Default, a with { BandEdgesPercent = [20, 50, 75] });
    }

    [Theory]
    [InlineData("4g", RadioTechnology.G4)]
    [InlineData("5G", RadioTechnology.G5)]
    public void TechnologiesParseFromTheirIndicatorNames(string text, RadioTechnology expected)
    {
        Assert.True(IndicatorOptions.TryParseTechnology(text, out var t));
        Assert.Equal(expected, t);
        Assert.False(IndicatorOptions.TryParseTechnology("6g", out _));
    }
}
