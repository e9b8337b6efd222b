using System.Globalization;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Randomness;

namespace GeoReadiness.Simulation.Cohorts;

/// <summary>The inputs of a cohort resolved from the store, or the problems (with their paths) that prevent it.</summary>
public sealed record CohortSourceResult(CohortInputs? Inputs, IReadOnlyList<ProfileProblem> Problems);

/// <summary>
/// Where a cohort's scores come from (docs/cohorts.md, "Sources of scores"), shared by the API and the CLI.
/// <c>readiness</c> (the default): the profile's readiness table of the year, as the readiness endpoints compute it
/// (<see cref="ReadinessTables"/>), with Monte-Carlo draws of a seeded assessment noise N(0, <see cref="CohortRequest.Noise"/>)
/// added to every unit's score independently — the panel's scores scatter around the formula — so that the
/// frequencies and P(top-K) say how sure each place is.
/// </summary>
public static class CohortSources
{
    /// <summary>The profile's readiness of the year.</summary>
    public const string Readiness = "readiness";

    /// <summary>An ML model's forecast of the next round, with draws of the model's held-out error.</summary>
    public const string Forecast = "forecast";

    /// <summary>The sources a request may name.</summary>
    public static IReadOnlyList<string> Known { get; } = [Readiness, Forecast];

    /// <summary>
    /// Years from the assessment round whose answers feed a forecast to the round forecast: the programme assessed
    /// every two years (2017, 2019, 2021), so a forecast from 2019 answers is of the 2021 round.
    /// </summary>
    public const int ForecastHorizon = 2;

    /// <summary>
    /// The default standard deviation of the assessment noise, in score points (0–100). A panel scores the
    /// questionnaire's answers and documents by judgement; two panels scoring the same unit differ by a few points.
    /// 3 points is an eighth of a band (the kominfo-2019 bands are 25 points wide) and 0.12 on the 1–5 index: a unit
    /// 3 points above the cut-off falls below it in about one draw in six. Settable per request; 0 means no draws.
    /// </summary>
    public const double DefaultNoise = 3.0;

    /// <summary>The default number of draws (the docs' figures: a few seconds of CPU for a national pool).</summary>
    public const int DefaultDraws = 1000;

    /// <summary>The questionnaire field that flags a 3T region (frontier, outermost, underdeveloped).</summary>
    public const string ThreeTField = "three_t";

    /// <summary>
    /// Resolves the request's profile, year and level against the stores and builds the inputs; the problems name
    /// <c>profile</c>, <c>year</c> or <c>level</c> when those cannot be resolved.
    /// </summary>
    /// <param name="models">the store's model registry, for the <c>forecast</c> source</param>
    public static async Task<CohortSourceResult> LoadAsync(CohortRequest request, IAssessmentRepository repository,
        IndicatorService indicators, ForecastModelRegistry? models = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(indicators);
        var problems = new List<ProfileProblem>();
        var profile = ProfileCatalog.From(await repository.GetProfilesAsync(cancellationToken)).Resolve(request.Profile, out var profileError);
        if (profileError is not null) problems.Add(new ProfileProblem("profile", profileError));
        var level = CohortRequestParser.ParseLevel(request.Level ?? "regency");
        if (level is null) problems.Add(new ProfileProblem("level", $"'{request.Level}' is not a level"));
        if (problems.Count > 0 || profile is null || level is not { } lv) return new CohortSourceResult(null, problems);

        var questionnaire = await repository.GetQuestionnaireAsync(cancellationToken);
        var set = await indicators.GetCurrentAsync(IndicatorOptions.Default, cancellationToken);
        var years = ReadinessTables.Years(questionnaire, set, lv);
        if (ReadinessTables.ChooseYear(years, request.Year, $"{CohortRequestParser.LevelName(lv)} units", out var yearError) is not { } year)
            return new CohortSourceResult(null, [new ProfileProblem("year", yearError!)]);
        if (request.Source != Forecast)
            return new CohortSourceResult(FromReadiness(request, profile, year, lv, questionnaire, set), []);

        var model = models is null ? null
            : request.Model is { } id ? await models.LoadAsync(id, cancellationToken) : await models.LoadCurrentAsync(cancellationToken);
        if (model is null)
            return new CohortSourceResult(null, [new ProfileProblem(request.Model is null ? "source" : "model", request.Model is { } named
                ? $"no forecast model '{named}' in the registry (see georeadiness model list)"
                : "the model registry has no current forecast model: train and promote one (georeadiness model train --promote)")]);
        if (ForecastProblem(model, profile) is { } problem) return new CohortSourceResult(null, [problem]);
        return new CohortSourceResult(FromForecast(request, profile, year, lv, questionnaire, set, model), []);
    }

