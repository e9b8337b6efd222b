using System.Globalization;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;

namespace GeoReadiness.Cli.Commands;

/// <summary><c>georeadiness indicators compute</c>: brings the stored indicators up to date and prints a summary table.</summary>
public sealed class IndicatorsComputeCommand : ICliCommand
{
    public string Name => "indicators compute";
    public string Summary => "compute and store the readiness indicators, print a summary";
    public string Usage => $"""
        usage: georeadiness indicators compute [--level province|regency|district|village] [--parent CODE]
                                              [--engine embedded|postgis] [--full]
                                              [--data-dir DIR | --postgis CONNSTRING]
                                              {IndicatorCli.OptionUsage}

          Computes the indicators of every unit from the store's current data and stores them with their
          provenance (data version, engine, options, rules version), where the server finds them. When a set
          for the same options is stored, only the units touched by changes since are recomputed; a set that
          is already current is shown as it is. --full measures every unit anew.
          --level     print one row per unit of this level (default: one row per level with totals)
          --parent    with --level: only units below this code, e.g. 13.05
          --engine    must match the store: embedded for --data-dir, postgis for --postgis (default: the store's)
        {IndicatorCli.OptionHelp}
        Progress goes to stderr (a bar on a terminal, one line per stage otherwise).
        Exit codes: 0 computed, 1 store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "full" };

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly([.. IndicatorCli.CommonOptions, "level", "parent", "full"]);
        if (args.Positionals.Count > 0) throw new CliUsageException($"unexpected argument(s): {string.Join(' ', args.Positionals)}");
        var level = IndicatorCli.ParseLevel(args.Option("level"));
        var parent = args.Option("parent");
        if (parent is not null && level is null) throw new CliUsageException("--parent needs --level");
        if (parent is not null && !KemendagriCode.IsValid(parent)) throw new CliUsageException($"--parent '{parent}' is not a Kemendagri code, e.g. 13.05");
        var options = IndicatorCli.ParseOptions(args);

        await using var store = await IndicatorCli.OpenAsync(args, cancellationToken);
        using var service = IndicatorCli.Service(store.Store, args);
        var progress = new ProgressReporter(context.Error, context.ErrorIsTerminal);
        var started = DateTimeOffset.UtcNow.AddMilliseconds(-1);
        var set = args.Flag("full")
            ? await service.RecomputeAsync(options, progress, cancellationToken)
            : await service.GetCurrentAsync(options, progress, cancellationToken);
        progress.Finish();

        var s = set.Statistics;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"indicator set {set.Id}: data version {set.DataVersion}, engine {set.Engine}, rules {set.Rules}, computed {set.ComputedAt:yyyy-MM-dd HH:mm:ss} UTC"));
        if (set.ComputedAt < started) context.Out.WriteLine("  already current: the stored set was computed from the store's current data");
        else context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {(s.Incremental ? "incremental" : "full")}: {s.LeavesMeasured} leaves measured, {s.UnitsRecomputed} units recomputed in {s.ElapsedMilliseconds / 1000:F1} s; {set.Units.Count} units stored"));
        context.Out.WriteLine($"  options: {IndicatorCli.Describe(set.Options)}");
        context.Out.WriteLine();
        if (level is null) IndicatorCli.WriteLevelTable(context.Out, set);
        else IndicatorCli.WriteUnitTable(context.Out, set.Units.Where(u => u.Level == level && (parent is null || u.Code.StartsWith(parent + ".", StringComparison.Ordinal))));
        return 0;
    }
}

/// <summary><c>georeadiness indicators show CODE</c>: the current indicators of one unit.</summary>
public sealed class IndicatorsShowCommand : ICliCommand
{
    public string Name => "indicators show";
    public string Summary => "print the current indicators of one unit";
    public string Usage => $"""
        usage: georeadiness indicators show CODE [--engine embedded|postgis] [--data-dir DIR | --postgis CONNSTRING]
                                           {IndicatorCli.OptionUsage}

