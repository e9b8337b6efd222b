using GeoReadiness.Simulation.Assessment;

namespace GeoReadiness.Simulation.Scenarios;

/// <summary>Loads scenario documents (format: docs/scenarios.md). Pure: text in, records out.</summary>
public static class ScenarioDocuments
{
    /// <summary>The <c>kind</c> values an intervention may have.</summary>
    public static IReadOnlyCollection<string> InterventionKinds => ScenarioReader.KindNames;

    /// <summary>
    /// Validates a scenario document; every problem is reported, each with the path of its entry. The checks that
    /// need the store are listed in the scenario's <see cref="Scenario.StoreChecks"/> for the caller to make.
    /// </summary>
    public static ScenarioParseResult TryParse(string json) => ScenarioReader.Read(json);

    /// <summary>The scenario of a valid document.</summary>
    /// <exception cref="ScenarioValidationException">the document does not validate; see its Problems</exception>
    public static Scenario Parse(string json)
    {
        var result = TryParse(json);
        return result.Scenario ?? throw new ScenarioValidationException(result.Problems);
    }

    /// <summary>
    /// Makes the checks that need the store (<see cref="Scenario.StoreChecks"/>) with <paramref name="failure"/>, which
    /// returns null when a check passes or the message of its problem; gives every problem, in the checks' order.
    /// </summary>
    public static IReadOnlyList<ProfileProblem> CheckStore(Scenario scenario, Func<StoreCheck, string?> failure)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(failure);
        var problems = new List<ProfileProblem>();
        foreach (var check in scenario.StoreChecks)
            if (failure(check) is { } message)
                problems.Add(check.Fail(message));
        return problems;
    }
}
