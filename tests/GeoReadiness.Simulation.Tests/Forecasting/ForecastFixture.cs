using GeoReadiness.Simulation.Forecasting;

namespace GeoReadiness.Simulation.Tests.Forecasting;

/// <summary>The test classes that share one <see cref="ForecastFixture"/> (one training for all of them).</summary>
[CollectionDefinition(Name)]
public sealed class ForecastCollection : ICollectionFixture<ForecastFixture>
{
    public const string Name = "Forecasting";
}

/// <summary>The synthetic history of 514 kabupaten/kota over the programme's 8 rounds and one model trained on it, built once for the <see cref="ForecastCollection"/>.</summary>
public sealed class ForecastFixture
{
    public const ulong HistorySeed = 20251125;
    public static readonly ForecastOptions Options = new(Seed: 7);

    public ForecastFixture()
    {
        History = SyntheticHistory.Generate(Units(), HistorySeed);
        Model = ForecastTrainer.Train(History.Data, Options);
    }

    public SyntheticHistoryResult History { get; }

    public ForecastModel Model { get; }

    /// <summary>The inputs of the latest round but one: the held-out examples' features.</summary>
    public IReadOnlyList<ForecastInput> HeldOutInputs() => ForecastInput.FromHistory(History.Data, History.Data.Rounds[^2]);

    /// <summary>
    /// 514 units over Indonesia's 38 provinces (13 or 14 each; two or three of them kota, numbered from 71), codes in
    /// the Kemendagri form — the shape of the real list, enough for the process's island and kota effects.
    /// </summary>
    public static IReadOnlyList<SyntheticUnit> Units()
    {
        string[] provinces =
        [
            "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36", "51", "52", "53",
            "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82", "91", "92", "93", "94", "95", "96",
        ];
        var units = new List<SyntheticUnit>();
        for (var p = 0; p < provinces.Length; p++)
        {
            var count = 13 + (p < 20 ? 1 : 0);
            var kota = 2 + (p % 3 == 0 ? 1 : 0);
            for (var k = 0; k < count; k++)
            {
                var number = k < count - kota ? k + 1 : 71 + (k - (count - kota));
                var code = $"{provinces[p]}.{number:00}";
                units.Add(new SyntheticUnit(code, (number >= 71 ? "Kota " : "Kabupaten ") + code, provinces[p]));
            }
        }
        return units;
    }
}