          Prints every indicator of the unit with the provenance of the set, computing (and storing) the set
          first when the data changed since the stored one.
        {IndicatorCli.OptionHelp}
        Exit codes: 0 shown, 1 unknown unit or store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly([.. IndicatorCli.CommonOptions]);
        var code = args.Positionals.Count == 1 ? args.Positionals[0] : throw new CliUsageException("expected one unit CODE, e.g. 13.05");
        if (!KemendagriCode.IsValid(code)) throw new CliUsageException($"'{code}' is not a Kemendagri code, e.g. 13.05 or 13.05.02.2001");
        var options = IndicatorCli.ParseOptions(args);
        await using var store = await IndicatorCli.OpenAsync(args, cancellationToken);
        using var service = IndicatorCli.Service(store.Store, args);
        var progress = new ProgressReporter(context.Error, context.ErrorIsTerminal);
        var set = await service.GetCurrentAsync(options, progress, cancellationToken);
        progress.Finish();
        var unit = set.Units.FirstOrDefault(u => u.Code == code) ?? throw new CliInputException($"no unit has the code '{code}'");
        IndicatorCli.WriteUnit(context.Out, set, unit);
        return 0;
    }
}

/// <summary>What the indicator commands share: options, store and engine, tables.</summary>
internal static class IndicatorCli
{
    public static readonly string[] CommonOptions =
        ["engine", "data-dir", "postgis", "fibre-reach", "household-reach", "radius-2g", "radius-3g", "radius-4g", "radius-5g", "bands"];

    public const string OptionUsage = "[--fibre-reach M] [--household-reach M] [--radius-2g M … --radius-5g M] [--bands 25,50,75]";

    public const string OptionHelp = """
          --fibre-reach      metres from existing fibre within which an office or facility is on fibre (default 500)
          --household-reach  metres from existing fibre within which households are in fixed reach (default 2000)
          --radius-2g … -5g  default coverage radius in metres per technology (5000, 3000, 2000, 1000)
          --bands            upper band edges in whole percent, increasing (default 25,50,75)
        """;

    private static readonly Dictionary<string, string> OptionFlags = new(StringComparer.Ordinal)
    {
        ["fibreReachMetres"] = "--fibre-reach",
        ["householdReachMetres"] = "--household-reach",
        ["bandEdgesPercent"] = "--bands",
    };

    public static AdminLevel? ParseLevel(string? text) => text?.ToLowerInvariant() switch
    {
        null => null,
        "province" or "provinsi" => AdminLevel.Province,
        "regency" or "kabupaten" or "kabkota" => AdminLevel.Regency,
        "district" or "kecamatan" => AdminLevel.District,
        "village" or "desa" => AdminLevel.Village,
        var l => throw new CliUsageException($"unknown --level '{l}' (expected province, regency, district or village)"),
    };

