using System.Globalization;
using System.Text.Json;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Spatial.Forecasting.Storage;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;

namespace GeoReadiness.Cli.Commands;

/// <summary><c>georeadiness model train</c>: trains the forecast models and stores them in the registry (or a file).</summary>
public sealed class ModelTrainCommand : ICliCommand
{
    public string Name => "model train";
    public string Summary => "train the score and selection forecasts from past rounds and store the model";
    public string Usage => """
        usage: georeadiness model train (--data FILE.csv | --synthetic [--history-seed N]) [--seed N] [--promote]
                                   [--out FILE.zip] [--format table|json] [--data-dir DIR | --postgis CONNSTRING]

          Trains the regression of the next round's assessed score and the classifier of selection
          (docs/forecasting.md) on every round but the latest and evaluates both on the latest, against the
          naive baselines. Progress goes to stderr; stdout gets the model id, its held-out metrics beside the
          baselines' and the training time.
          --data          a training table: one row per unit per round (code, year, the kominfo-2019
                          indicators, fibre_km_existing, towers_total, share_5g_pct, assessed_score, selected)
          --synthetic     the seeded synthetic history of 2017–2025 over the store's kab/kota (over the 514 of
                          the national demo when the store has none)
          --history-seed  the synthetic history's seed (default: --seed)
          --seed          the training seed (default 1); the same data and seed give the same model id and metrics
          --promote       make the model the current one
          --out           also write the model's artefact (a zip) to FILE.zip; with --out and no --data-dir or
                          --postgis the model is only written to the file
          --format        table (default) or json: as `model evaluate --format json`, with "stored": {registry
                          ("saved" or "unchanged"), promoted, out, sha256 of the artefact}
        Without --data-dir or --postgis the default store is used ($GEOREADINESS_DATA_DIR).
        Exit codes: 0 trained, 1 file not found, invalid training data or store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "synthetic", "promote" };

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("data", "synthetic", "history-seed", "seed", "promote", "out", "format", "data-dir", "postgis");
        ModelCli.NoPositionals(args);
        var format = ReadinessCli.ParseFormat(args.Option("format"), "table", "json");
        var seed = ModelCli.Seed(args);
        var output = args.Option("out");
        var storeGiven = args.Option("data-dir") is not null || args.Option("postgis") is not null;
        if (output is not null && !storeGiven && args.Flag("promote"))
            throw new CliUsageException("--promote needs a store: give --data-dir or --postgis with --out");

        await using var store = output is not null && !storeGiven
            ? null
            : await ImportCli.OpenStoreAsync(args, cancellationToken) ?? await ImportCli.OpenDefaultStoreAsync(cancellationToken);
        var source = await ModelCli.TrainingDataAsync(args, SyntheticHistory.Schema, store?.Store, seed, context, cancellationToken);
        var model = ModelCli.Train(source, seed, context);

        var lines = new List<string>();
        var artefact = ForecastModelRegistry.Artefact(model);
        string? registryStatus = null;
        if (output is not null)
        {
            try
            {
                await File.WriteAllBytesAsync(output, artefact, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliInputException($"{output}: cannot write the model: {e.Message}");
            }
            lines.Add($"wrote {output} ({artefact.Length.ToString(CultureInfo.InvariantCulture)} bytes, sha256 {ForecastModelStorageChecks.HashOf(artefact)})");
        }
        if (store is not null)
        {
            var registry = new ForecastModelRegistry(ForecastModelRepositories.For(store.Store));
            var saved = await registry.SaveAsync(model, cancellationToken);
            registryStatus = saved.Status.ToString().ToLowerInvariant();
            lines.Add(saved.Status == DocumentSaveStatus.Saved
                ? $"model {model.VersionId} saved in the registry"
                : $"model {model.VersionId} was in the registry already (same data and options): kept as stored");
            if (args.Flag("promote"))
            {
                await registry.PromoteAsync(model.VersionId, cancellationToken);
                lines.Add($"model {model.VersionId} is now the current model");
            }
        }

        if (format == "json")
        {
            var stored = new ModelCli.StoredReport(registryStatus, store is not null && args.Flag("promote"), output, ForecastModelStorageChecks.HashOf(artefact));
            context.Out.WriteLine(JsonSerializer.Serialize(ModelCli.EvaluationReport.Of(model, source, stored), ReadinessCli.Json));
        }
        else
        {
            foreach (var line in lines) context.Out.WriteLine(line);
            ModelCli.WriteEvaluation(context.Out, model, source);
        }
        return 0;
    }
}

/// <summary><c>georeadiness model evaluate</c>: trains without storing and prints the held-out metrics.</summary>
public sealed class ModelEvaluateCommand : ICliCommand
{
    public string Name => "model evaluate";
    public string Summary => "train without storing; held-out metrics of each model and naive baseline";
    public string Usage => """
        usage: georeadiness model evaluate (--data FILE.csv | --synthetic [--history-seed N]) [--seed N]
                                      [--format table|json] [--data-dir DIR | --postgis CONNSTRING]

