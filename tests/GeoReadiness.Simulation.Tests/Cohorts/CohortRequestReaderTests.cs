using GeoReadiness.Simulation.Cohorts;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Simulation.Tests.Cohorts;

/// <summary>
/// Reading a request from the user's JSON with a path for every malformed value, the seeded assessment-noise draws of
/// the readiness source, and the CSV and GeoJSON of a result (and its round trip through its JSON).
/// </summary>
public sealed class CohortRequestReaderTests
{
    [Fact]
    public void TheIssuesExampleReadsAsIs()
    {
        var (request, problems) = CohortRequestParser.Read("""
            {"k": 50, "level": "regency", "year": 2021, "objective": "most_ready",
              "constraints": {"minPerIslandGroup": 3, "maxPerProvince": 5, "min3T": 5}, "seed": 5}
            """);

        Assert.Empty(problems);
        Assert.Equal(new CohortRequest(50, CohortObjective.MostReady, new(MaxPerProvince: 5, MinPerIslandGroup: 3, Min3T: 5),
            Seed: 5, Level: "regency", Year: 2021), request);
        // the same request as the core's deserialiser reads it, so the same hash
        Assert.Equal(CohortRequest.FromJson(request!.ToJson()).Sha256(), request.Sha256());
    }

    [Fact]
    public void EveryOptionalKeyIsRead()
    {
        var (request, problems) = CohortRequestParser.Read("""
            {"k": 3, "objective": "blend", "weight": 0.25, "units": ["14.72", "13.05", "13.71", "31.71"], "mentoredBefore": ["13.05"],
             "constraints": {"excludeMentored": true, "minBand": "kurang_siap", "minPerProvince": 0, "maxPerIslandGroup": 2},
             "source": "readiness", "noise": 0, "draws": 10, "profile": "kominfo-2019", "level": "Regency", "seed": 18446744073709551615}
            """);

        Assert.Empty(problems);
        Assert.Equal(CohortObjective.Blend, request!.Objective);
        Assert.Equal(0.25, request.Weight);
        Assert.Equal(["14.72", "13.05", "13.71", "31.71"], request.Units!);
        Assert.Equal(["13.05"], request.MentoredBefore!);
        Assert.Equal(new CohortConstraints(MinPerProvince: 0, MaxPerIslandGroup: 2, ExcludeMentored: true, MinBand: "kurang_siap"), request.Constraints);
        Assert.Equal(("readiness", 0.0, 10, "kominfo-2019", "regency", ulong.MaxValue),
            (request.Source, request.Noise, request.Draws, request.Profile, request.Level, request.Seed));
    }

