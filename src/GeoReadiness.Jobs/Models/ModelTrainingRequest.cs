using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GeoReadiness.Simulation.Forecasting;

namespace GeoReadiness.Jobs.Models;

/// <summary>
/// The trainer settings a request may change, each within bounds (null: the <see cref="ForecastOptions"/> default).
/// Fewer trees train faster and fit less: a quick model for a test or a demo.
/// </summary>
public sealed record ModelTrainingOptions(
    int? ScoreTrees = null,
    int? ScoreLeaves = null,
    double? ScoreLearningRate = null,
    int? SelectionTrees = null,
    int? SelectionLeaves = null,
    double? SelectionLearningRate = null,
    int? MinimumExampleCountPerLeaf = null,
    int? PermutationCount = null,
    double? IntervalCoverage = null)
{
    public const int MaxTrees = 2000;
    public const int MaxLeaves = 256;
    public const int MaxMinimumExampleCount = 1000;
    public const int MaxPermutations = 20;

    /// <summary>The options of a training with <paramref name="seed"/>.</summary>
    public ForecastOptions Apply(int seed)
    {
        var d = new ForecastOptions();
        return new ForecastOptions(seed, ScoreTrees ?? d.ScoreTrees, ScoreLeaves ?? d.ScoreLeaves, ScoreLearningRate ?? d.ScoreLearningRate,
            SelectionTrees ?? d.SelectionTrees, SelectionLeaves ?? d.SelectionLeaves, SelectionLearningRate ?? d.SelectionLearningRate,
            MinimumExampleCountPerLeaf ?? d.MinimumExampleCountPerLeaf, PermutationCount ?? d.PermutationCount, IntervalCoverage ?? d.IntervalCoverage);
    }
}

/// <summary>The synthetic history to train on: <see cref="SyntheticHistory"/> of the store's kabupaten/kota with this seed.</summary>
public sealed record SyntheticTrainingSource(ulong Seed);