    /// <summary>Why <paramref name="model"/> cannot forecast from <paramref name="profile"/>'s assessments, or null.</summary>
    public static ProfileProblem? ForecastProblem(ForecastModel model, AssessmentProfile profile)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(profile);
        var schema = model.Schema;
        if (schema.ProfileId != profile.Id || schema.ProfileVersion != profile.Version)
            return new ProfileProblem("model", $"model {model.VersionId} was trained on profile {schema.ProfileId} {schema.ProfileVersion}, "
                + $"the request's profile is {profile.Id} {profile.Version}");
        var missing = schema.Indicators.Where(i => profile.Indicators.All(p => p.Id != i)).ToArray();
        return missing.Length > 0
            ? new ProfileProblem("model", $"model {model.VersionId} reads indicator(s) {string.Join(", ", missing)}, which the profile does not have")
            : null;
    }

    /// <summary>
    /// The <c>forecast</c> inputs: every unit of the level that answered in the year, its score the model's forecast of
    /// the round <see cref="ForecastHorizon"/> years later (from the unit's indicator values, infrastructure values and
    /// assessed score of the year, ranked among the units not mentored before), its gain the profile's
    /// (<see cref="MentoringOutcomes"/>), its reasons the model's feature contributions, and unless the number of draws
    /// is 0 the seeded draws of the forecast plus the model's held-out error (<see cref="ResidualDistribution"/>).
    /// <see cref="CohortRequest.Noise"/> is not used: the model's own error is the uncertainty.
    /// </summary>
    public static CohortInputs FromForecast(CohortRequest request, AssessmentProfile profile, int year, AdminLevel level,
        QuestionnaireSnapshot questionnaire, IndicatorSet indicators, ForecastModel model)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(model);
        var mentored = (request.MentoredBefore ?? []).ToHashSet(StringComparer.Ordinal);
        var schema = model.Schema;
        var pool = new List<CohortUnit>();
        var gains = new List<double>();
        var forecastInputs = new List<ForecastInput>();
        foreach (var input in ReadinessTables.Inputs(year, level, questionnaire, indicators))
        {
            var (now, outlook) = MentoringOutcomes.Outlook(profile, input);
            pool.Add(Unit(input, now, mentored));
            gains.Add(outlook.Gain);
            var raw = now.Indicators.ToDictionary(l => l.Id, l => l.RawValue, StringComparer.Ordinal);
            forecastInputs.Add(new ForecastInput(input.Code, year,
                schema.Indicators.Select(i => raw.GetValueOrDefault(i)).ToArray(),
                schema.Infrastructure.Select(n => input.Spatial.TryGetValue(n, out var v) ? v.Value : null).ToArray(),
                now.Score, mentored.Contains(input.Code), ForecastHorizon));
        }
        var ranked = ForecastInput.Ranked(forecastInputs);
        var predictions = model.Predict(ranked);
        var outlooks = predictions.Select((p, i) => new UnitOutlook(p.Code, p.Score, gains[i])).ToArray();
        var reasons = model.Explain(ranked, top: 3).ToDictionary(e => e.Code, e => CohortReasons.FromForecast(e, profile), StringComparer.Ordinal);
        var drawCount = request.Draws ?? DefaultDraws;
        var versions = Versions(Forecast, profile, year, level, questionnaire, indicators);
        versions["model"] = model.VersionId;
        versions["forecastYear"] = Text(year + ForecastHorizon);
        versions["draws"] = Text(drawCount);
        var draws = drawCount > 0 ? ErrorDraws(outlooks, model.Residuals, drawCount, request.Seed) : null;
        return new CohortInputs(pool, profile.Bands, outlooks, draws, reasons, versions);
    }

    /// <summary>
    /// <paramref name="count"/> draws of every unit's forecast plus one draw of the model's error each (inverse-CDF of
    /// the held-out residuals), independent per unit and draw, from one xoshiro256** stream seeded with
    /// <paramref name="seed"/> (draw by draw, units in code order).
    /// </summary>
    public static CohortDraws ErrorDraws(IReadOnlyList<UnitOutlook> outlooks, ResidualDistribution residuals, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        return Draws(outlooks, count, seed, (rng, ready) => ready + residuals.Sample(rng.NextDouble()));
    }

    /// <summary>
    /// The <c>readiness</c> inputs: every unit of the level that answered in the year, scored by the profile (its
    /// readiness now and its gain under <see cref="MentoringOutcomes.Typical"/>), with the reasons of its readiness
    /// explanation and, unless the noise or the number of draws is 0, the seeded draws.
    /// </summary>
    public static CohortInputs FromReadiness(CohortRequest request, AssessmentProfile profile, int year, AdminLevel level,
        QuestionnaireSnapshot questionnaire, IndicatorSet indicators)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(profile);
        var mentored = (request.MentoredBefore ?? []).ToHashSet(StringComparer.Ordinal);
        var pool = new List<CohortUnit>();
        var outlooks = new List<UnitOutlook>();
        var reasons = new Dictionary<string, UnitReasons>(StringComparer.Ordinal);
        foreach (var input in ReadinessTables.Inputs(year, level, questionnaire, indicators))
        {
            var (now, outlook) = MentoringOutcomes.Outlook(profile, input);
            pool.Add(Unit(input, now, mentored));
            outlooks.Add(outlook);
            reasons[input.Code] = CohortReasons.FromAssessment(now);
        }
        var noise = request.Noise ?? DefaultNoise;
        var drawCount = request.Draws ?? DefaultDraws;
        var versions = Versions(Readiness, profile, year, level, questionnaire, indicators);
        versions["noise"] = noise.ToString("0.####", CultureInfo.InvariantCulture);
        versions["draws"] = Text(noise > 0 ? drawCount : 0);
        var draws = noise > 0 && drawCount > 0 ? NoiseDraws(outlooks, noise, drawCount, request.Seed) : null;
        return new CohortInputs(pool, profile.Bands, outlooks, draws, reasons, versions);
    }

    /// <summary>
    /// <paramref name="count"/> draws of every unit's score plus N(0, <paramref name="sd"/>) noise, independent per unit
    /// and draw, from one xoshiro256** stream seeded with <paramref name="seed"/> (draw by draw, units in code order;
    /// Box–Muller). The scores are not clipped to 0–100: only their order matters to the selection.
    /// </summary>
    public static CohortDraws NoiseDraws(IReadOnlyList<UnitOutlook> outlooks, double sd, int count, ulong seed) =>
        Draws(outlooks, count, seed, (rng, ready) =>
        {
            var u1 = 1.0 - rng.NextDouble(); // (0, 1]
            var u2 = rng.NextDouble();
            return ready + sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        });

    private static CohortDraws Draws(IReadOnlyList<UnitOutlook> outlooks, int count, ulong seed, Func<Rng, double, double> draw)
    {
        ArgumentNullException.ThrowIfNull(outlooks);
        var ordered = outlooks.OrderBy(o => o.Code, StringComparer.Ordinal).ToArray();
        var rng = new Rng(seed);
        var rows = new double[count][];
        for (var d = 0; d < count; d++)
        {
            var row = rows[d] = new double[ordered.Length];
            for (var j = 0; j < row.Length; j++)
                row[j] = draw(rng, ordered[j].Ready);
        }
        return new CohortDraws(ordered.Select(o => o.Code).ToArray(), rows);
    }

    /// <summary>One xoshiro256** stream shared by reference (the generator is a struct).</summary>
    private sealed class Rng(ulong seed)
    {
        private Xoshiro256StarStar _state = Xoshiro256StarStar.FromSeed(seed);

        public double NextDouble() => _state.NextDouble();
    }

    private static CohortUnit Unit(AssessmentInput input, UnitAssessment now, HashSet<string> mentored) =>
        new(input.Code, input.Name, input.ProvinceCode ?? input.Code[..2], input.Level,
            input.Questionnaire.TryGetValue(ThreeTField, out var t) && t >= 1, mentored.Contains(input.Code), now.Band.Id);

    private static Dictionary<string, string> Versions(string source, AssessmentProfile profile, int year, AdminLevel level,
        QuestionnaireSnapshot questionnaire, IndicatorSet indicators)
    {
        var provenance = ReadinessTables.Provenance(profile, year, questionnaire, indicators);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["source"] = source,
            ["profile"] = $"{provenance.ProfileId}@{provenance.ProfileVersion}",
            ["profileSha256"] = provenance.ProfileSha256,
            ["year"] = Text(year),
            ["level"] = CohortRequestParser.LevelName(level),
            ["questionnaireVersion"] = Text(provenance.QuestionnaireVersion),
            ["indicatorSet"] = provenance.IndicatorSetId.ToString(),
            ["dataVersion"] = Text(provenance.DataVersion),
        };
    }

    private static string Text(long v) => v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A chosen cohort, or every problem (with its path) that prevents it.</summary>