    [Fact]
    public void EveryMalformedValueIsAProblemAtItsPath()
    {
        var (request, problems) = CohortRequestParser.Read("""
            {"k": 2.5, "objective": "best", "weight": "half", "constraints": {"maxPerProvince": "five", "min3T": true, "excludeMentored": 1,
             "minPerCity": 2}, "units": ["14.72", 13, "14-72"], "seed": -1, "level": "city", "year": 1990, "source": "oracle",
             "noise": -2, "draws": 1000000, "mentoredBefore": "14.72", "colour": "red"}
            """);

        Assert.Null(request);
        Assert.Equal(
            ["colour", "constraints.excludeMentored", "constraints.maxPerProvince", "constraints.min3T", "constraints.minPerCity", "draws", "k",
             "level", "mentoredBefore", "noise", "objective", "seed", "source", "units[1]", "units[2]", "weight", "year"],
            problems.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.Contains(problems, p => p.Path == "constraints.maxPerProvince" && p.Message == "\"five\" is not a whole number");
        Assert.Contains(problems, p => p.Path == "units[2]" && p.Message == "\"14-72\" is not a Kemendagri code, e.g. 14.72");
        Assert.Contains(problems, p => p.Path == "source" && p.Message.Contains("use readiness", StringComparison.Ordinal));
    }

    [Fact]
    public void AModelIsReadForTheForecastSourceOnly()
    {
        var (request, problems) = CohortRequestParser.Read("""{"k": 5, "source": "forecast", "model": "fm-0123456789abcdef"}""");
        Assert.Empty(problems);
        Assert.Equal(("forecast", "fm-0123456789abcdef"), (request!.Source, request.Model));
        Assert.Equal(["model"], CohortRequestParser.Read("""{"k": 5, "model": "fm-0123456789abcdef"}""").Problems.Select(p => p.Path));
    }

    [Fact]
    public void TheErrorDrawsAddTheModelsResidualsSeeded()
    {
        UnitOutlook[] outlooks = [new("13.05", 40, 5), new("14.72", 70, 0)];
        var residuals = new GeoReadiness.Simulation.Forecasting.ResidualDistribution([-2.0, -1, 0, 1, 2]);
        var draws = CohortSources.ErrorDraws(outlooks, residuals, 500, 5);

        Assert.Equal(draws.Ready.SelectMany(r => r), CohortSources.ErrorDraws(outlooks, residuals, 500, 5).Ready.SelectMany(r => r));
        Assert.All(draws.Ready, r => Assert.InRange(r[1], 68, 72));
        Assert.InRange(draws.Ready.Average(r => r[0]), 39.8, 40.2);
    }

    [Fact]
    public void AMissingKNotAnObjectAndInvalidJsonAreProblems()
    {
        Assert.Equal(["k"], CohortRequestParser.Read("""{"objective": "most_ready"}""").Problems.Select(p => p.Path));
        Assert.Equal(["$"], CohortRequestParser.Read("[1, 2]").Problems.Select(p => p.Path));
        Assert.Equal(["$"], CohortRequestParser.Read("{\"k\": ").Problems.Select(p => p.Path));
    }

    [Fact]
    public void TheNoiseDrawsAreSeededIndependentOfTheOrderOfTheOutlooksAndScatterWithTheirStandardDeviation()
    {
        UnitOutlook[] outlooks = [new("13.05", 40, 5), new("14.72", 70, 0)];
        var draws = CohortSources.NoiseDraws(outlooks, 3, 4000, 5);
        var again = CohortSources.NoiseDraws([.. outlooks.Reverse()], 3, 4000, 5);
        var other = CohortSources.NoiseDraws(outlooks, 3, 4000, 6);

        Assert.Equal(["13.05", "14.72"], draws.Codes);
        Assert.Equal(draws.Ready.SelectMany(r => r), again.Ready.SelectMany(r => r));
        Assert.NotEqual(draws.Ready.SelectMany(r => r), other.Ready.SelectMany(r => r));
        var dumai = draws.Ready.Select(r => r[1]).ToArray();
        var mean = dumai.Average();
        var sd = Math.Sqrt(dumai.Sum(v => (v - mean) * (v - mean)) / (dumai.Length - 1));
        Assert.InRange(mean, 70 - 4 * 3 / Math.Sqrt(4000), 70 + 4 * 3 / Math.Sqrt(4000)); // 4 standard errors
        Assert.InRange(sd, 2.8, 3.2);
    }

    [Fact]
    public void TheCsvAndGeoJsonListTheCohortThenTheBorderlineUnitsAndTheResultRoundTripsThroughItsJson()
    {
        var (pool, outlooks) = CohortTestData.National();
        var request = new CohortRequest(10, CohortObjective.MostReady, new(MinPerIslandGroup: 1), Seed: 3);
        var inputs = new CohortInputs(pool, CohortTestData.Bands, outlooks, CohortSources.NoiseDraws(outlooks, 3, 50, 3));
        var result = CohortEngine.Select(request, inputs, 1);

        Assert.Equal(result.ToJson(), CohortResult.FromJson(result.ToJson()).ToJson());
        var rows = CohortOutputs.Rows(result).ToArray();
        var outside = result.Borderline.Where(b => b.Rank is null).Select(b => b.Code).ToArray();
        Assert.Equal(result.Selected.Select(s => s.Code).Concat(outside), rows.Select(r => r.Entry.Code));
        var csv = CohortOutputs.ToCsv(result).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', CohortOutputs.Columns), csv[0]);
        Assert.Equal(1 + rows.Length, csv.Length);
        Assert.StartsWith($"selected,1,{result.Selected[0].Code},", csv[1], StringComparison.Ordinal);
        Assert.StartsWith($"borderline,,{outside[0]},", csv[11], StringComparison.Ordinal);

        var square = new GeometryFactory(new PrecisionModel(), 4326).CreatePolygon([new(100, 0), new(101, 0), new(101, 1), new(100, 0)]);
        var map = System.Text.Json.JsonDocument.Parse(CohortOutputs.ToGeoJson(result, CohortOutputs.MappedCodes(result).ToDictionary(c => c, _ => (Geometry)square)));
        var features = map.RootElement.GetProperty("features").EnumerateArray().ToArray();
        Assert.Equal(rows.Length, features.Length);
        Assert.Equal("Polygon", features[0].GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(result.Selected[0].Frequency, features[0].GetProperty("properties").GetProperty("frequency").GetDouble());
        Assert.Throws<ArgumentException>(() => CohortOutputs.ToGeoJson(result, new Dictionary<string, Geometry>()));
    }
}
