using System.Globalization;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Scenarios;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Indicators.Embedded;
using GeoReadiness.Spatial.Scenarios;
using GeoReadiness.Spatial.Tests.Scenarios;

namespace GeoReadiness.Simulation.Tests.Scenarios;

/// <summary>
/// The demo store of <see cref="ScenarioFixture"/> (the 112 planned routes of 13.05, three new towers, two upgrades
/// and their footprint), the footprint of the planned routes alone, the store's unit hierarchy, and 13.05's baseline
/// named values and questionnaire row: the inputs of the Monte-Carlo tests.
/// </summary>
public sealed class MonteCarloFixture : IAsyncLifetime
{
    public const string Unit = ScenarioFixture.Kabupaten;

    public ScenarioFixture Spatial { get; } = new();
    /// <summary>The footprint of the 112 planned routes of 13.05 only (the showcase).</summary>
    public ScenarioFootprint PlannedFootprint { get; private set; } = null!;
    public IReadOnlyList<UnitNode> UnitNodes { get; private set; } = [];
    public ScenarioUnitInput UnitInput { get; private set; } = null!;
    public long DataVersion { get; private set; }
    /// <summary>Every unit of the demo store, aggregated from the embedded engine's measures.</summary>
    public IReadOnlyList<UnitIndicators> Measured { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await Spatial.InitializeAsync();
        PlannedFootprint = (await FootprintCalculator.ComputeAsync(Spatial.Store, [Unit], Spatial.Planned, [], [], IndicatorOptions.Default)).WithHash();
        var measured = await new EmbeddedIndicatorEngine(Spatial.Store).MeasureAsync(IndicatorOptions.Default, MeasureScope.All);
        UnitNodes = measured.Units;
        DataVersion = measured.DataVersion;
        Measured = IndicatorAggregator.Aggregate(measured.Units, measured.Leaves, IndicatorOptions.Default);
        var csv = Path.Combine(ScenarioFixture.DemoDirectory, "national", "questionnaire.csv");
        var read = QuestionnaireCsv.Read(await File.ReadAllTextAsync(csv), csv);
        Assert.False(read.HasProblems);
        _questionnaire = new QuestionnaireSnapshot(read.Rows, 1, null, "questionnaire.csv");
        UnitInput = UnitInputOf(Unit);
        var scenario = ScenarioDocuments.Parse(await File.ReadAllTextAsync(ScenarioTestData.ExamplePath));
        var prepared = await ScenarioPreparation.PrepareAsync(scenario, new ScenarioBaseline(ProfileCatalog.From([]), _questionnaire, Measured, DataVersion),
            new StoreScenarioSource(Spatial.Store, IndicatorOptions.Default));
        _showcase = (scenario, prepared.Inputs);
    }

    private QuestionnaireSnapshot _questionnaire = QuestionnaireSnapshot.Empty;
    private (Scenario, ScenarioInputs) _showcase;

    /// <summary>
    /// A unit of the store with its baseline named values and the questionnaire answers of 13.05 (the production
    /// mapping, <see cref="ScenarioPreparation.UnitInput"/>, given 13.05's row).
    /// </summary>
    public ScenarioUnitInput UnitInputOf(string code)
    {
        var unit = Measured.Single(u => u.Code == code);
        var answers = _questionnaire with { Rows = [.. _questionnaire.Rows.Where(r => r.Code == Unit).Select(r => r with { Code = code })] };
        return ScenarioPreparation.UnitInput(unit, answers, 2019, out _)!;
    }

    public Task DisposeAsync() => Spatial.DisposeAsync();

    /// <summary>The inputs of a scenario over <paramref name="footprint"/> with the given intervention → elements map.</summary>
    public ScenarioInputs Inputs(ScenarioFootprint footprint, IReadOnlyDictionary<string, IReadOnlyList<string>> elements) =>
        new(AssessmentProfiles.Default, footprint, elements, [UnitInput],
            new ScenarioProvenance(DataVersion.ToString(CultureInfo.InvariantCulture), "demo questionnaire.csv", footprint.ComputeHash()));

    /// <summary>
    /// The showcase scenario (data/scenarios/padang-pariaman-263km.json) and its inputs, prepared on the demo store by
    /// the production code (<see cref="ScenarioPreparation.PrepareAsync"/>), as the CLI prepares them.
    /// </summary>
    public (Scenario Scenario, ScenarioInputs Inputs) Showcase() => _showcase;

    /// <summary>
    /// The deterministic recomputation: the footprint with <paramref name="inService"/> complete, measured per leaf,
    /// aggregated by the indicator engine's aggregator (the unit's indicators; <see cref="IndicatorValues.Of"/> names them).
    /// </summary>
    public UnitIndicators UnitWith(ScenarioFootprint footprint, IEnumerable<string> inService)
    {
        var leaves = FootprintEvaluator.Apply(footprint, inService, onlyAffected: false);
        return IndicatorAggregator.Aggregate(UnitNodes, leaves, IndicatorOptions.Default).Single(u => u.Code == Unit);
    }
}