/// <summary>
/// What a <c>model-train</c> run is asked for, stored with the run (<c>RunRecord.Request</c>): the training data
/// (a synthetic history, or a CSV table whose hash and row count are stored — the table itself is held in memory until
/// the run takes it, see <see cref="ModelTrainingInbox"/>), the profile of its columns, the training seed and options,
/// and whether to promote the model to current.
/// </summary>
/// <param name="Synthetic">train on a synthetic history (null: on the posted CSV)</param>
/// <param name="TrainingDataSha256">the CSV table's <see cref="TrainingData.Sha256"/> (null for a synthetic history)</param>
/// <param name="TrainingDataRows">the CSV table's row count</param>
/// <param name="Profile">the profile whose indicators the CSV's columns are, <c>id</c> or <c>id@version</c> (default kominfo-2019)</param>
/// <param name="Seed">the seed of ML.NET and the trainers (<see cref="ForecastOptions.Seed"/>)</param>
/// <param name="Promote">make the model the current one once saved</param>
public sealed record ModelTrainingRequest(
    SyntheticTrainingSource? Synthetic = null,
    string? TrainingDataSha256 = null,
    int? TrainingDataRows = null,
    string? Profile = null,
    int Seed = 1,
    bool Promote = false,
    ModelTrainingOptions? Options = null)
{
    /// <summary>The JSON key of the CSV text in a request body (never stored with the run).</summary>
    public const string TrainingCsvKey = "trainingCsv";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private static readonly string[] Keys = ["synthetic", TrainingCsvKey, "profile", "seed", "promote", "options"];

    private static readonly string[] OptionKeys =
    [
        "scoreTrees", "scoreLeaves", "scoreLearningRate", "selectionTrees", "selectionLeaves", "selectionLearningRate",
        "minimumExampleCountPerLeaf", "permutationCount", "intervalCoverage",
    ];

    /// <summary>The forecast options of the training.</summary>
    public ForecastOptions ForecastOptions => (Options ?? new ModelTrainingOptions()).Apply(Seed);

    /// <summary>The request as stored: a JSON object of the given fields.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>A stored request (written by <see cref="ToJson"/>).</summary>
    public static ModelTrainingRequest FromJson(string json) =>
        JsonSerializer.Deserialize<ModelTrainingRequest>(json, Json) ?? throw new InvalidDataException("the stored training request is null");

    /// <summary>
    /// Reads a JSON body: an object with exactly one of <c>synthetic</c> (<c>{"seed": N}</c>) and <c>trainingCsv</c> (the
    /// CSV text), and optionally <c>profile</c>, <c>seed</c> (0 … 2³¹−1), <c>promote</c> (true/false) and <c>options</c>
    /// (<see cref="ModelTrainingOptions"/>, each within its bounds). Every problem is added to <paramref name="errors"/> under its
    /// key (<c>$</c> for the body itself, <c>options.scoreTrees</c> for an option).
    /// </summary>
    /// <returns>the request and the CSV text (null for a synthetic history), or null when there were problems</returns>
    public static (ModelTrainingRequest Request, string? Csv)? Parse(string? body, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        const string example = "{\"synthetic\": {\"seed\": 1}} or {\"trainingCsv\": \"code,year,…\"}";
        if (RequestJson.ParseObject(body, errors, $"the body is empty: send {example}, or the CSV itself as text/csv", example) is not { } root) return null;
        var request = new ModelTrainingRequest();
        string? csv = null;
        var sources = 0;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            if (!Keys.Contains(property.Name, StringComparer.Ordinal))
            {
                Add(errors, property.Name, $"unknown key: a training request takes {string.Join(", ", Keys)}");
                continue;
            }
            if (value.ValueKind == JsonValueKind.Null) continue;
            switch (property.Name)
            {
                case "synthetic":
                    sources++;
                    if (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(p => p.Name == "seed")
                        && value.TryGetProperty("seed", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetUInt64(out var historySeed))
                        request = request with { Synthetic = new SyntheticTrainingSource(historySeed) };
                    else Add(errors, "synthetic", $"synthetic must be {{\"seed\": N}} with a whole number N ≥ 0, got {value.GetRawText()}");
                    break;
                case TrainingCsvKey:
                    sources++;
                    if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text) csv = text;
                    else Add(errors, TrainingCsvKey, "trainingCsv must be the training table's CSV text (docs/forecasting.md, \"Training data format\")");
                    break;
                case "profile":
                    if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } profile) request = request with { Profile = profile };
                    else Add(errors, "profile", $"profile must be a profile id or id@version, got {value.GetRawText()}");
                    break;
                case "seed":
                    if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var seed) && seed >= 0) request = request with { Seed = seed };
                    else Add(errors, "seed", $"the seed must be a whole number from 0 to {int.MaxValue}, got {value.GetRawText()}");
                    break;
                case "promote":
                    if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) request = request with { Promote = value.GetBoolean() };
                    else Add(errors, "promote", $"promote must be true or false, got {value.GetRawText()}");
                    break;
                case "options":
                    if (ParseOptions(value, errors) is { } options) request = request with { Options = options };
                    break;
            }
        }
        if (sources != 1 && !errors.ContainsKey("synthetic") && !errors.ContainsKey(TrainingCsvKey))
            Add(errors, "$", sources == 0 ? $"say what to train on: {example}" : "give either synthetic or trainingCsv, not both");
        if (request.Synthetic is not null && request.Profile is not null && request.Profile != SyntheticHistory.Schema.ProfileId
            && request.Profile != $"{SyntheticHistory.Schema.ProfileId}@{SyntheticHistory.Schema.ProfileVersion}")
            Add(errors, "profile", $"the synthetic history has the columns of {SyntheticHistory.Schema.ProfileId} {SyntheticHistory.Schema.ProfileVersion}, not of {request.Profile}");
        return errors.Count == 0 ? (request, csv) : null;
    }

    /// <summary>
    /// Reads the query of a <c>text/csv</c> body: <c>profile</c>, <c>seed</c> and <c>promote</c> as in the JSON form
    /// (the trainer options only come in the JSON form).
    /// </summary>
    public static ModelTrainingRequest? ParseQuery(string? profile, string? seed, string? promote, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var request = new ModelTrainingRequest(Profile: string.IsNullOrWhiteSpace(profile) ? null : profile.Trim());
        if (seed is not null)
        {
            if (int.TryParse(seed, NumberStyles.None, CultureInfo.InvariantCulture, out var s)) request = request with { Seed = s };
            else Add(errors, "seed", $"the seed must be a whole number from 0 to {int.MaxValue}, got '{seed}'");
        }
        if (promote is not null)
        {
            if (bool.TryParse(promote, out var p)) request = request with { Promote = p };
            else Add(errors, "promote", $"promote must be true or false, got '{promote}'");
        }
        return errors.Count == 0 ? request : null;
    }

    private static ModelTrainingOptions? ParseOptions(JsonElement value, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            Add(errors, "options", $"options must be an object such as {{\"scoreTrees\": 100}}, got {value.GetRawText()}");
            return null;
        }
        var o = new ModelTrainingOptions();
        var before = errors.Count;
        foreach (var property in value.EnumerateObject())
        {
            var key = "options." + property.Name;
            var v = property.Value;
            int Whole(int min, int max)
            {
                if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n >= min && n <= max) return n;
                Add(errors, key, string.Create(CultureInfo.InvariantCulture, $"{property.Name} must be a whole number from {min} to {max}, got {v.GetRawText()}"));
                return 0;
            }
            double Share(bool oneIncluded)
            {
                if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var x) && x > 0 && (x < 1 || oneIncluded && x == 1)) return x;
                Add(errors, key, $"{property.Name} must be a number above 0 and {(oneIncluded ? "at most" : "below")} 1, got {v.GetRawText()}");
                return 0;
            }
            switch (property.Name)
            {
                case "scoreTrees": o = o with { ScoreTrees = Whole(1, ModelTrainingOptions.MaxTrees) }; break;
                case "scoreLeaves": o = o with { ScoreLeaves = Whole(2, ModelTrainingOptions.MaxLeaves) }; break;
                case "scoreLearningRate": o = o with { ScoreLearningRate = Share(oneIncluded: true) }; break;
                case "selectionTrees": o = o with { SelectionTrees = Whole(1, ModelTrainingOptions.MaxTrees) }; break;
                case "selectionLeaves": o = o with { SelectionLeaves = Whole(2, ModelTrainingOptions.MaxLeaves) }; break;
                case "selectionLearningRate": o = o with { SelectionLearningRate = Share(oneIncluded: true) }; break;
                case "minimumExampleCountPerLeaf": o = o with { MinimumExampleCountPerLeaf = Whole(1, ModelTrainingOptions.MaxMinimumExampleCount) }; break;
                case "permutationCount": o = o with { PermutationCount = Whole(1, ModelTrainingOptions.MaxPermutations) }; break;
                case "intervalCoverage": o = o with { IntervalCoverage = Share(oneIncluded: false) }; break;
                default: Add(errors, key, $"unknown option: the options are {string.Join(", ", OptionKeys)}"); break;
            }
        }
        return errors.Count == before ? o : null;
    }

    private static void Add(Dictionary<string, string[]> errors, string key, string message) => RequestJson.AddError(errors, key, message);
}
