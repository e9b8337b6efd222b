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

    /// <summary>The model written to a stream and read back.</summary>
    public ForecastModel SavedAndLoaded()
    {
        using var stream = new MemoryStream();
        Model.Save(stream);
        stream.Position = 0;
        return ForecastModel.Load(stream);
    }

    /// <summary>514 units over Indonesia's 38 provinces (<see cref="SyntheticHistory.SampleUnits"/>).</summary>
    public static IReadOnlyList<SyntheticUnit> Units() => SyntheticHistory.SampleUnits();
}