          Trains as `model train` does, stores nothing, and prints the metrics on the held-out latest round:
          MAE, RMSE and R² of the score regression and of the naive baselines (last-score: the unit's score
          this round; profile-score: the profile's formula), AUC, log-loss and Brier score of the selection
          classifier and of the historic-rate baseline, the calibration table and the interval coverage.
          --synthetic     the seeded synthetic history over the 514 kab/kota of the national demo (over the
                          store's kab/kota when --data-dir or --postgis is given)
          --history-seed  the synthetic history's seed (default: --seed)
          --seed          the training seed (default 1)
          --format        table (default) or json: {data, modelVersion, seed, trainingSeconds, evaluation} on
                          stdout, nothing else
        Exit codes: 0 evaluated, 1 file not found, invalid training data or store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "synthetic" };

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("data", "synthetic", "history-seed", "seed", "format", "data-dir", "postgis");
        ModelCli.NoPositionals(args);
        var format = ReadinessCli.ParseFormat(args.Option("format"), "table", "json");
        var seed = ModelCli.Seed(args);
        await using var store = await ImportCli.OpenStoreAsync(args, cancellationToken);
        var source = await ModelCli.TrainingDataAsync(args, SyntheticHistory.Schema, store?.Store, seed, context, cancellationToken);
        var model = ModelCli.Train(source, seed, context);
        if (format == "json") context.Out.WriteLine(JsonSerializer.Serialize(ModelCli.EvaluationReport.Of(model, source), ReadinessCli.Json));
        else ModelCli.WriteEvaluation(context.Out, model, source);
        return 0;
    }
}

/// <summary><c>georeadiness model list</c>: the models of the store's registry, newest first.</summary>
public sealed class ModelListCommand : ICliCommand
{
    public string Name => "model list";
    public string Summary => "list the stored forecast models (newest first, the current one marked)";
    public string Usage => """
        usage: georeadiness model list [--format table|json] [--data-dir DIR | --postgis CONNSTRING]

          One line per stored model, newest first: id ("*" marks the current one), when it was saved, its
          training seed, the held-out round, score MAE beside the last-score baseline's, selection AUC and the
          training data's hash.
        Exit codes: 0 listed, 1 store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("format", "data-dir", "postgis");
        ModelCli.NoPositionals(args);
        var format = ReadinessCli.ParseFormat(args.Option("format"), "table", "json");
        await using var store = await ImportCli.OpenStoreAsync(args, cancellationToken) ?? await ImportCli.OpenDefaultStoreAsync(cancellationToken);
        var models = await ForecastModelRepositories.For(store.Store).ListAsync(cancellationToken);
        var rows = models.Select(m => (Summary: m, Manifest: ModelCli.TryManifest(m))).ToList();
        if (format == "json")
        {
            context.Out.WriteLine(JsonSerializer.Serialize(rows.Select(r => ModelCli.Listing(r.Summary, r.Manifest)), ReadinessCli.Json));
            return 0;
        }
        if (rows.Count == 0)
        {
            context.Out.WriteLine("no models stored; train one with `georeadiness model train --synthetic` or `--data FILE.csv`");
            return 0;
        }
        context.Out.WriteLine($"  {"id",-19} {"saved (UTC)",-19} {"seed",6} {"test",4} {"MAE",6} {"last",6} {"AUC",6}  data sha256");
        foreach (var (m, manifest) in rows)
        {
            var e = manifest?.Evaluation;
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(m.IsCurrent ? "*" : " ")} {m.Id,-19} {m.SavedAt.UtcDateTime,-19:yyyy-MM-dd HH:mm:ss} {ModelCli.Text(manifest?.Options.Seed),6} {ModelCli.Text(e?.TestRound),4} {ReadinessCli.N(e?.Score.Mae, "F2"),6} {ReadinessCli.N(e?.ScoreBaselines[0].Mae, "F2"),6} {ReadinessCli.N(e?.Selection.Auc, "F3"),6}  {(manifest is null ? "unreadable manifest" : manifest.TrainingDataSha256[..12] + "…")}"));
        }
        return 0;
    }
}

/// <summary><c>georeadiness model show ID|current</c>: one model's provenance, metrics and feature importance.</summary>
public sealed class ModelShowCommand : ICliCommand
{
    public string Name => "model show";
    public string Summary => "one stored model: provenance, held-out metrics, feature importance";
    public string Usage => """
        usage: georeadiness model show ID|current [--top N] [--format text|json] [--data-dir DIR | --postgis CONNSTRING]

