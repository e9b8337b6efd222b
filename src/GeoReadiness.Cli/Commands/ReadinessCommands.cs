using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;

namespace GeoReadiness.Cli.Commands;

/// <summary><c>georeadiness readiness</c>: the ranked readiness table of a level for a year.</summary>
public sealed class ReadinessCommand : ICliCommand
{
    public string Name => "readiness";
    public string Summary => "score and rank every assessed unit of a level (table, CSV or JSON)";
    public string Usage => """
        usage: georeadiness readiness [--year Y] [--profile ID[@VERSION]] [--level province|regency|district|village]
                                     [--province CODE] [--top N] [--format table|csv|json]
                                     [--data-dir DIR | --postgis CONNSTRING]

          Scores every unit of the level (default regency) that answered the questionnaire in the year
          (default: the latest year with answers) with the profile (default kominfo-2019), and ranks them:
          score descending, ties by code. Infrastructure indicators come from the spatial indicators where
          the store measures them (computed first when the data changed), else from the answers.
          --province  only the units of this province (two digits, e.g. 14); ranks stay those of the level
          --top       only the first N rows
          --format    table (default), csv (the same columns as GET /api/readiness?format=csv) or json
        Exit codes: 0 shown, 1 no answers for that level and year, unknown profile or store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("year", "profile", "level", "province", "top", "format", "data-dir", "postgis");
        if (args.Positionals.Count > 0) throw new CliUsageException($"unexpected argument(s): {string.Join(' ', args.Positionals)}");
        var level = IndicatorCli.ParseLevel(args.Option("level")) ?? AdminLevel.Regency;
        var province = args.Option("province");
        if (province is not null && !(province.Length == 2 && KemendagriCode.IsValid(province)))
            throw new CliUsageException($"--province '{province}' is not a province code, e.g. 14");
        var top = args.IntOption("top");
        if (top is < 1) throw new CliUsageException("--top must be at least 1");
        var format = ReadinessCli.ParseFormat(args.Option("format"), "table", "csv", "json");

        await using var inputs = await ReadinessCli.LoadAsync(args, context, cancellationToken);
        var levelName = level.ToString().ToLowerInvariant();
        var years = ReadinessTables.Years(inputs.Questionnaire, inputs.Indicators, level);
        var year = ReadinessTables.ChooseYear(years, args.IntOption("year"), $"{levelName} units", out var error)
            ?? throw new CliInputException($"{error}; import answers with `georeadiness questionnaire import FILE`");
        var table = ReadinessTables.Build(inputs.Profile, year, level, inputs.Questionnaire, inputs.Indicators);
        var rows = table.Units.Where(u => province is null || u.Assessment.ProvinceCode == province).Take(top ?? int.MaxValue).ToList();

        switch (format)
        {
            case "csv":
                context.Out.Write(ReadinessCsv.Write(inputs.Profile, levelName, year, rows));
                break;
            case "json":
                context.Out.WriteLine(JsonSerializer.Serialize(table with { Units = rows }, ReadinessCli.Json));
                break;
            default:
                ReadinessCli.WriteProvenance(context.Out, table.Provenance);
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{table.Units.Count} {levelName} units assessed in {year}"));
                context.Out.WriteLine();
                WriteTable(context.Out, inputs.Profile, rows);
                break;
        }
        return 0;
    }

    private static void WriteTable(TextWriter w, AssessmentProfile profile, IReadOnlyList<RankedUnit> rows)
    {
        var pillars = string.Concat(profile.Pillars.Select(p => $" {Short(p.Id),9}"));
        w.WriteLine($"{"rank",5} {"code",-8} {"name",-28} {"score",6} {"index",5} {"band",-14}{pillars} {"prov.",5} {"pct",5}");
        foreach (var r in rows)
        {
            var a = r.Assessment;
            var scores = string.Concat(a.Pillars.Select(p => $" {ReadinessCli.N(p.Score, "F1"),9}"));
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Rank,5} {a.Code,-8} {Clip(a.Name, 28),-28} {a.Score,6:F1} {a.Index,5:F2} {Clip(a.Band.Label.Id, 14),-14}{scores} {r.ProvinceRank,5} {r.ProvincePercentile,5:F0}"));
        }
    }

    private static string Short(string id) => Clip(id, 9);

    private static string Clip(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}

/// <summary><c>georeadiness readiness show CODE</c>: one unit's readiness with the explanation tree.</summary>
public sealed class ReadinessShowCommand : ICliCommand
{
    public string Name => "readiness show";
    public string Summary => "explain one unit's readiness line by line";
    public string Usage => """
        usage: georeadiness readiness show CODE [--year Y] [--profile ID[@VERSION]] [--format text|json]
                                          [--data-dir DIR | --postgis CONNSTRING]

