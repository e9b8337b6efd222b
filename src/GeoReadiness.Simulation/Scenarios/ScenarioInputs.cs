using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Scenarios;

namespace GeoReadiness.Simulation.Scenarios;

/// <summary>
/// Everything a Monte-Carlo run of a scenario reads besides the scenario itself, prepared by the caller (who owns the
/// store): the profile, the footprint of the scenario's elements, which elements belong to which intervention, and
/// each scenario unit's base-year data. Pure data; see docs/scenarios.md, "Monte-Carlo runs".
/// </summary>
/// <param name="Profile">the assessment profile named by the scenario</param>
/// <param name="Footprint">the footprint of the scenario's units and elements (<see cref="FootprintCalculator"/>)</param>
/// <param name="InterventionElements">per fibre_route or tower intervention id, the ids of its elements in the footprint
/// (a fibre element per segment: its <see cref="FootprintElement.LengthKm"/> prices it; a tower element per tower)</param>
/// <param name="Units">one entry per unit of the scenario</param>
public sealed record ScenarioInputs(
    AssessmentProfile Profile,
    ScenarioFootprint Footprint,
    IReadOnlyDictionary<string, IReadOnlyList<string>> InterventionElements,
    IReadOnlyList<ScenarioUnitInput> Units,
    ScenarioProvenance Provenance)
{
    /// <summary>The K of P(top-K): the probability that a unit ranks among the K best of its level (≥ 1; default 1).</summary>
    public int TopK { get; init; } = 1;

    /// <summary>The forecast model a scenario with <c>"scoring": "ml"</c> is scored by (null with profile scoring);
    /// <see cref="ScenarioScoringCheck.Problems"/> says whether it fits the scenario.</summary>
    public ForecastModel? Model { get; init; }
}

/// <summary>One scenario unit's base-year data.</summary>
/// <param name="ProvinceCode">as for <see cref="AssessmentInput.ProvinceCode"/></param>
/// <param name="Questionnaire">the unit's questionnaire answers of the base year, by field name</param>
/// <param name="Spatial">the unit's baseline named spatial values (<see cref="IndicatorValues.Of"/>); the engine
/// recomputes every name the footprint determines and keeps the others as given</param>
public sealed record ScenarioUnitInput(
    string Code,
    string Name,
    AdminLevel Level,
    string? ProvinceCode,
    IReadOnlyDictionary<string, double> Questionnaire,
    IReadOnlyDictionary<string, IndicatorValue> Spatial);

/// <summary>Where the inputs come from, carried into the run's provenance.</summary>
/// <param name="DataVersion">the store's data version the footprint and baseline values were computed from</param>
/// <param name="QuestionnaireVersion">the version of the questionnaire data the answers come from</param>
/// <param name="FootprintHash">the footprint's content hash (<see cref="ScenarioFootprint.ComputeHash"/>)</param>
public sealed record ScenarioProvenance(string DataVersion, string QuestionnaireVersion, string FootprintHash);