          Prints the model's version, training time and seed, the training data (hash, rows, schema), the
          trainers, its held-out metrics beside the baselines, and the N most important features (permutation
          importance; default 10) for the score and for selection. --format json prints the registry's
          record with the whole manifest.
        Exit codes: 0 shown, 1 unknown model id, no current model or store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("top", "format", "data-dir", "postgis");
        if (args.Positionals.Count != 1) throw new CliUsageException("expected one model ID (e.g. fm-0123456789abcdef) or 'current'");
        var format = ReadinessCli.ParseFormat(args.Option("format"), "text", "json");
        var top = ModelCli.Top(args, 10);
        await using var store = await ImportCli.OpenStoreAsync(args, cancellationToken) ?? await ImportCli.OpenDefaultStoreAsync(cancellationToken);
        var registry = new ForecastModelRegistry(ForecastModelRepositories.For(store.Store));
        var summary = await ModelCli.SummaryAsync(registry, args.Positionals[0], cancellationToken);
        var manifest = ModelCli.Manifest(summary);
        if (format == "json")
        {
            using var raw = JsonDocument.Parse(summary.ManifestJson);
            context.Out.WriteLine(JsonSerializer.Serialize(new
            {
                id = summary.Id, isCurrent = summary.IsCurrent, savedAt = summary.SavedAt, promotedAt = summary.PromotedAt,
                sha256 = summary.Sha256, artefactBytes = summary.ArtefactBytes, manifest = raw.RootElement,
            }, ReadinessCli.Json));
            return 0;
        }
        var w = context.Out;
        var ic = CultureInfo.InvariantCulture;
        w.WriteLine($"model {summary.Id}" + (summary.IsCurrent ? " (current)" : ""));
        w.WriteLine(string.Create(ic, $"saved {summary.SavedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC")
            + (summary.PromotedAt is { } p ? string.Create(ic, $", last promoted {p.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC") : ", never promoted")
            + string.Create(ic, $"; artefact {summary.ArtefactBytes} bytes, sha256 {summary.Sha256}"));
        w.WriteLine(string.Create(ic, $"trained {manifest.TrainedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC in {manifest.TrainingSeconds:F1} s, seed {manifest.Options.Seed}, format {manifest.Format}"));
        w.WriteLine(string.Create(ic, $"training data: {manifest.TrainingDataRows} rows, sha256 {manifest.TrainingDataSha256}; schema {manifest.Schema.ProfileId} {manifest.Schema.ProfileVersion}, {manifest.Features.Count} features"));
        foreach (var t in manifest.Trainers)
            w.WriteLine($"{t.Model}: {t.Trainer} ({string.Join(", ", t.Options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}"))})");
        w.WriteLine();
        ModelCli.WriteMetrics(w, manifest.Evaluation);
        w.WriteLine();
        ModelCli.WriteImportance(w, "score: permutation importance (increase of MAE, points)", manifest.ScoreImportance, top);
        w.WriteLine();
        ModelCli.WriteImportance(w, "selection: permutation importance (decrease of AUC)", manifest.SelectionImportance, top);
        return 0;
    }
}