public sealed record CohortSelection(CohortResult? Result, IReadOnlyList<ProfileProblem> Problems)
{
    /// <summary>The result as a cohort to save under a new id.</summary>
    public static Spatial.Cohorts.Storage.StoredCohort ToStored(CohortResult result, Guid id, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(result);
        var request = result.Provenance.Request;
        return new Spatial.Cohorts.Storage.StoredCohort(id, createdAt, request.K, CohortValidator.Wire(request.Objective),
            result.Provenance.Versions.GetValueOrDefault("level") ?? request.Level,
            int.TryParse(result.Provenance.Versions.GetValueOrDefault("year"), CultureInfo.InvariantCulture, out var year) ? year : request.Year,
            result.Provenance.RequestSha256, result.Provenance.Seed, result.ToJson());
    }
}

/// <summary>Saving a chosen cohort, as the API and the CLI do.</summary>
public static class CohortSaving
{
    /// <summary>Saves the result under a new id, stamped now (to the microsecond, as both stores keep it); the record saved.</summary>
    public static async Task<Spatial.Cohorts.Storage.StoredCohort> SaveAsync(CohortResult result, Spatial.Cohorts.Storage.ICohortRepository repository,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var stored = Spatial.Cohorts.Storage.CohortRepositories.Normalised(CohortSelection.ToStored(result, Guid.NewGuid(), DateTimeOffset.UtcNow));
        await repository.SaveAsync(stored, cancellationToken);
        return stored;
    }
}

/// <summary>The whole pipeline the API and the CLI share: request → scores from the store → the exact cohort.</summary>
public static class CohortSelector
{
    /// <summary>
    /// Resolves the request's scores (<see cref="CohortSources.LoadAsync"/>) and chooses the cohort
    /// (<see cref="CohortEngine.Select"/>); a request the store or the engine refuses gives its problems instead.
    /// </summary>
    public static async Task<CohortSelection> SelectAsync(CohortRequest request, IAssessmentRepository repository, IndicatorService indicators,
        ForecastModelRegistry? models = null, CancellationToken cancellationToken = default, int? maxDegreeOfParallelism = null)
    {
        var source = await CohortSources.LoadAsync(request, repository, indicators, models, cancellationToken);
        if (source.Inputs is not { } inputs) return new CohortSelection(null, source.Problems);
        try
        {
            return new CohortSelection(CohortEngine.Select(request, inputs, maxDegreeOfParallelism), []);
        }
        catch (CohortValidationException e)
        {
            return new CohortSelection(null, e.Problems);
        }
    }
}
