namespace GeoReadiness.Simulation.Scenarios;

/// <summary>
/// The root seed and the exact number of draws a run asks for instead of the document's (null: the document's), as
/// the CLI's <c>--seed</c>/<c>--draws</c> and the API's run request give them.
/// </summary>
public sealed record RunOverride(int? Draws, ulong? Seed)
{
    /// <summary>The fewest draws a run may ask for: a standard error needs two.</summary>
    public const int MinDraws = 2;

    /// <summary>The scenario with the seed and, for <see cref="Draws"/>, exactly that many draws rounded up to whole chunks (no tolerance).</summary>
    public Scenario Apply(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (Seed is { } root) scenario = scenario with { Seed = root };
        if (Draws is { } n)
        {
            var chunk = scenario.Sampling.ChunkSize;
            var whole = (int)Math.Min(int.MaxValue / chunk * (long)chunk, ((long)n + chunk - 1) / chunk * chunk);
            scenario = scenario with { Sampling = scenario.Sampling with { MinDraws = whole, MaxDraws = whole, Tolerance = double.MaxValue } };
        }
        return scenario;
    }

    /// <summary>
    /// The run as reported: with a fixed number of draws no tolerance applied, so the result's tolerance is the largest
    /// score standard error reached.
    /// </summary>
    public ScenarioRun Finish(ScenarioRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Draws is not null ? run with { Tolerance = run.Units.Max(u => u.Score.StandardError) } : run;
    }

    /// <summary>An exception's message for a person: without the " (Parameter 'x')" suffix of argument exceptions.</summary>
    public static string Message(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e is ArgumentException { ParamName: { } name } a ? a.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
    }
}