          Prints the unit's overall score, index, band, rank and province percentile, each pillar and
          dimension, and per indicator: the value, the source used (spatial, questionnaire or formula) and
          the alternatives not used, the score, the declared and effective weight and the contribution
          (contributions add up to the overall score). Without --year, the latest year with answers.
          --format json prints the same as GET /api/readiness/CODE.
        Exit codes: 0 shown, 1 unknown unit, no answers, unknown profile or store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("year", "profile", "format", "data-dir", "postgis");
        if (args.Positionals.Count != 1) throw new CliUsageException("expected one unit CODE, e.g. 14.72");
        var code = KemendagriCode.Normalise(args.Positionals[0]) ?? throw new CliUsageException($"'{args.Positionals[0]}' is not a Kemendagri code, e.g. 14.72");
        var format = ReadinessCli.ParseFormat(args.Option("format"), "text", "json");

        await using var inputs = await ReadinessCli.LoadAsync(args, context, cancellationToken);
        var unit = inputs.Indicators.Units.FirstOrDefault(u => u.Code == code) ?? throw new CliInputException($"no unit has the code '{code}'");
        var years = ReadinessTables.Years(inputs.Questionnaire, inputs.Indicators, code: code);
        var year = ReadinessTables.ChooseYear(years, args.IntOption("year"), $"{unit.Name} ({code})", out var error)
            ?? throw new CliInputException($"{error}; import its row with `georeadiness questionnaire import FILE`");
        var table = ReadinessTables.Build(inputs.Profile, year, unit.Level, inputs.Questionnaire, inputs.Indicators);
        var ranked = table.Units.First(u => u.Assessment.Code == code);

        if (format == "json")
        {
            context.Out.WriteLine(JsonSerializer.Serialize(new
            {
                provenance = table.Provenance, rank = ranked.Rank, rankedUnits = table.Units.Count, provinceRank = ranked.ProvinceRank,
                provinceCount = ranked.ProvinceCount, provincePercentile = ranked.ProvincePercentile, years, assessment = ranked.Assessment,
            }, ReadinessCli.Json));
            return 0;
        }
        WriteExplanation(context.Out, table, ranked);
        return 0;
    }

    private static void WriteExplanation(TextWriter w, ReadinessTable table, RankedUnit ranked)
    {
        var a = ranked.Assessment;
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine($"{a.Code} {a.Name} — {a.Year.ToString(inv)}");
        ReadinessCli.WriteProvenance(w, table.Provenance);
        w.WriteLine(string.Create(inv,
            $"score {a.Score:F2} of 100, index {a.Index:F2} of 5, band {a.Band.Label.Id} ({a.Band.Label.En}); data for {a.DataShare:P0} of the weight"));
        w.WriteLine(string.Create(inv,
            $"rank {ranked.Rank} of {table.Units.Count}; {ranked.ProvinceRank} of {ranked.ProvinceCount} in province {a.ProvinceCode} (percentile {ranked.ProvincePercentile:F1})"));
        foreach (var pillar in a.Pillars)
        {
            w.WriteLine();
            w.WriteLine(string.Create(inv,
                $"{pillar.Label.Id} / {pillar.Label.En}: {ReadinessCli.N(pillar.Score, "F2")} (weight {pillar.DeclaredWeight:0.###}, effective {pillar.EffectiveWeight:F3})"));
            w.WriteLine($"  {"indicator",-26} {"value",10} {"band",-14} {"score",6} {"weight",6} {"eff.",6} {"contrib",8}  source");
            foreach (var l in a.Indicators.Where(l => l.Pillar == pillar.Id))
            {
                var value = l.DisplayValue is { } d ? d.ToString("0.###", inv) + (l.Unit is { Length: > 0 } u && u != "-" ? " " + u : "") : "–";
                var source = l.Source is { } s ? $"{s.Kind.ToString().ToLowerInvariant()} {s.Reference}" : l.MissingNote ?? "missing";
                w.WriteLine(string.Create(inv,
                    $"  {l.Id,-26} {value,10} {l.BandLabel ?? "",-14} {ReadinessCli.N(l.Score, "F0"),6} {l.DeclaredWeight,6:0.##} {l.EffectiveWeight,6:F3} {l.Contribution,8:F2}  {source}"));
                foreach (var alt in l.NotUsed)
                    w.WriteLine($"  {"",-26} not used: " + (alt.Value is { } v
                        ? $"{alt.Kind.ToString().ToLowerInvariant()} {alt.Reference} = {v.ToString("0.###", inv)}"
                        : alt.Unavailable));
            }
        }
        w.WriteLine();
        w.WriteLine("dimensions: " + string.Join(", ", a.Dimensions.Select(d => $"{d.Label.En} {ReadinessCli.N(d.Score, "F1")}")));
        w.WriteLine(string.Create(inv, $"sum of contributions: {a.Indicators.Sum(l => l.Contribution):F2} = score"));
    }
}

