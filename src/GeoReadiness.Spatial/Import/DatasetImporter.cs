using System.Collections.Immutable;
using GeoReadiness.Spatial.IO;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using static GeoReadiness.Spatial.Import.SourceValues;

namespace GeoReadiness.Spatial.Import;

/// <summary>
/// Reads a file, maps it onto the domain model by the field conventions (or an explicit mapping), validates
/// it and — when nothing is wrong — writes it with one all-or-nothing <see cref="ISpatialStore.ApplyAsync"/>.
/// Any error leaves the store untouched; the <see cref="ImportReport"/> says what was found and done.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public sealed class DatasetImporter
{
    private static readonly string[] CodeColumns = ["kode", "kode_kemendagri", "kode_kemendagri_nodot", "kode_wilayah", "kode_nodot"];
    /// <summary>BIG/RBI columns from the most to the least specific level; the most specific filled one is the feature's code.</summary>
    private static readonly string[] HierarchicalCodeColumns = ["KDEPUM", "KDCPUM", "KDPKAB", "KDPPUM"];
    private static readonly string[] NameColumns = ["nama", "NAMOBJ", "name"];

    /// <summary>Validates without writing. Without a store, parents and attribute-table codes outside the file cannot be checked and are noted as such.</summary>
    public Task<ImportReport> ValidateAsync(ImportRequest request, ISpatialStore? store, CancellationToken cancellationToken = default) =>
        RunAsync(request, store, apply: false, cancellationToken);

    /// <summary>Validates and, unless <see cref="ImportRequest.DryRun"/> is set or there are errors, applies the file to the store.</summary>
    public Task<ImportReport> ImportAsync(ImportRequest request, ISpatialStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return RunAsync(request, store, apply: !request.DryRun, cancellationToken);
    }

    private static async Task<ImportReport> RunAsync(ImportRequest request, ISpatialStore? store, bool apply, CancellationToken ct)
    {
        var ctx = new ImportContext(request.Strict);
        var report = new ImportReport { File = request.Path, Layer = request.Layer, Strict = request.Strict, DryRun = request.DryRun };
        SourceDataset dataset;
        try
        {
            dataset = Read(request);
        }
        catch (DatasetReadException e)
        {
            ctx.Error(e.FeatureIndex, null, e.Message);
            return report with { Issues = ctx.Issues };
        }
        report = report with { Format = dataset.Format, SourceCrs = dataset.SourceCrs, FeatureCount = dataset.Features.Count };

        DatasetChange change;
        try
        {
            var columns = new SourceColumns(dataset, request.Mapping);
            var source = $"{Path.GetFileName(request.Path)} ({request.Layer.Name()})";
            change = request.Layer switch
            {
                ImportLayer.Units => new DatasetChange { Source = source, Units = await MapUnitsAsync(dataset, columns, store, ctx, ct) },
                ImportLayer.Fibre => new DatasetChange { Source = source, FibreRoutes = MapFibre(dataset, columns, ctx) },
                ImportLayer.Towers => new DatasetChange { Source = source, Towers = MapTowers(dataset, columns, ctx) },
                ImportLayer.Facilities => new DatasetChange { Source = source, Facilities = await MapFacilitiesAsync(dataset, columns, store, ctx, ct) },
                ImportLayer.Population => new DatasetChange { Source = source, PopulationCells = MapPopulation(dataset, columns, ctx) },
                _ => new DatasetChange { Source = source, Units = await MergeAttributesAsync(dataset, columns, store, ctx, ct) },
            };
        }
        catch (MappingException e)
        {
            ctx.Error(null, null, e.Message);
            return report with { Issues = ctx.Issues, Repaired = ctx.Repaired };
        }

        var records = change.Units.Count + change.FibreRoutes.Count + change.Towers.Count + change.Facilities.Count + change.PopulationCells.Count;
        if (!ctx.HasErrors && store is not null)
        {
            // The store's own integrity rules, checked up front so that a dry run reports what the store would refuse.
            var external = ChangeValidator.ExternalParentCodes(change);
            var existing = external.Count == 0 ? (IReadOnlySet<string>)new HashSet<string>() : await store.ExistingUnitCodesAsync(external, ct);
            try
            {
                ChangeValidator.Validate(change, existing);
            }
            catch (StoreIntegrityException e)
            {
                foreach (var p in e.Problems) ctx.Error(null, null, p);
            }
        }
        if (!ctx.HasErrors && records == 0) ctx.Error(null, null, "the file holds no features to import");
        report = report with { RecordCount = records, Issues = ctx.Issues, Repaired = ctx.Repaired };
        if (ctx.HasErrors || !apply || store is null) return report;

        try
        {
            var summary = await store.ApplyAsync(change, ct);
            return report with { Applied = true, Changes = summary };
        }
        catch (StoreIntegrityException e)
        {
            foreach (var p in e.Problems) ctx.Error(null, null, "store refused the change: " + p);
            return report with { Issues = ctx.Issues };
        }
    }

    private static SourceDataset Read(ImportRequest request)
    {
        var format = DatasetReader.FormatOf(request.Path);
        if (format != SourceFormat.GeoPackage || request.Tables is not null) return DatasetReader.Read(request.Path, request.Tables);
        var tables = GeoPackageFileReader.FeatureTables(request.Path);
        string[] preferred = request.Layer switch
        {
            ImportLayer.Units => ["provinces", "regencies", "districts", "villages"],
            ImportLayer.Fibre => ["fibre_routes"],
            ImportLayer.Towers => ["towers"],
            ImportLayer.Facilities => ["facilities"],
            ImportLayer.Population => ["population_cells"],
            _ => [],
        };
        var chosen = preferred.Where(p => tables.Contains(p, StringComparer.Ordinal)).ToList();
        if (chosen.Count == 0)
        {
            if (tables.Count != 1)
                throw new DatasetReadException(request.Path, $"has several feature tables ({string.Join(", ", tables)}) and none is named for layer {request.Layer.Name()}; choose one (--table NAME)");
            chosen = [.. tables];
        }
        return DatasetReader.Read(request.Path, chosen);
    }

    // ---------------------------------------------------------------- units

    private static async Task<IReadOnlyList<AdminUnit>> MapUnitsAsync(SourceDataset ds, SourceColumns cols, ISpatialStore? store, ImportContext ctx, CancellationToken ct)
    {
        var codeColumn = cols.For(Fields.Code, CodeColumns);
        var hierarchical = codeColumn is null
            ? HierarchicalCodeColumns.Select(cols.Actual).OfType<string>()
                .Concat(cols.All.Where(c => c.StartsWith("kd_", StringComparison.OrdinalIgnoreCase)))
                .ToList()
            : [];
        if (codeColumn is null && hierarchical.Count == 0)
            throw new MappingException($"no code column: expected kode, kode_kemendagri, kode_kemendagri_nodot, KDEPUM/KDCPUM/KDPKAB/KDPPUM or kd_*, or a mapping code=COLUMN (columns: {string.Join(", ", cols.All)})");
        var nameColumn = cols.For(Fields.Name, NameColumns);
        var parentColumn = cols.For(Fields.Parent, "kode_induk");
        var kindColumn = cols.For(Fields.Kind, "jenis");
        var popColumn = cols.For(Fields.Population, "penduduk");
        var hhColumn = cols.For(Fields.Households, "kk");
        var consumed = new HashSet<string>(new[] { codeColumn, nameColumn, parentColumn, kindColumn, popColumn, hhColumn }.OfType<string>().Concat(hierarchical), StringComparer.Ordinal);
        // Alternative spellings of the code (kode_kemendagri_nodot beside kode) say nothing new.
        foreach (var c in CodeColumns.Concat(HierarchicalCodeColumns)) if (cols.Actual(c) is { } a) consumed.Add(a);

        var units = new List<(AdminUnit Unit, int Index)>();
        foreach (var f in ds.Features)
        {
            var rawCode = codeColumn is not null ? Text(Get(f, codeColumn)) : MostSpecificCode(f, hierarchical);
            var key = rawCode ?? f.FeatureId;
            if (f.Error is not null) { ctx.Error(f.Index, key, f.Error); continue; }
            if (rawCode is null) { ctx.Error(f.Index, key, $"has no code (column {codeColumn ?? string.Join("/", hierarchical)} is empty)"); continue; }
            var code = KemendagriCode.Normalise(rawCode);
            if (code is null) { ctx.Error(f.Index, rawCode, $"'{rawCode}' is not a Kemendagri code (expected e.g. 13.05.01.2001)"); continue; }
            var level = KemendagriCode.LevelOf(code);
            var usedName = nameColumn ?? cols.Actual(level switch
            {
                AdminLevel.Village => "WADMKD",
                AdminLevel.District => "WADMKC",
                AdminLevel.Regency => "WADMKK",
                _ => "WADMPR",
            });
            var name = Text(Get(f, usedName));
            if (name is null) ctx.Error(f.Index, code, $"has no name (column {usedName ?? "nama"})");

            var parent = KemendagriCode.ParentOf(code);
            if (parentColumn is not null && Text(Get(f, parentColumn)) is { } givenParent && KemendagriCode.Normalise(givenParent) != parent)
                ctx.Error(f.Index, code, $"parent code '{givenParent}' does not match the code, whose parent is '{parent ?? "(none: a province)"}'");

            UnitKind kind;
            var kindText = Text(Get(f, kindColumn));
            if (kindText is null) kind = Conventions.InferKind(code);
            else if (!Conventions.TryParseKind(kindText, out kind))
            {
                ctx.Warning(f.Index, code, $"unknown kind '{kindText}' (jenis); inferred {Conventions.KindName(Conventions.InferKind(code))} from the code");
                kind = Conventions.InferKind(code);
            }
            if (!ChangeValidator.KindFits(level, kind))
                ctx.Error(f.Index, code, $"kind '{kindText}' does not fit a {level} code");

            if (!TryLong(Get(f, popColumn), out var population) || population < 0)
                ctx.Error(f.Index, code, $"population (column {popColumn}) '{Get(f, popColumn)}' is not a non-negative whole number");
            if (!TryLong(Get(f, hhColumn), out var households) || households < 0)
                ctx.Error(f.Index, code, $"households (column {hhColumn}) '{Get(f, hhColumn)}' is not a non-negative whole number");

            var geometry = GeometryChecks.Check(f, code, GeometryShape.Areal, ctx);
            if (geometry is null || name is null) continue;
            var attrColumns = cols.All.Where(c => !consumed.Contains(c) && c != usedName);
            units.Add((new AdminUnit
            {
                Code = code,
                Name = name,
                Level = level,
                Kind = kind,
                ParentCode = parent,
                Geometry = GeometryChecks.ToMultiPolygon(geometry),
                Population = population,
                Households = households,
                Attributes = FreeAttributes(f, attrColumns, untypedText: ds.Format == "CSV"),
            }, f.Index));
        }

        ReportDuplicates(units.Select(u => (u.Unit.Code, u.Index)), "code", ctx);

        var inFile = units.Select(u => u.Unit.Code).ToHashSet(StringComparer.Ordinal);
        var outside = units.Where(u => u.Unit.ParentCode is { } p && !inFile.Contains(p)).ToList();
        if (outside.Count > 0)
        {
            var wanted = outside.Select(u => u.Unit.ParentCode!).Distinct(StringComparer.Ordinal).ToList();
            var existing = store is null ? null : await store.ExistingUnitCodesAsync(wanted, ct);
            foreach (var (u, index) in outside)
            {
                if (existing is null)
                    ctx.Info(index, u.Code, $"parent '{u.ParentCode}' is not in this file; it must be in the store when importing");
                else if (!existing.Contains(u.ParentCode!))
                    ctx.Error(index, u.Code, $"orphan: parent '{u.ParentCode}' is neither in this file nor in the store (import the {KemendagriCode.LevelOf(u.ParentCode!)} level first)");
            }
        }
        if (store is null || units.Count == 0) return units.Select(u => u.Unit).ToList();

        // A unit file replaces what it holds (boundary, name, kind, and population/households/attributes it has
        // columns for) and keeps what it does not say: re-importing boundaries must not wipe the population or
        // questionnaire answers that an attribute table added.
        var stored = await LoadUnitsAsync(store, units.Select(u => u.Unit.Code).Distinct(StringComparer.Ordinal).ToList(), ct);
        return units.Select(u => stored.TryGetValue(u.Unit.Code, out var old)
            ? u.Unit with
            {
                Population = popColumn is null ? old.Population : u.Unit.Population,
                Households = hhColumn is null ? old.Households : u.Unit.Households,
                Attributes = old.Attributes.SetItems(u.Unit.Attributes),
            }
            : u.Unit).ToList();
    }

    private static string? MostSpecificCode(SourceFeature f, IReadOnlyList<string> columns)
    {
        string? best = null;
        var bestLength = -1;
        foreach (var c in columns)
        {
            var text = Text(Get(f, c));
            var code = KemendagriCode.Normalise(text);
            if (code is not null && code.Length > bestLength) { best = text; bestLength = code.Length; }
            else if (best is null && text is not null && bestLength < 0) best = text;
        }
        return best;
    }

    // ---------------------------------------------------------------- attribute tables

    private static async Task<IReadOnlyList<AdminUnit>> MergeAttributesAsync(SourceDataset ds, SourceColumns cols, ISpatialStore? store, ImportContext ctx, CancellationToken ct)
    {
        var codeColumn = cols.For(Fields.Code, CodeColumns)
            ?? HierarchicalCodeColumns.Select(cols.Actual).OfType<string>().FirstOrDefault()
            ?? throw new MappingException($"no code column: expected kode (or a mapping code=COLUMN); columns: {string.Join(", ", cols.All)}");
        var popColumn = cols.For(Fields.Population, "penduduk");
        var hhColumn = cols.For(Fields.Households, "kk");
        var attrColumns = cols.All.Where(c => c != codeColumn && c != popColumn && c != hhColumn).ToList();
        var untyped = ds.Format == "CSV";

        var rows = new List<(string Code, SourceFeature Row, long? Population, long? Households)>();
        foreach (var f in ds.Features)
        {
            var raw = Text(Get(f, codeColumn));
            if (f.Error is not null) { ctx.Error(f.Index, raw, f.Error, f.Line); continue; }
            if (raw is null) { ctx.Error(f.Index, null, $"has no code (column {codeColumn})", f.Line); continue; }
            var code = KemendagriCode.Normalise(raw);
            if (code is null)
            {
                // Tables often carry a national total ("0", "INDONESIA"); such a row names no unit.
                ctx.Lenient(f.Index, raw, $"'{raw}' is not a Kemendagri code; row skipped", f.Line);
                continue;
            }
            var ok = true;
            if (!TryLong(Get(f, popColumn), out var pop) || pop < 0) { ctx.Error(f.Index, code, $"population (column {popColumn}) '{Get(f, popColumn)}' is not a non-negative whole number", f.Line); ok = false; }
            if (!TryLong(Get(f, hhColumn), out var hh) || hh < 0) { ctx.Error(f.Index, code, $"households (column {hhColumn}) '{Get(f, hhColumn)}' is not a non-negative whole number", f.Line); ok = false; }
            if (ok) rows.Add((code, f, pop, hh));
        }
        var firstRow = new Dictionary<string, SourceFeature>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            if (firstRow.TryGetValue(r.Code, out var first))
                ctx.Error(r.Row.Index, r.Code, $"duplicate code (also on row {first.Index + 1}, line {first.Line})", r.Row.Line);
            else firstRow[r.Code] = r.Row;
        }

        if (store is null)
        {
            if (rows.Count > 0) ctx.Info(null, null, $"{rows.Count} row(s) not checked against a store: codes must exist there when importing");
            return [];
        }
        var existing = await store.ExistingUnitCodesAsync(rows.Select(r => r.Code).Distinct(StringComparer.Ordinal), ct);
        foreach (var (code, row, _, _) in rows)
            if (!existing.Contains(code))
                ctx.Error(row.Index, code, $"unknown code '{code}': no such unit in the store (import the units first)", row.Line);
        if (ctx.HasErrors) return []; // nothing will be written; skip the lookups

        var units = await LoadUnitsAsync(store, rows.Select(r => r.Code).Distinct(StringComparer.Ordinal).ToList(), ct);
        var merged = new List<AdminUnit>();
        foreach (var (code, row, pop, hh) in rows)
        {
            var unit = units.TryGetValue(code, out var u) ? u
                : throw new InvalidOperationException($"unit {code} vanished from the store during the import");
            merged.Add(unit with
            {
                Population = pop ?? unit.Population,
                Households = hh ?? unit.Households,
                Attributes = unit.Attributes.SetItems(FreeAttributes(row, attrColumns, untyped)),
            });
        }
        return merged;
    }

    /// <summary>
    /// The units with these codes. A table of many codes is loaded a province and a level at a time (one query
    /// each) rather than code by code, which matters against PostGIS: the Kemendagri tables list every kab/kota.
    /// </summary>
    private static async Task<Dictionary<string, AdminUnit>> LoadUnitsAsync(ISpatialStore store, IReadOnlyList<string> codes, CancellationToken ct)
    {
        var result = new Dictionary<string, AdminUnit>(StringComparer.Ordinal);
        foreach (var group in codes.GroupBy(c => (Level: KemendagriCode.LevelOf(c), Province: c[..2])))
        {
            if (group.Count() <= 8)
            {
                foreach (var code in group)
                    if (await store.FindUnitAsync(code, ct) is { } unit) result[code] = unit;
                continue;
            }
            var wanted = group.ToHashSet(StringComparer.Ordinal);
            var query = group.Key.Level == AdminLevel.Province
                ? new UnitQuery(Level: AdminLevel.Province)
                : new UnitQuery(Level: group.Key.Level, Ancestor: group.Key.Province);
            foreach (var unit in await store.QueryUnitsAsync(query, ct))
                if (wanted.Contains(unit.Code)) result[unit.Code] = unit;
        }
        return result;
    }

    // ---------------------------------------------------------------- fibre, towers, facilities, population

    private static string? IdOf(SourceFeature f, string? idColumn) => Text(Get(f, idColumn)) ?? f.FeatureId;

    private static IReadOnlyList<FibreRoute> MapFibre(SourceDataset ds, SourceColumns cols, ImportContext ctx)
    {
        var idColumn = cols.For(Fields.Id, "id");
        var statusColumn = cols.For(Fields.Status, "status");
        var yearColumn = cols.For(Fields.Year, "tahun");
        var ownerColumn = cols.For(Fields.Owner, "pemilik");
        var nameColumn = cols.For(Fields.Name, "nama", "name");
        var list = new List<(FibreRoute, int)>();
        foreach (var f in ds.Features)
        {
            var id = IdOf(f, idColumn);
            if (f.Error is not null) { ctx.Error(f.Index, id, f.Error); continue; }
            if (id is null) { ctx.Error(f.Index, null, "has no id (column id)"); continue; }
            var statusText = Text(Get(f, statusColumn));
            FibreStatus status = FibreStatus.Existing;
            if (statusText is null) ctx.Warning(f.Index, id, "no status; taken as existing");
            else if (!Conventions.TryParseStatus(statusText, out status)) ctx.Error(f.Index, id, $"unknown status '{statusText}' (expected existing, planned or under_construction)");
            var year = Year(f, yearColumn, id, ctx);
            var g = GeometryChecks.Check(f, id, GeometryShape.Linear, ctx);
            if (g is null) continue;
            list.Add((new FibreRoute
            {
                Id = id,
                Geometry = Geo.AsMultiLineString(g),
                Status = status,
                Year = year,
                Owner = Text(Get(f, ownerColumn)),
                Name = Text(Get(f, nameColumn)),
            }, f.Index));
        }
        ReportDuplicates(list.Select(x => (x.Item1.Id, x.Item2)), "id", ctx);
        return list.Select(x => x.Item1).ToList();
    }

    private static IReadOnlyList<Tower> MapTowers(SourceDataset ds, SourceColumns cols, ImportContext ctx)
    {
        var idColumn = cols.For(Fields.Id, "id");
        var techColumn = cols.For(Fields.Technologies, "teknologi");
        var radiusColumns = Enum.GetValues<RadioTechnology>().ToDictionary(t => t, t => cols.For(Conventions.RadiusColumn(t), Conventions.RadiusColumn(t)));
        var operatorColumn = cols.For(Fields.Operator, "operator");
        var yearColumn = cols.For(Fields.Year, "tahun");
        var nameColumn = cols.For(Fields.Name, "nama", "name");
        var coverageColumn = cols.For(Fields.Coverage, "coverage_wkt");
        var list = new List<(Tower, int)>();
        foreach (var f in ds.Features)
        {
            var id = IdOf(f, idColumn);
            if (f.Error is not null) { ctx.Error(f.Index, id, f.Error); continue; }
            if (id is null) { ctx.Error(f.Index, null, "has no id (column id)"); continue; }
            var ok = true;
            var techText = Text(Get(f, techColumn));
            if (!Conventions.TryParseTechnologies(techText, out var techs, out var bad))
            {
                ctx.Error(f.Index, id, $"unknown technology '{bad}' in teknologi '{techText}' (expected e.g. 2G,3G,4G)");
                ok = false;
            }
            var radii = ImmutableSortedDictionary.CreateBuilder<RadioTechnology, double>();
            foreach (var (tech, column) in radiusColumns)
            {
                if (!TryDouble(Get(f, column), out var r) || r < 0) { ctx.Error(f.Index, id, $"{column} '{Get(f, column)}' is not a radius in metres"); ok = false; continue; }
                if (r is not > 0) continue; // 0 or empty: the engine's default
                radii[tech] = r.Value;
                if (!techs.Contains(tech))
                {
                    if (techText is null) techs.Add(tech);
                    else { ctx.Error(f.Index, id, $"has a radius for {(int)tech}G ({column}) but teknologi '{techText}' does not offer it"); ok = false; }
                }
            }
            techs.Sort();
            if (ok && techs.Count == 0) { ctx.Error(f.Index, id, "offers no technology: teknologi is empty (expected e.g. 2G,3G,4G)"); ok = false; }
            MultiPolygon? coverage = null;
            if (Text(Get(f, coverageColumn)) is { } wkt)
            {
                try { coverage = Geo.AsMultiPolygon(Geo.Factory.CreateGeometry(new WKTReader(Geo.Factory.GeometryServices).Read(wkt))); }
                catch (Exception e) when (e is ParseException or ArgumentException) { ctx.Error(f.Index, id, $"coverage_wkt is not a polygon WKT: {e.Message}"); ok = false; }
            }
            var year = Year(f, yearColumn, id, ctx);
            var g = GeometryChecks.Check(f, id, GeometryShape.Point, ctx);
            if (g is null || !ok) continue;
            list.Add((new Tower
            {
                Id = id,
                Location = GeometryChecks.ToPoint(g),
                Technologies = techs.ToImmutableSortedSet(),
                RadiusMetres = radii.ToImmutable(),
                CoverageArea = coverage,
                Operator = Text(Get(f, operatorColumn)),
                Year = year,
                Name = Text(Get(f, nameColumn)),
            }, f.Index));
        }
        ReportDuplicates(list.Select(x => (x.Item1.Id, x.Item2)), "id", ctx);
        return list.Select(x => x.Item1).ToList();
    }

    private static async Task<IReadOnlyList<Facility>> MapFacilitiesAsync(SourceDataset ds, SourceColumns cols, ISpatialStore? store, ImportContext ctx, CancellationToken ct)
    {
        var idColumn = cols.For(Fields.Id, "id");
        var kindColumn = cols.For(Fields.Kind, "jenis");
        var unitColumn = cols.For(Fields.Unit, "kode_unit");
        var nameColumn = cols.For(Fields.Name, "nama", "name");
        var list = new List<(Facility, int)>();
        foreach (var f in ds.Features)
        {
            var id = IdOf(f, idColumn);
            if (f.Error is not null) { ctx.Error(f.Index, id, f.Error); continue; }
            if (id is null) { ctx.Error(f.Index, null, "has no id (column id)"); continue; }
            var kindText = Text(Get(f, kindColumn));
            var kind = FacilityKind.Other;
            if (kindText is not null && !Conventions.TryParseFacilityKind(kindText, out kind))
            {
                ctx.Warning(f.Index, id, $"unknown facility kind '{kindText}'; taken as other (expected opd_office, kecamatan_office, village_office, puskesmas, school or other)");
                kind = FacilityKind.Other;
            }
            string? unit = null;
            if (Text(Get(f, unitColumn)) is { } unitText)
            {
                unit = KemendagriCode.Normalise(unitText);
                if (unit is null) { ctx.Error(f.Index, id, $"kode_unit '{unitText}' is not a Kemendagri code"); continue; }
            }
            var g = GeometryChecks.Check(f, id, GeometryShape.Point, ctx);
            if (g is null) continue;
            list.Add((new Facility { Id = id, Location = GeometryChecks.ToPoint(g), Kind = kind, UnitCode = unit, Name = Text(Get(f, nameColumn)) }, f.Index));
        }
        ReportDuplicates(list.Select(x => (x.Item1.Id, x.Item2)), "id", ctx);
        var units = list.Select(x => x.Item1.UnitCode).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (store is not null && units.Count > 0)
        {
            var existing = await store.ExistingUnitCodesAsync(units, ct);
            foreach (var (fac, index) in list)
                if (fac.UnitCode is { } u && !existing.Contains(u))
                    ctx.Warning(index, fac.Id, $"kode_unit '{u}' is not a unit in the store");
        }
        return list.Select(x => x.Item1).ToList();
    }

    private static IReadOnlyList<PopulationCell> MapPopulation(SourceDataset ds, SourceColumns cols, ImportContext ctx)
    {
        var idColumn = cols.For(Fields.Id, "id");
        var popColumn = cols.For(Fields.Population, "penduduk");
        var hhColumn = cols.For(Fields.Households, "kk");
        var list = new List<(PopulationCell, int)>();
        foreach (var f in ds.Features)
        {
            var id = IdOf(f, idColumn);
            if (f.Error is not null) { ctx.Error(f.Index, id, f.Error); continue; }
            if (id is null) { ctx.Error(f.Index, null, "has no id (column id)"); continue; }
            var ok = true;
            if (!TryLong(Get(f, popColumn), out var pop) || pop is null or < 0 or > int.MaxValue) { ctx.Error(f.Index, id, $"penduduk '{Get(f, popColumn)}' is not a non-negative whole number"); ok = false; }
            if (!TryLong(Get(f, hhColumn), out var hh) || hh is < 0 or > int.MaxValue) { ctx.Error(f.Index, id, $"kk '{Get(f, hhColumn)}' is not a non-negative whole number"); ok = false; }
            var g = GeometryChecks.Check(f, id, GeometryShape.PointOrPolygon, ctx);
            if (g is null || !ok) continue;
            list.Add((new PopulationCell { Id = id, Geometry = GeometryChecks.ToPointOrPolygon(g), Population = (int)pop!.Value, Households = (int)(hh ?? 0) }, f.Index));
        }
        ReportDuplicates(list.Select(x => (x.Item1.Id, x.Item2)), "id", ctx);
        return list.Select(x => x.Item1).ToList();
    }

    private static int? Year(SourceFeature f, string? column, string id, ImportContext ctx)
    {
        if (!TryLong(Get(f, column), out var y) || y is < 1800 or > 2200)
        {
            ctx.Error(f.Index, id, $"tahun '{Get(f, column)}' is not a year");
            return null;
        }
        return (int?)y;
    }

    private static void ReportDuplicates(IEnumerable<(string Key, int Index)> keys, string what, ImportContext ctx)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, index) in keys)
        {
            if (first.TryGetValue(key, out var firstIndex)) ctx.Error(index, key, $"duplicate {what} '{key}' (also feature #{firstIndex})");
            else first[key] = index;
        }
    }
}
