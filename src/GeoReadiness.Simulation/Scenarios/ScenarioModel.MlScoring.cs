using System.Runtime.InteropServices;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Forecasting;

namespace GeoReadiness.Simulation.Scenarios;

/// <summary>
/// Whether a forecast model can score a scenario with <c>"scoring": "ml"</c> (docs/scenarios.md, "Scoring with the ML
/// model"): the callers check it once the model is loaded, the engine again before drawing.
/// </summary>
public static class ScenarioScoringCheck
{
    /// <summary>The feature names after the indicators and infrastructure values, in the order the engine writes them.</summary>
    private static readonly string[] Tail = ["assessed_score", "selected_before", "years_to_next", "unselected_rank"];

    /// <summary>
    /// Every reason <paramref name="model"/> cannot score <paramref name="scenario"/> under <paramref name="profile"/>,
    /// each at the path of the document key concerned (<c>scoring</c> or <c>model</c>); none when it can (or when the
    /// scenario uses profile scoring and no model is given).
    /// </summary>
    public static IReadOnlyList<ProfileProblem> Problems(Scenario scenario, AssessmentProfile profile, ForecastModel? model)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(profile);
        var problems = new List<ProfileProblem>();
        if (scenario.Scoring != ScenarioScoring.Ml)
        {
            if (model is not null)
                problems.Add(new ProfileProblem("scoring", $"the scenario scores with its profile, yet model {model.VersionId} was given: set \"scoring\": \"ml\" to use it"));
            return problems;
        }
        if (model is null)
        {
            problems.Add(new ProfileProblem("scoring", scenario.Model is { } id
                ? $"the scenario scores with model {id}, which was not loaded"
                : "the scenario scores with the ML model, but no model was given"));
            return problems;
        }
        if (scenario.Model is { } named && named != model.VersionId)
            problems.Add(new ProfileProblem("model", $"the scenario names model {named}, but model {model.VersionId} was given"));
        var schema = model.Schema;
        if (schema.ProfileId != profile.Id || schema.ProfileVersion != profile.Version)
            problems.Add(new ProfileProblem("model", $"model {model.VersionId} was trained on profile {schema.ProfileId} {schema.ProfileVersion}; "
                + $"the scenario's profile is {profile.Id} {profile.Version}: train a model on it or score with the profile"));
        var missing = schema.Indicators.Where(i => !profile.Indicators.Any(p => p.Id == i)).ToArray();
        if (missing.Length > 0)
            problems.Add(new ProfileProblem("model", $"model {model.VersionId} reads indicator(s) {string.Join(", ", missing)}, which profile {profile.Id} {profile.Version} does not have"));
        var unknown = schema.Infrastructure.Where(n => !UnitCountValues.Names.Contains(n)).ToArray();
        if (unknown.Length > 0)
            problems.Add(new ProfileProblem("model", $"model {model.VersionId} reads infrastructure value(s) {string.Join(", ", unknown)}, which the scenario engine does not recompute per draw "
                + $"(it does: {string.Join(", ", UnitCountValues.Names)})"));
        var n = schema.Indicators.Count + schema.Infrastructure.Count;
        if (model.FeatureCount != n + Tail.Length || !model.Manifest.Features.Skip(n).SequenceEqual(Tail))
            problems.Add(new ProfileProblem("model", $"model {model.VersionId} has features {string.Join(", ", model.Manifest.Features)}; "
                + $"the engine writes the indicators, the infrastructure values, then {string.Join(", ", Tail)}"));
        return problems;
    }
}

internal sealed partial class ScenarioModel
{
    /// <summary>The run's ML scoring; null with profile scoring.</summary>
    private readonly MlScoring? _ml;

    /// <summary>The band position of a score, as <see cref="CompiledScorer"/> places an overall score (same slack).</summary>
    private int BandOfScore(double score)
    {
        var bands = _inputs.Profile.Bands;
        var value = bands.On == BandBasis.Index ? 1 + 4 * score / 100 : score;
        var band = bands.Levels.Count - 1;
        while (band > 0 && !(bands.Levels[band].From <= value + 1e-12))
            band--;
        return band;
    }