/// <summary><c>georeadiness model promote ID</c>: makes a stored model the current one.</summary>
public sealed class ModelPromoteCommand : ICliCommand
{
    public string Name => "model promote";
    public string Summary => "make a stored model the current one";
    public string Usage => """
        usage: georeadiness model promote ID [--data-dir DIR | --postgis CONNSTRING]

          Makes the model the current one: the model predictions, explanations and `scoring: ml` scenarios
          use when none is named. The previous current model stays stored.
        Exit codes: 0 promoted, 1 unknown model id or store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("data-dir", "postgis");
        if (args.Positionals.Count != 1) throw new CliUsageException("expected one model ID, e.g. fm-0123456789abcdef (see `georeadiness model list`)");
        var id = args.Positionals[0];
        await using var store = await ImportCli.OpenStoreAsync(args, cancellationToken) ?? await ImportCli.OpenDefaultStoreAsync(cancellationToken);
        var repository = ForecastModelRepositories.For(store.Store);
        var previous = await repository.CurrentAsync(cancellationToken);
        var promoted = await repository.PromoteAsync(id, cancellationToken) ?? throw ModelCli.UnknownModel(id);
        context.Out.WriteLine($"model {promoted.Id} is now the current model (before: {previous?.Id ?? "none"})");
        return 0;
    }
}

/// <summary><c>georeadiness model explain</c>: per unit, the forecast with its interval and the top drivers up and down.</summary>
public sealed class ModelExplainCommand : ICliCommand
{
    public string Name => "model explain";
    public string Summary => "per unit: forecast, interval, selection probability and the top drivers up and down";
    public string Usage => """
        usage: georeadiness model explain [--model ID|current] (--data FILE.csv | --synthetic [--history-seed N])
                                     [--year Y] [--units CODE,…] [--top N] [--format table|json]
                                     [--data-dir DIR | --postgis CONNSTRING]

          Forecasts the round after year Y (default: the latest round of the data) for each unit from its row
          of year Y, with the model (default: the current one): the expected score with its prediction
          interval, the probability of selection, and the N features (default 5) that raise and that lower
          each most — for the score in points (tree contributions), for selection in probability (the change
          when the feature is set to its training mean).
          --data          a training table as `model train` reads it (rounds up to Y give the selections before)
          --synthetic     the synthetic history, as `model train --synthetic` builds it
          --history-seed  its seed (default: the model's training seed, i.e. the history it was trained on)
          --units         only these units (comma-separated codes); default every unit of the round
          --format        table (default) or json
        Exit codes: 0 explained, 1 unknown model, no current model, file not found, invalid data, a year or
        unit not in the data, or store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "synthetic" };

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("model", "data", "synthetic", "history-seed", "year", "units", "top", "format", "data-dir", "postgis");
        ModelCli.NoPositionals(args);
        var format = ReadinessCli.ParseFormat(args.Option("format"), "table", "json");
        var top = ModelCli.Top(args, 5);
        var codes = ModelCli.Units(args);
        await using var store = await ImportCli.OpenStoreAsync(args, cancellationToken) ?? await ImportCli.OpenDefaultStoreAsync(cancellationToken);
        var registry = new ForecastModelRegistry(ForecastModelRepositories.For(store.Store));
        var summary = await ModelCli.SummaryAsync(registry, args.Option("model") ?? "current", cancellationToken);
        ForecastModel model;
        try
        {
            model = await registry.LoadAsync(summary.Id, cancellationToken) ?? throw ModelCli.UnknownModel(summary.Id);
        }
        catch (InvalidDataException e)
        {
            throw new CliInputException(e.Message);
        }
        if (args.Flag("synthetic") && !model.Schema.Equals(SyntheticHistory.Schema))
            throw new CliInputException($"model {model.VersionId} reads profile {model.Schema.ProfileId} {model.Schema.ProfileVersion}; the synthetic history has {SyntheticHistory.Schema.ProfileId} {SyntheticHistory.Schema.ProfileVersion}: give --data");
        var source = await ModelCli.TrainingDataAsync(args, model.Schema, store.Store, model.Manifest.Options.Seed, context, cancellationToken);
        var data = source.Data;
        var year = args.IntOption("year") ?? data.Rounds[^1];
        if (!data.Rounds.Contains(year))
            throw new CliInputException($"{source.Name} has no round {year.ToString(CultureInfo.InvariantCulture)} (rounds: {string.Join(", ", data.Rounds)})");
        var round = ForecastInput.FromHistory(data, year);
        IReadOnlyList<ForecastInput> inputs = round;
        if (codes is not null)
        {
            var byCode = round.ToDictionary(i => i.Code, StringComparer.Ordinal);
            var missing = codes.Where(c => !byCode.ContainsKey(c)).ToList();
            if (missing.Count > 0)
                throw new CliInputException($"{source.Name} has no row for {string.Join(", ", missing)} in {year.ToString(CultureInfo.InvariantCulture)}");
            inputs = codes.Select(c => byCode[c]).ToList();
        }

