using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Spatial.Forecasting.Storage;

namespace GeoReadiness.Simulation.Scenarios;

/// <summary>
/// The forecast model a scenario with <c>"scoring": "ml"</c> is scored by, from the store's model registry: the one
/// the document names, else the current one (docs/scenarios.md, "Scoring with the ML model"). Used by the CLI's
/// <c>scenario run</c>, the API's run executor and, for its up-front check, <c>POST /api/scenarios/{id}/runs</c>.
/// </summary>
public static class ScenarioScoringModels
{
    /// <summary>
    /// Why the registry cannot give the scenario its model, read from the summaries only (no artefact is loaded):
    /// null when it can, or when the scenario scores with its profile.
    /// </summary>
    public static async Task<ProfileProblem?> RegistryProblemAsync(Scenario scenario, IForecastModelRepository repository,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(repository);
        if (scenario.Scoring != ScenarioScoring.Ml) return null;
        if (scenario.Model is { } id)
            return await repository.GetSummaryAsync(id, cancellationToken).ConfigureAwait(false) is null ? NoSuchModel(id) : null;
        return await repository.CurrentAsync(cancellationToken).ConfigureAwait(false) is null ? NoCurrentModel() : null;
    }

    /// <summary>
    /// <paramref name="inputs"/> with the scenario's model (unchanged for profile scoring), checked against the
    /// scenario and its profile (<see cref="ScenarioScoringCheck.Problems"/>).
    /// </summary>
    /// <exception cref="ScenarioValidationException">no such model, no current model, a stored artefact that cannot be
    /// read, or a model that does not fit the scenario; every problem at the path <c>scoring</c> or <c>model</c></exception>
    public static async Task<ScenarioInputs> WithModelAsync(Scenario scenario, ScenarioInputs inputs, ForecastModelRegistry registry,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(registry);
        if (scenario.Scoring != ScenarioScoring.Ml) return inputs;
        ForecastModel? model;
        try
        {
            model = scenario.Model is { } id
                ? await registry.LoadAsync(id, cancellationToken).ConfigureAwait(false)
                : await registry.LoadCurrentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw new ScenarioValidationException([new ProfileProblem(scenario.Model is null ? "scoring" : "model", $"the model cannot be loaded: {e.Message}")]);
        }
        if (model is null)
            throw new ScenarioValidationException([scenario.Model is { } named ? NoSuchModel(named) : NoCurrentModel()]);
        var problems = ScenarioScoringCheck.Problems(scenario, inputs.Profile, model);
        if (problems.Count > 0) throw new ScenarioValidationException(problems);
        return inputs with { Model = model };
    }

    private static ProfileProblem NoSuchModel(string id) =>
        new("model", $"the store's model registry holds no model {id} (the stored ones: GET /api/models)");

    private static ProfileProblem NoCurrentModel() =>
        new("scoring", "the scenario scores with the ML model, but the store has no current model: train one and promote it "
            + "(POST /api/models/{id}/promote), or name a stored one with \"model\"");
}