    /// <summary>The provenance with the scoring: unchanged for profile scoring (so its JSON stays as it was).</summary>
    private RunProvenance WithScoring(RunProvenance provenance) => _ml is { } ml
        ? provenance with { Scoring = "ml", ModelVersion = ml.Model.VersionId, ModelError = ml.Error }
        : provenance;

    private sealed partial class DrawState
    {
        /// <summary>Every unit's profile score of the last evaluated year, by unit.</summary>
        public ReadOnlySpan<double> Scores => _score;

        /// <summary>Unit <paramref name="u"/>'s raw value of profile indicator <paramref name="indicator"/> (NaN: none), as last scored.</summary>
        public double Raw(int u, int indicator) => _memory[u].Raw[indicator];
    }

    /// <summary>
    /// What ML scoring needs that does not change between draws: the model, where each feature comes from, and the
    /// stream key of each unit's model error. Immutable; shared by the chunks.
    /// </summary>
    private sealed class MlScoring
    {
        public readonly ForecastModel Model;
        public readonly bool Error;
        public readonly int Width;
        /// <summary>Per model indicator, its position in the profile's indicators.</summary>
        public readonly int[] IndicatorOf;
        /// <summary>Per model infrastructure value, its position in <see cref="UnitCountValues.Names"/>.</summary>
        public readonly int[] InfrastructureOf;
        public readonly string[] ErrorKeys;
        /// <summary>Serialises predictions that go through ML.NET (a model whose trees are not evaluated directly).</summary>
        public readonly Lock? Gate;

        private MlScoring(ScenarioModel m, ForecastModel model, bool error)
        {
            Model = model;
            Error = error;
            Width = model.FeatureCount;
            var indicators = m._inputs.Profile.Indicators.Select(i => i.Id).ToList();
            IndicatorOf = [.. model.Schema.Indicators.Select(i => indicators.IndexOf(i))];
            InfrastructureOf = [.. model.Schema.Infrastructure.Select(n => Array.IndexOf(UnitCountValues.Names, n))];
            ErrorKeys = [.. m._units.Select(u => "model-error:" + u.Code)];
            Gate = model.ScoresDirectly ? null : new Lock();
        }

        /// <summary>The ML scoring of a run; null with profile scoring.</summary>
        /// <exception cref="ArgumentException">the model does not fit (<see cref="ScenarioScoringCheck.Problems"/>)</exception>
        public static MlScoring? For(ScenarioModel m, Scenario scenario, ScenarioInputs inputs)
        {
            var problems = ScenarioScoringCheck.Problems(scenario, inputs.Profile, inputs.Model);
            if (problems.Count > 0)
                throw new ArgumentException(string.Join("; ", problems.Select(p => p.ToString())), nameof(inputs));
            return inputs.Model is { } model ? new MlScoring(m, model, scenario.ModelError) : null;
        }
    }

    /// <summary>
    /// One chunk's ML scoring (or the baseline's, without model error): per draw each unit's model error, per evaluated
    /// year the feature rows of all units and one batch prediction of the rows that changed since the unit's last
    /// prediction (an unchanged row predicts the same, bit for bit), and the scores: prediction + error, within 0–100.
    /// Used by one thread.
    /// </summary>
    private sealed class MlChunk
    {
        private readonly ScenarioModel m;
        private readonly MlScoring s;
        private readonly RandomStream[]? _streams;
        private readonly float[] _rows;
        private readonly float[] _last;
        private readonly bool[] _predicted;
        private readonly double[] _prediction;
        private readonly double[] _batchScores;
        private readonly int[] _batchUnits;
        private readonly double[] _error;
        private readonly double[] _score;
        private readonly int[] _rank;
        private readonly int[][] _order;