        var predictions = model.Predict(inputs);
        var score = model.Explain(inputs, top);
        var selection = model.ExplainSelection(inputs, top);
        var units = inputs.Select((input, i) => new UnitExplanation(input.Code, input.Year, predictions[i].ForecastYear, predictions[i].Score,
            predictions[i].Lower, predictions[i].Upper, model.Manifest.Options.IntervalCoverage, predictions[i].SelectionProbability,
            score[i].Up, score[i].Down, selection[i].Up, selection[i].Down)).ToList();

        if (format == "json")
        {
            context.Out.WriteLine(JsonSerializer.Serialize(new { modelVersion = model.VersionId, data = source.Provenance, year, units }, ReadinessCli.Json));
            return 0;
        }
        var w = context.Out;
        var ic = CultureInfo.InvariantCulture;
        w.WriteLine($"model {model.VersionId}; {source.Description}; forecasts from the rows of {year.ToString(ic)}");
        foreach (var u in units)
        {
            w.WriteLine();
            w.WriteLine(string.Create(ic,
                $"{u.Code} → {u.ForecastYear}: score {u.Score:F1} ({u.IntervalCoverage:P0} interval {u.Lower:F1}–{u.Upper:F1}), P(selected) {u.SelectionProbability:F3}"));
            WriteDrivers(w, "score up", u.ScoreUp);
            WriteDrivers(w, "score down", u.ScoreDown);
            WriteDrivers(w, "selection up", u.SelectionUp);
            WriteDrivers(w, "selection down", u.SelectionDown);
        }
        return 0;
    }

    /// <summary>A line of drivers: feature = value, then its contribution with its sign (3 significant digits: selection's can be tiny).</summary>
    private static void WriteDrivers(TextWriter w, string label, IReadOnlyList<FeatureDriver> drivers) =>
        w.WriteLine($"  {label,-15} " + (drivers.Count == 0
            ? "–"
            : string.Join(", ", drivers.Select(d =>
                $"{d.Feature} {(d.Value is { } v ? "= " + v.ToString("0.###", CultureInfo.InvariantCulture) + " " : "(unknown) ")}"
                + (d.Contribution >= 0 ? "+" : "-") + Math.Abs(d.Contribution).ToString("G3", CultureInfo.InvariantCulture)))));

    /// <summary>One unit's forecast and its drivers, as <c>--format json</c> prints it.</summary>
    private sealed record UnitExplanation(string Code, int Year, int ForecastYear, double Score, double Lower, double Upper, double IntervalCoverage,
        double SelectionProbability, IReadOnlyList<FeatureDriver> ScoreUp, IReadOnlyList<FeatureDriver> ScoreDown,
        IReadOnlyList<FeatureDriver> SelectionUp, IReadOnlyList<FeatureDriver> SelectionDown);
}