    /// <summary>The options from the flags; a bad value is a usage error naming the flag.</summary>
    public static IndicatorOptions ParseOptions(CliArgs args)
    {
        var options = IndicatorOptions.Default;
        if (Metres(args, "fibre-reach") is { } fibre) options = options with { FibreReachMetres = fibre };
        if (Metres(args, "household-reach") is { } household) options = options with { HouseholdReachMetres = household };
        var radii = options.DefaultRadiusMetres;
        foreach (var t in Enum.GetValues<RadioTechnology>())
            if (Metres(args, "radius-" + IndicatorOptions.TechnologyName(t)) is { } r) radii = radii.SetItem(t, r);
        options = options with { DefaultRadiusMetres = radii };
        if (args.Option("bands") is { } bands)
        {
            var edges = new List<int>();
            foreach (var part in bands.Split(',', StringSplitOptions.TrimEntries))
            {
                edges.Add(int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var e)
                    ? e
                    : throw new CliUsageException($"--bands: '{part}' is not a whole percent; expected increasing edges such as 25,50,75"));
            }
            options = options with { BandEdgesPercent = [.. edges] };
        }
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new CliUsageException(string.Join("; ", problems.Select(p => $"{FlagOf(p.Parameter)} {p.Message}")));
        return options;
    }

    private static string FlagOf(string option)
    {
        if (OptionFlags.TryGetValue(option, out var flag)) return flag;
        const string radius = "defaultRadiusMetres.";
        return option.StartsWith(radius, StringComparison.Ordinal) ? "--radius-" + option[radius.Length..] : option;
    }

    private static double? Metres(CliArgs args, string name)
    {
        if (args.Option(name) is not { } text) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new CliUsageException($"--{name} expects a number of metres, got '{text}'");
    }

    /// <summary>The store named by --data-dir/--postgis (default: the embedded store), after checking --engine against it.</summary>
    public static async Task<OpenedStore> OpenAsync(CliArgs args, CancellationToken ct)
    {
        var engine = args.Option("engine")?.ToLowerInvariant();
        var wanted = engine switch
        {
            null => (StoreKind?)null,
            IndicatorEngines.Embedded => StoreKind.Embedded,
            IndicatorEngines.PostGis => StoreKind.PostGis,
            _ => throw new CliUsageException($"unknown --engine '{engine}' (expected embedded or postgis)"),
        };
        var kind = args.Option("postgis") is not null ? StoreKind.PostGis : StoreKind.Embedded;
        if (wanted is { } w && w != kind)
        {
            throw new CliUsageException(kind == StoreKind.PostGis
                ? "--engine embedded measures an embedded store (--data-dir), but --postgis names a PostGIS store: use --engine postgis or leave --engine out"
                : "--engine postgis measures a PostGIS store (--postgis CONNSTRING), but the store is an embedded one (--data-dir): use --engine embedded or leave --engine out");
        }
        return await ImportCli.OpenStoreAsync(args, ct) ?? await ImportCli.OpenDefaultStoreAsync(ct);
    }

    public static IndicatorService Service(ISpatialStore store, CliArgs args)
    {
        try
        {
            return IndicatorEngines.ServiceFor(store);
        }
        catch (NotSupportedException e)
        {
            throw new CliInputException(e.Message);
        }
    }

    public static string Describe(IndicatorOptions o) =>
        string.Create(CultureInfo.InvariantCulture, $"fibre reach {o.FibreReachMetres} m, household reach {o.HouseholdReachMetres} m, radius ")
        + string.Join(" / ", o.DefaultRadiusMetres.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{IndicatorOptions.TechnologyName(kv.Key)} {kv.Value}")))
        + $" m, bands {string.Join(", ", o.Bands.Select(b => b.Label))}";

    /// <summary>One row per level: units, population, 4G share, fibre km (existing), villages on fibre.</summary>
    public static void WriteLevelTable(TextWriter w, IndicatorSet set)
    {
        w.WriteLine($"{"level",-10} {"units",8} {"population",14} {"4G share",9} {"fibre km",10} {"villages on fibre",22}");
        foreach (var level in Enum.GetValues<AdminLevel>())
        {
            var units = set.Units.Where(u => u.Level == level).ToArray();
            if (units.Length == 0) continue;
            var known = units.Where(u => u.Population is > 0 && u.Coverage.GetValueOrDefault(RadioTechnology.G4)?.PopulationCovered is not null).ToArray();
            var population = known.Sum(u => u.Population!.Value);
            double? share = population > 0 ? 100.0 * known.Sum(u => u.Coverage[RadioTechnology.G4].PopulationCovered!.Value) / population : null;
            var villages = units.Sum(u => u.VillagesOnFibre.Total);
            var onFibre = units.Sum(u => u.VillagesOnFibre.Count);
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{LevelName(level),-10} {units.Length,8:N0} {Number(units.Sum(u => u.Population ?? 0)),14} {Percent(share),9} {units.Sum(u => u.FibreKm.GetValueOrDefault(FibreStatus.Existing)),10:N1} {OnFibre(onFibre, villages),22}"));
        }
    }

    /// <summary>One row per unit.</summary>
    public static void WriteUnitTable(TextWriter w, IEnumerable<UnitIndicators> units)
    {
        w.WriteLine($"{"code",-14} {"name",-28} {"population",12} {"4G share",9} {"fibre km",10} {"villages on fibre",22}");
        var rows = 0;
        foreach (var u in units)
        {
            var name = u.Name.Length > 28 ? u.Name[..27] + "…" : u.Name;
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{u.Code,-14} {name,-28} {Number(u.Population),12} {Percent(u.Coverage.GetValueOrDefault(RadioTechnology.G4)?.SharePercent),9} {u.FibreKm.GetValueOrDefault(FibreStatus.Existing),10:N1} {OnFibre(u.VillagesOnFibre.Count, u.VillagesOnFibre.Total),22}"));
            rows++;
        }
        w.WriteLine($"{rows} unit(s)");
    }

    public static void WriteUnit(TextWriter w, IndicatorSet set, UnitIndicators u)
    {
        var ic = CultureInfo.InvariantCulture;
        w.WriteLine($"{u.Code} {u.Name} ({LevelName(u.Level)}{(u.ParentCode is null ? "" : ", in " + u.ParentCode)})");
        w.WriteLine(string.Create(ic, $"  set {set.Id}, data version {set.DataVersion}, engine {set.Engine}, rules {set.Rules}, computed {set.ComputedAt:yyyy-MM-dd HH:mm:ss} UTC"));
        w.WriteLine($"  options: {Describe(set.Options)}");
        w.WriteLine(string.Create(ic, $"  area                {u.AreaKm2:N2} km²"));
        w.WriteLine(string.Create(ic, $"  population          {Number(u.Population)} ({u.PopulationMethod}), households {Number(u.Households)}, density {(u.DensityPerKm2 is { } d ? d.ToString("N1", ic) : "–")} /km²"));
        foreach (var (t, c) in u.Coverage)
            w.WriteLine(string.Create(ic, $"  {IndicatorOptions.TechnologyName(t)} coverage         {Percent(c.SharePercent)} {Band(c.Band)} ({(c.PopulationCovered is { } p ? p.ToString("N0", ic) + " people" : "by area")})"));
        w.WriteLine("  fibre km            " + string.Join(", ", u.FibreKm.Select(kv => string.Create(ic, $"{kv.Key} {kv.Value:N2}"))));
        w.WriteLine(string.Create(ic, $"  villages on fibre   {OnFibre(u.VillagesOnFibre.Count, u.VillagesOnFibre.Total)} {Band(u.VillagesOnFibre.Band)}"));
        foreach (var (kind, share) in u.FacilitiesOnFibre.Where(kv => kv.Value.Total > 0))
            w.WriteLine(string.Create(ic, $"  {kind,-19} {OnFibre(share.Count, share.Total)} on fibre"));
        var reach = u.HouseholdsFixedReach;
        w.WriteLine(string.Create(ic, $"  fixed reach         {Percent(reach.SharePercent)} {Band(reach.Band)} of households ({(reach.Households is { } h ? h.ToString("N0", ic) : "by area")})"));
        w.WriteLine($"  towers              {u.TowersTotal} (" + string.Join(", ", u.Towers.Select(kv => $"{IndicatorOptions.TechnologyName(kv.Key)} {kv.Value}")) + ")");
    }

    private static string LevelName(AdminLevel level) => level.ToString().ToLowerInvariant();

    private static string Number(long? n) => n is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "–";

    private static string Percent(double? p) => p is { } v ? v.ToString("F1", CultureInfo.InvariantCulture) + " %" : "–";

    private static string Band(ShareBand? band) => band is null ? "" : $"[{band.Label}]";

    private static string OnFibre(long count, long total) =>
        total == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{count:N0} of {total:N0} ({100.0 * count / total:F1} %)");
}