        /// <param name="chunk">the chunk whose streams the model errors come from; null: no model error (the baseline)</param>
        public MlChunk(ScenarioModel model, MlScoring scoring, SamplingChunk? chunk)
        {
            m = model;
            s = scoring;
            var n = m._units.Length;
            _streams = chunk is not null && s.Error ? [.. s.ErrorKeys.Select(chunk.Random)] : null;
            _rows = new float[n * s.Width];
            _last = new float[n * s.Width];
            _predicted = new bool[n];
            _prediction = new double[n];
            _batchScores = new double[n];
            _batchUnits = new int[n];
            _error = new double[n];
            _score = new double[n];
            _rank = new int[n];
            _order = [.. m._levelUnits.Select(l => (int[])l.Clone())];
        }

        /// <summary>The ML scores of the last <see cref="Score"/>, by unit.</summary>
        public ReadOnlySpan<double> Scores => _score;

        /// <summary>Draws each unit's model error for the next draw (persistent over its years).</summary>
        public void BeginDraw()
        {
            if (_streams is null) return;
            for (var u = 0; u < _streams.Length; u++)
                _error[u] = s.Model.Residuals.Sample(_streams[u]);
        }

        /// <summary>Scores every unit in the year the draw state was last evaluated for.</summary>
        public void Score(DrawState state)
        {
            Rank(state.Scores);
            var width = s.Width;
            var indicators = s.IndicatorOf;
            var infrastructure = s.InfrastructureOf;
            var batch = 0;
            for (var u = 0; u < _score.Length; u++)
            {
                var row = _rows.AsSpan(batch * width, width);
                var k = 0;
                foreach (var i in indicators) row[k++] = (float)state.Raw(u, i);
                foreach (var i in infrastructure) row[k++] = (float)state.Named(u, i);
                row[k++] = (float)state.Score(u);
                row[k++] = 0;           // selected_before: the scenario's units are candidates
                row[k++] = 1;           // years_to_next: each result year is forecast one round ahead
                row[k] = _rank[u];      // unselected_rank among the draw's units of the level
                var last = _last.AsSpan(u * width, width);
                if (_predicted[u] && MemoryMarshal.AsBytes(row).SequenceEqual(MemoryMarshal.AsBytes(last)))
                    continue;
                row.CopyTo(last);
                _predicted[u] = true;
                _batchUnits[batch++] = u;
            }
            if (batch > 0)
            {
                var features = _rows.AsSpan(0, batch * width);
                var scores = _batchScores.AsSpan(0, batch);
                if (s.Gate is { } gate)
                    lock (gate) s.Model.PredictScores(features, scores);
                else
                    s.Model.PredictScores(features, scores);
                for (var b = 0; b < batch; b++) _prediction[_batchUnits[b]] = scores[b];
            }
            for (var u = 0; u < _score.Length; u++)
                _score[u] = Math.Clamp(_prediction[u] + _error[u], 0, 100);
        }

        /// <summary>Writes the ML scores over the profile scores of one year's outputs.</summary>
        public void Write(Span<double> outputs, int y)
        {
            for (var u = 0; u < _score.Length; u++)
                outputs[(u * m._years.Length + y) * m._perUnitYear] = _score[u];
        }

        /// <summary>
        /// Each unit's rank by profile score among the units of its level (1 = the highest; ties in scenario order, as
        /// <see cref="ForecastInput.Ranked"/>), sorted again by insertion from the previous order.
        /// </summary>
        private void Rank(ReadOnlySpan<double> score)
        {
            foreach (var order in _order)
            {
                for (var k = 1; k < order.Length; k++)
                {
                    var x = order[k];
                    var j = k - 1;
                    for (; j >= 0 && (score[order[j]] < score[x] || (score[order[j]] == score[x] && order[j] > x)); j--) order[j + 1] = order[j];
                    order[j + 1] = x;
                }
                for (var k = 0; k < order.Length; k++) _rank[order[k]] = k + 1;
            }
        }
    }
}