/// <summary>What the model commands share: the training data, training with progress, the evaluation report.</summary>
internal static class ModelCli
{
    /// <summary>Where a training table came from.</summary>
    /// <param name="Name">the file, or "the synthetic history", for messages</param>
    /// <param name="Description">one line for the table output</param>
    /// <param name="Provenance">what the JSON output records: source, seed, units, rounds, rows, sha256</param>
    public sealed record TrainingSource(TrainingData Data, string Name, string Description, DataProvenance Provenance);

    /// <param name="Source">"synthetic" or the file's path</param>
    /// <param name="HistorySeed">the synthetic history's seed (null for a file)</param>
    public sealed record DataProvenance(string Source, ulong? HistorySeed, int Units, IReadOnlyList<int> Rounds, int Rows, string Sha256);

    public static void NoPositionals(CliArgs args)
    {
        if (args.Positionals.Count > 0) throw new CliUsageException($"unexpected argument(s): {string.Join(' ', args.Positionals)}");
    }

    /// <summary>--seed: the training seed (default 1, as <see cref="ForecastOptions"/>).</summary>
    public static int Seed(CliArgs args) => args.IntOption("seed") is { } seed
        ? seed >= 0 ? seed : throw new CliUsageException($"--seed must not be negative, got {seed.ToString(CultureInfo.InvariantCulture)}")
        : new ForecastOptions().Seed;

    public static int Top(CliArgs args, int fallback) => args.IntOption("top") is { } top
        ? top >= 1 ? top : throw new CliUsageException("--top must be at least 1")
        : fallback;