/// <summary><c>georeadiness profiles list</c>: the built-in and saved assessment profiles.</summary>
public sealed class ProfilesListCommand : ICliCommand
{
    public string Name => "profiles list";
    public string Summary => "list the assessment profiles (built-in and saved)";
    public string Usage => """
        usage: georeadiness profiles list [--data-dir DIR | --postgis CONNSTRING]

          One line per profile: id, version, origin, pillars, indicator count and title; saved documents
          that no longer validate are listed with their problems.
        Exit codes: 0 listed, 1 store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("data-dir", "postgis");
        if (args.Positionals.Count > 0) throw new CliUsageException($"unexpected argument(s): {string.Join(' ', args.Positionals)}");
        await using var store = await ImportCli.OpenStoreAsync(args, cancellationToken) ?? await ImportCli.OpenDefaultStoreAsync(cancellationToken);
        var catalog = ProfileCatalog.From(await AssessmentRepositories.For(store.Store).GetProfilesAsync(cancellationToken));
        foreach (var c in catalog.Profiles)
        {
            var p = c.Profile;
            var origin = c.Origin == ProfileOrigin.BuiltIn ? (p.Id == AssessmentProfiles.DefaultId ? "built-in, default" : "built-in") : "saved";
            context.Out.WriteLine($"{p.Id,-24} {p.Version,-8} {origin,-17} {p.Pillars.Count} pillars, {p.Indicators.Count,2} indicators  {p.Title.En}");
        }
        foreach (var (stored, problems) in catalog.Invalid)
            context.Out.WriteLine($"{stored.Id,-24} {stored.Version,-8} INVALID: {string.Join("; ", problems)}");
        return 0;
    }
}

/// <summary><c>georeadiness profiles add FILE</c> and <c>profiles validate FILE</c>.</summary>
public sealed class ProfilesAddCommand(bool validateOnly) : ICliCommand
{
    public ProfilesAddCommand() : this(false) { }

    public string Name => validateOnly ? "profiles validate" : "profiles add";
    public string Summary => validateOnly ? "check an assessment profile document, save nothing" : "validate and save an assessment profile document";
    public string Usage => validateOnly
        ? """
          usage: georeadiness profiles validate FILE

            Checks a profile document (docs/assessment-profile.md) and prints every problem with the path of
            its entry, e.g. "indicators[ict_staff_pct].weight: …".
          Exit codes: 0 valid, 1 problems, 2 usage.
          """
        : """
          usage: georeadiness profiles add FILE [--data-dir DIR | --postgis CONNSTRING]