/// <summary>
/// Progress on stderr: on a terminal a bar redrawn in place (\r); otherwise, e.g. in CI logs, one line per stage.
/// Thread-safe: engines report from many threads.
/// </summary>
internal sealed class ProgressReporter(TextWriter error, bool terminal) : IProgress<IndicatorProgress>
{
    private const int Width = 30;
    private readonly Lock _gate = new();
    private string? _stage;
    private int _shownPercent = -1;
    private int _done;
    private bool _open;

    public void Report(IndicatorProgress value)
    {
        lock (_gate)
        {
            if (value.Stage != _stage)
            {
                if (_open) error.WriteLine();
                _open = false;
                _stage = value.Stage;
                _shownPercent = -1;
                _done = 0;
                if (!terminal)
                {
                    error.WriteLine(value.Total > 0 ? $"{value.Stage}: {value.Total} to do" : value.Stage);
                    return;
                }
            }
            // Reports from parallel workers may arrive out of order: the bar never goes back.
            if (!terminal || value.Done < _done) return;
            _done = value.Done;
            var percent = value.Total > 0 ? (int)(100L * value.Done / value.Total) : 0;
            if (percent == _shownPercent && _open) return;
            _shownPercent = percent;
            var filled = value.Total > 0 ? (int)((long)Width * value.Done / value.Total) : 0;
            var counts = value.Total > 0 ? $" {percent,3}% ({value.Done}/{value.Total})" : "";
            error.Write($"\r{value.Stage,-18} [{new string('#', filled)}{new string('.', Width - filled)}]{counts}");
            _open = true;
        }
    }

    public void Finish()
    {
        lock (_gate)
        {
            if (_open) error.WriteLine();
            _open = false;
        }
    }
}