    /// <summary>--units as normalised codes, or null for every unit.</summary>
    public static IReadOnlyList<string>? Units(CliArgs args)
    {
        if (args.Option("units") is not { } text) return null;
        var codes = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => KemendagriCode.Normalise(c) ?? throw new CliUsageException($"--units: '{c}' is not a Kemendagri code, e.g. 14.72"))
            .Distinct(StringComparer.Ordinal).ToList();
        return codes.Count > 0 ? codes : throw new CliUsageException("--units needs at least one code");
    }

    /// <summary>The training table of --data FILE or --synthetic (over the store's kab/kota, else the national demo's).</summary>
    /// <param name="defaultHistorySeed">the synthetic history's seed when --history-seed is not given</param>
    public static async Task<TrainingSource> TrainingDataAsync(CliArgs args, TrainingSchema schema, ISpatialStore? store, int defaultHistorySeed,
        CliContext context, CancellationToken cancellationToken)
    {
        var file = args.Option("data");
        var synthetic = args.Flag("synthetic");
        if ((file is null) == !synthetic) throw new CliUsageException("give either --data FILE.csv or --synthetic");
        if (file is not null)
        {
            if (args.Option("history-seed") is not null) throw new CliUsageException("--history-seed goes with --synthetic, not --data");
            if (!File.Exists(file)) throw new CliInputException($"{file}: file not found");
            var read = TrainingCsv.Read(await File.ReadAllTextAsync(file, cancellationToken), file, schema);
            if (read.Data is null)
                throw new CliInputException($"{file}: invalid training data ({read.Problems.Count} problem(s)):" + Environment.NewLine
                    + string.Join(Environment.NewLine, read.Problems.Select(p => $"  {file}: {p}")));
            return Source(read.Data, file, file, null);
        }

        ulong historySeed = args.Option("history-seed") is { } s
            ? ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw new CliUsageException($"--history-seed expects a whole number ≥ 0, got '{s}'")
            : (ulong)defaultHistorySeed;
        var units = await SyntheticUnitsAsync(store, context, cancellationToken);
        var history = SyntheticHistory.Generate(units, historySeed, SyntheticHistoryOptions.Default.ScaledTo(units.Count));
        return Source(history.Data, "the synthetic history", string.Create(CultureInfo.InvariantCulture, $"synthetic history (seed {historySeed})"), historySeed);
    }

    private static TrainingSource Source(TrainingData data, string name, string description, ulong? historySeed)
    {
        var units = data.Rows.Select(r => r.Code).Distinct(StringComparer.Ordinal).Count();
        var ic = CultureInfo.InvariantCulture;
        return new TrainingSource(data, name,
            string.Create(ic, $"{description}: {units} units, rounds {string.Join(", ", data.Rounds)}, {data.Rows.Count} rows, sha256 {data.Sha256[..12]}…"),
            new DataProvenance(historySeed is null ? name : "synthetic", historySeed, units, data.Rounds, data.Rows.Count, data.Sha256));
    }

    /// <summary>The store's kab/kota; the national demo's 514 when there is no store or it has none.</summary>
    private static async Task<IReadOnlyList<SyntheticUnit>> SyntheticUnitsAsync(ISpatialStore? store, CliContext context, CancellationToken cancellationToken)
    {
        if (store is not null)
        {
            var regencies = await store.QueryUnitsAsync(new UnitQuery(Level: AdminLevel.Regency), cancellationToken);
            if (regencies.Count >= SyntheticHistory.MinimumUnits)
                return regencies.Select(r => new SyntheticUnit(r.Code, r.Name, r.ParentCode ?? r.Code[..2])).ToList();
            if (regencies.Count > 0)
                throw new CliInputException(string.Create(CultureInfo.InvariantCulture,
                    $"the store has {regencies.Count} kab/kota; a synthetic history needs at least {SyntheticHistory.MinimumUnits} (without --data-dir and --postgis, `model evaluate --synthetic` uses the 514 of the national demo)"));
            context.Error.WriteLine("note: the store has no kab/kota; the synthetic history covers the 514 of the national demo");
        }
        return SyntheticHistory.SampleUnits();
    }

    /// <summary>Trains with the seed, progress lines on stderr; training data the trainer refuses is a CLI error.</summary>
    public static ForecastModel Train(TrainingSource source, int seed, CliContext context)
    {
        try
        {
            return ForecastTrainer.Train(source.Data, new ForecastOptions(Seed: seed), progress: new Lines(context.Error));
        }
        catch (TrainingDataException e)
        {
            throw new CliInputException($"{source.Name}: {e.Message}");
        }
    }

    /// <summary>Progress lines written at once (ForecastTrainer reports from the calling thread).</summary>
    private sealed class Lines(TextWriter error) : IProgress<string>
    {
        public void Report(string value) => error.WriteLine(value);
    }

    /// <summary>What <c>model evaluate --format json</c> prints: the data, the model version and seed, and the held-out evaluation.</summary>
    /// <param name="Stored">what <c>model train</c> did with the model (left out by evaluate)</param>
    public sealed record EvaluationReport(DataProvenance Data, string ModelVersion, int Seed, double TrainingSeconds, ForecastEvaluation Evaluation,
        StoredReport? Stored = null)
    {
        public static EvaluationReport Of(ForecastModel model, TrainingSource source, StoredReport? stored = null) =>
            new(source.Provenance, model.VersionId, model.Manifest.Options.Seed, model.Manifest.TrainingSeconds, model.Evaluation, stored);
    }

    /// <param name="Registry">"saved", "unchanged" (the id was stored already) or null (not stored)</param>
    /// <param name="Promoted">made the current model</param>
    /// <param name="Out">the file the artefact was written to</param>
    public sealed record StoredReport(string? Registry, bool Promoted, string? Out, string Sha256);

    public static void WriteEvaluation(TextWriter w, ForecastModel model, TrainingSource source)
    {
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model {model.VersionId}, seed {model.Manifest.Options.Seed}, trained in {model.Manifest.TrainingSeconds:F1} s"));
        w.WriteLine("data: " + source.Description);
        w.WriteLine();
        WriteMetrics(w, model.Evaluation);
    }

    /// <summary>The held-out metrics of each model beside its baselines, the calibration table and the interval coverage.</summary>
    public static void WriteMetrics(TextWriter w, ForecastEvaluation e)
    {
        var ic = CultureInfo.InvariantCulture;
        w.WriteLine(string.Create(ic,
            $"held-out round {e.TestRound}: {e.TestExamples} examples; trained on the outcomes of {string.Join(", ", e.TrainRounds)} ({e.TrainExamples} examples)"));
        w.WriteLine();
        w.WriteLine($"{"score",-16} {"MAE",8} {"RMSE",8} {"R²",8}");
        foreach (var m in e.ScoreBaselines.Prepend(e.Score))
            w.WriteLine(string.Create(ic, $"{m.Name,-16} {m.Mae,8:F3} {m.Rmse,8:F3} {m.RSquared,8:F3}"));
        w.WriteLine(string.Create(ic, $"MAE improvement over last-score: {e.MaeImprovement:P1}"));
        w.WriteLine();
        w.WriteLine($"{"selection",-16} {"AUC",8} {"log-loss",8} {"Brier",8}");
        foreach (var m in new[] { e.Selection, e.SelectionBaseline })
            w.WriteLine(string.Create(ic, $"{m.Name,-16} {m.Auc,8:F3} {m.LogLoss,8:F3} {m.Brier,8:F4}"));
        w.WriteLine();
        w.WriteLine($"calibration of {e.Selection.Name}:");
        w.WriteLine($"  {"probability",-11} {"units",5} {"predicted",9} {"observed",9}");
        foreach (var b in e.Selection.Calibration.Where(b => b.Count > 0))
            w.WriteLine(string.Create(ic, $"  {b.From:F1}–{b.To,-7:F1} {b.Count,5} {b.MeanPredicted,9:F3} {b.ObservedRate,9:F3}"));
        w.WriteLine("interval coverage (split-half): " + string.Join(", ",
            e.Intervals.Select(i => string.Create(ic, $"{i.Nominal:P0} nominal → {i.Coverage:P1} ({i.Lower:+0.0;-0.0}/{i.Upper:+0.0;-0.0})"))));
    }

    public static void WriteImportance(TextWriter w, string title, IReadOnlyList<FeatureImportance> importance, int top)
    {
        w.WriteLine(title);
        foreach (var f in importance.Take(top))
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {f.Feature,-26} {f.Change,9:F4} ± {f.StandardError:F4}"));
    }

    /// <summary>The summary of ID, or of the current model for "current".</summary>
    /// <exception cref="CliInputException">no such model, or no current model.</exception>
    public static async Task<ForecastModelSummary> SummaryAsync(ForecastModelRegistry registry, string id, CancellationToken cancellationToken)
    {
        if (id == "current")
            return await registry.CurrentAsync(cancellationToken)
                ?? throw new CliInputException("no current model: promote one with `georeadiness model promote ID` (see `georeadiness model list`) or train with --promote");
        return await registry.GetSummaryAsync(id, cancellationToken) ?? throw UnknownModel(id);
    }

    public static CliInputException UnknownModel(string id) => new($"no model '{id}' in the registry (see `georeadiness model list`)");

    public static ForecastManifest Manifest(ForecastModelSummary summary)
    {
        try
        {
            return ForecastModelRegistry.ReadManifest(summary);
        }
        catch (InvalidDataException e)
        {
            throw new CliInputException(e.Message);
        }
    }

    public static ForecastManifest? TryManifest(ForecastModelSummary summary)
    {
        try
        {
            return ForecastModelRegistry.ReadManifest(summary);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>One model as <c>model list --format json</c> prints it.</summary>
    public static object Listing(ForecastModelSummary m, ForecastManifest? manifest) => new
    {
        id = m.Id, isCurrent = m.IsCurrent, savedAt = m.SavedAt, promotedAt = m.PromotedAt, sha256 = m.Sha256, artefactBytes = m.ArtefactBytes,
        trainedAt = manifest?.TrainedAt, seed = manifest?.Options.Seed, trainingDataSha256 = manifest?.TrainingDataSha256,
        testRound = manifest?.Evaluation.TestRound, scoreMae = manifest?.Evaluation.Score.Mae, lastScoreMae = manifest?.Evaluation.ScoreBaselines[0].Mae,
        maeImprovement = manifest?.Evaluation.MaeImprovement, selectionAuc = manifest?.Evaluation.Selection.Auc,
    };

    public static string Text(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "–";
}