            Validates the profile document and saves it in the store under its id and version, where the
            server finds it (GET /api/readiness?profile=ID). A saved profile is never overwritten: the same id
            and version with other content is refused; give the new document a new version.
          Exit codes: 0 saved (or already saved), 1 problems or conflict, 2 usage.
          """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly(validateOnly ? [] : ["data-dir", "postgis"]);
        if (args.Positionals.Count != 1) throw new CliUsageException("expected one FILE");
        var file = args.Positionals[0];
        if (!File.Exists(file)) throw new CliInputException($"{file}: file not found");
        var json = (await File.ReadAllTextAsync(file, cancellationToken)).TrimStart('\uFEFF');
        var parsed = AssessmentProfiles.TryParse(json);
        if (parsed.Profile is not { } profile)
        {
            foreach (var p in parsed.Problems) context.Out.WriteLine($"{file}: {p}");
            context.Out.WriteLine($"{parsed.Problems.Count} problem(s): the profile is not valid{(validateOnly ? "" : "; nothing was saved")}");
            return 1;
        }
        var description = $"{profile.Id} {profile.Version}: {profile.Pillars.Count} pillars, {profile.Dimensions.Count} dimensions, {profile.Indicators.Count} indicators";
        if (validateOnly)
        {
            context.Out.WriteLine($"{file}: valid — {description}");
            return 0;
        }

        await using var store = await ImportCli.OpenStoreAsync(args, cancellationToken) ?? await ImportCli.OpenDefaultStoreAsync(cancellationToken);
        var repository = AssessmentRepositories.For(store.Store);
        var catalog = ProfileCatalog.From(await repository.GetProfilesAsync(cancellationToken));
        if (catalog.Find(profile.Id, profile.Version) is { Origin: ProfileOrigin.BuiltIn })
            throw new CliInputException($"{profile.Id} {profile.Version} is a built-in profile; save your variant under another id or version");
        var outcome = await repository.SaveProfileAsync(StoredProfile.Create(profile.Id, profile.Version, json, DateTimeOffset.UtcNow), cancellationToken);
        switch (outcome.Status)
        {
            case DocumentSaveStatus.Saved:
                context.Out.WriteLine($"saved {description}");
                return 0;
            case DocumentSaveStatus.Unchanged:
                context.Out.WriteLine($"already saved: {description}");
                return 0;
            default:
                throw new CliInputException($"{profile.Id} {profile.Version} is already saved with other content (saved {outcome.Stored.SavedAt:u}); give the new document a new version");
        }
    }
}

/// <summary>What the readiness commands share: loading profile, answers and indicators; formats.</summary>
internal static class ReadinessCli
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public sealed class Inputs(OpenedStore store, ProfileCatalog profiles, AssessmentProfile profile, QuestionnaireSnapshot questionnaire, IndicatorSet indicators) : IAsyncDisposable
    {
        public ISpatialStore Store => store.Store;
        public ProfileCatalog Profiles { get; } = profiles;
        public AssessmentProfile Profile { get; } = profile;
        public QuestionnaireSnapshot Questionnaire { get; } = questionnaire;
        public IndicatorSet Indicators { get; } = indicators;

        public ValueTask DisposeAsync() => store.DisposeAsync();
    }

    /// <summary>Opens the store and loads the profile named by --profile, the answers and the current indicators.</summary>
    public static async Task<Inputs> LoadAsync(CliArgs args, CliContext context, CancellationToken ct)
    {
        var store = await ImportCli.OpenStoreAsync(args, ct) ?? await ImportCli.OpenDefaultStoreAsync(ct);
        try
        {
            var repository = AssessmentRepositories.For(store.Store);
            var catalog = ProfileCatalog.From(await repository.GetProfilesAsync(ct));
            var profile = catalog.Resolve(args.Option("profile"), out var error) ?? throw new CliInputException(error!);
            var questionnaire = await repository.GetQuestionnaireAsync(ct);
            using var service = IndicatorCli.Service(store.Store, args);
            var progress = new ProgressReporter(context.Error, context.ErrorIsTerminal);
            var set = await service.GetCurrentAsync(IndicatorOptions.Default, progress, ct);
            progress.Finish();
            return new Inputs(store, catalog, profile, questionnaire, set);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    public static string ParseFormat(string? text, params string[] formats)
    {
        var format = (text ?? formats[0]).ToLowerInvariant();
        return formats.Contains(format) ? format : throw new CliUsageException($"--format '{text}' is not one of {string.Join(", ", formats)}");
    }

    public static void WriteProvenance(TextWriter w, ReadinessProvenance p) =>
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"profile {p.ProfileId} {p.ProfileVersion} (sha256 {p.ProfileSha256[..12]}…), questionnaire version {p.QuestionnaireVersion}, "
            + $"indicator set {p.IndicatorSetId} (data version {p.DataVersion}, {p.IndicatorEngine})"));

    public static string N(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";
}
