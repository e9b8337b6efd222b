using GeoReadiness.Spatial.Assessment;
using System.Globalization;
using System.Text;
using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Import;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Demo;

/// <summary>Headline figures of a generated data set (geodesic lengths and areas on WGS84).</summary>
public sealed record DemoFigures(
    double KabupatenAreaKm2,
    double PlannedFibreKm,
    double ExistingFibreKm,
    long Population,
    long Households,
    double NagariUnionAreaDifference,
    double MaxNagariOverlap)
{
    public static DemoFigures Of(DemoDataset d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(
            GeodesicMeasure.Area(d.Kabupaten.Geometry) / 1e6,
            d.FibreRoutes.Where(f => f.Status == FibreStatus.Planned).Sum(f => GeodesicMeasure.Length(f.Geometry)) / 1000,
            d.FibreRoutes.Where(f => f.Status == FibreStatus.Existing).Sum(f => GeodesicMeasure.Length(f.Geometry)) / 1000,
            d.PopulationCells.Sum(c => (long)c.Population),
            d.PopulationCells.Sum(c => (long)c.Households),
            UnionDifference(d),
            MaxOverlap(d.Nagari));
    }

    /// <summary>|area(union of nagari) − area(kabupaten)| / area(kabupaten).</summary>
    private static double UnionDifference(DemoDataset d)
    {
        var kab = GeodesicMeasure.Area(d.Kabupaten.Geometry);
        return Math.Abs(GeodesicMeasure.Area(DemoGeometry.Union(d.Nagari.Select(n => (NetTopologySuite.Geometries.Geometry)n.Geometry))) - kab) / kab;
    }

    /// <summary>The largest overlap of two units as a share of the smaller one's area.</summary>
    private static double MaxOverlap(IReadOnlyList<AdminUnit> units)
    {
        var worst = 0.0;
        for (var i = 0; i < units.Count; i++)
        {
            for (var j = i + 1; j < units.Count; j++)
            {
                var (a, b) = (units[i].Geometry, units[j].Geometry);
                if (!a.EnvelopeInternal.Intersects(b.EnvelopeInternal)) continue;
                worst = Math.Max(worst, a.Intersection(b).Area / Math.Min(a.Area, b.Area));
            }
        }
        return worst;
    }
}

/// <summary>The README written next to the data, with the figures of the data set it describes.</summary>
internal static class DemoReadme
{
    /// <summary>A relative figure as a percentage, shown as a bound when it is floating-point noise (so the README does not depend on the last bits).</summary>
    private static string Share(double x) => x < 1e-9 ? "< 1e-7 %" : (x * 100).ToString("0.#####", CultureInfo.InvariantCulture) + " %";

    public static string Text(DemoDataset d)
    {
        var f = DemoFigures.Of(d);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        void L(FormattableString s) => sb.Append(s.ToString(inv)).Append('\n');
        void T(string s) => sb.Append(s).Append('\n');

        var kab = d.Regencies.Count(r => r.Kind == UnitKind.Kabupaten);
        var kota = d.Regencies.Count(r => r.Kind == UnitKind.Kota);
        var planned = d.FibreRoutes.Count(r => r.Status == FibreStatus.Planned);
        var existing = d.FibreRoutes.Count(r => r.Status == FibreStatus.Existing);
        var facilityCounts = string.Join(", ", d.Facilities.GroupBy(x => x.Kind).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Conventions.FacilityKindName(g.Key)}"));
        var techCounts = string.Join(", ", d.Towers.GroupBy(t => Conventions.TechnologiesText(t.Technologies)).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} × {g.Key}"));
        var operatorCounts = string.Join(", ", d.Towers.GroupBy(t => t.Operator ?? "").OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));

        T("# Demo data set (synthetic)");
        T("");
        T("**Everything here is synthetic**, made by the seeded generator `GeoReadiness.Spatial.Demo.DemoGenerator`.");
        T("Only these are real: the codes and names of the 38 provinces, the names of 13.05 Kabupaten Padang Pariaman,");
        T("14.71 Kota Pekanbaru and 14.72 Kota Dumai, and Kota Dumai's published questionnaire figures. No geometry is taken");
        T("from any real source; all other names are invented. Do not use it for anything but demos and tests.");
        T("");
        L($"Generator version {d.GeneratorVersion}, seed {d.Seed}. Regenerate byte-for-byte with:");
        T("");
        T("```sh");
        T(DemoFiles.RegenerateCommand + (d.Seed == DemoOptions.DefaultSeed ? "" : " --seed " + d.Seed.ToString(inv)));
        T("```");
        T("");
        T("`manifest.json` lists the data files in load order with their import layer and SHA-256 (`files`, what");
        T("`georeadiness load data/shapefiles` and the server's first start read), and the SHA-256 of every file (`checksums`).");
        T("Every `.shp` comes with `.shx`, `.dbf`, `.prj` (WGS84 geographic, EPSG:4326) and `.cpg` (UTF-8). The `.dbf`");
        L($"headers carry the fixed date {DemoFiles.DbfDate:yyyy-MM-dd} so that the bytes do not depend on the day of generation.");
        T("");
        T("## padang_pariaman/ — a kabupaten modelled on Padang Pariaman (13.05, Sumatera Barat)");
        T("");
        T("A coastal outline around 100.1–100.5° E, 0.4–0.9° S with its coast on the west, facing the Indian Ocean.");
        T("");
        T("| file | content |");
        T("|---|---|");
        L($"| `kabupaten.shp` | 1 polygon, 13.05 Kabupaten Padang Pariaman, {f.KabupatenAreaKm2:F1} km², the union of the nagari |");
        L($"| `kecamatan.shp` | {d.Kecamatan.Count} kecamatan, 13.05.01–13.05.{d.Kecamatan.Count:00}, each the union of contiguous nagari |");
        L($"| `nagari.shp` | {d.Nagari.Count} nagari (jenis nagari), codes 13.05.KK.2001…; Voronoi cells of seeded sites clipped to the kabupaten: they tile it without gaps or overlaps (their union differs from the kabupaten's area by {Share(f.NagariUnionAreaDifference)}, the largest overlap of two nagari is {Share(f.MaxNagariOverlap)} of the smaller) |");
        L($"| `population_cells.shp` | {d.PopulationCells.Count} points, centres of populated 0.00225° (≈ 250 m) grid cells; {f.Population:N0} people, {f.Households:N0} households in all, clustered along the roads, villages and the coast |");
        L($"| `facilities.shp` | {d.Facilities.Count} points: {facilityCounts} |");
        L($"| `fibre.shp` | {existing} existing routes (tahun 2018, {f.ExistingFibreKm:F1} km) linking OPD offices, kecamatan offices and puskesmas; {planned} planned routes ({f.PlannedFibreKm:F3} km geodesic) reaching all {d.Nagari.Count} kantor wali nagari |");
        L($"| `towers.shp` | {d.Towers.Count} towers: {techCounts}; {operatorCounts} |");
        T("");
        T("Population: every cell lies in exactly one nagari; a nagari's `penduduk`/`kk` are the sums of its cells,");
        L($"a kecamatan's the sums of its nagari and the kabupaten's the sums of its kecamatan ({d.Kabupaten.Population:N0} / {d.Kabupaten.Households:N0}).");
        T("The planned network is a greedy Steiner tree: each kantor wali nagari, nearest first, is joined to the nearest");
        T("point of the network built so far (existing or planned); the routes are then bent by one detour factor so the");
        T("total geodesic length on WGS84 is 263 km (± 1 km). Tower radii: 2G ≈ 5000 m, 3G ≈ 3000 m, 4G ≈ 2000 m (± 15 %).");
        T("");
        T("## national/ — provinces and kabupaten/kota");
        T("");
        T("| file | content |");
        T("|---|---|");
        L($"| `provinsi.shp` | {d.Provinces.Count} provinces, real codes and names (11 Aceh … 96 Papua Barat Daya); synthetic blobs at their approximate places, each the union of its kab/kota; `penduduk`/`kk` sums of the kab/kota |");
        L($"| `kabkota.shp` | {d.Regencies.Count} kab/kota ({kab} kabupaten, {kota} kota; kota when the second code segment is ≥ 71), non-overlapping, inside their province; 13.05 has exactly the geometry of `padang_pariaman/kabupaten.shp` |");
        L($"| `questionnaire.csv` | {d.Questionnaire.Count} rows, one per kab/kota: the smart-city readiness questionnaire, assessment year {Questionnaire.AssessmentYear} |");
        T("");
        var columns = string.Join(',', QuestionnaireSchema.Fields.Select(x => x.Name).Prepend(QuestionnaireSchema.YearColumn).Prepend(QuestionnaireSchema.NameColumn).Prepend(QuestionnaireSchema.CodeColumn));
        L($"Questionnaire columns: `{columns}`");
        L($"(questionnaire schema {QuestionnaireSchema.Version}); `tahun` (the assessment year) is {Questionnaire.AssessmentYear} on every row. The manifest lists the file with");
        T("layer `questionnaire`: `georeadiness load` and the server's demo seeding store it in the assessment repository of the");
        T("store, and `georeadiness questionnaire import` reads the same format. An empty `reg_year`/`masterplan_year` means none.");
        T("Seeded ranges (uniform unless said): penduduk log-normal around 380,000 (kabupaten) or 260,000 (kota), 25,000–3,500,000;");
        T("kk = penduduk / 3.3–4.4; pop_4g 35–95 % of penduduk (kota 70–99 %); kk_fixed_bb 4–45 % of kk (kota 20–65 %);");
        T("employees 0.5–1.2 % of penduduk; ict_staff 8–120; s2_base 85–98 % of employees; s2_staff 4–16 % of s2_base;");
        T("admin_apps 0–12; portals 0–3; websites 3–80; data_centre 45 % true (kota 70 %); command_centre 30 % (kota 55 %);");
        T("ipm 60–83 (Papua provinces 30–72); kkd (fiscal capacity index) 0.2–3.5; three_t (3T region) 8 % (NTT, Maluku,");
        T("Maluku Utara, Papua provinces 45 %).");
        T("The other answers follow a digital maturity m in 0–1 per kab/kota: m = 0.45 × uniform(0, 1) + 0.15 (kota) + 0.15");
        T("(data centre) + 0.1 (command centre) + 0.15 × (ipm − 60) / 23, clamped. reg_year: with probability 0.25 + 0.6 m a year");
        T("2015–2019, else empty (none); masterplan_year likewise with 0.2 + 0.6 m; renstra_ict true with 0.5 + 0.45 m;");
        T("spbe_architecture 0.1 + 0.6 m; fibre_opd_pct 20 + 75 m + normal(0, 12), clamped to 0–100; fibre_kecamatan_pct");
        T("40–90 % of it; fibre_puskesmas_pct 30–85 % of it; fibre_village_pct 10–60 % of fibre_kecamatan_pct; e_planning");
        T("0.4 + 0.5 m; e_budgeting 0.5 + 0.45 m; e_musrenbang 0.3 + 0.5 m; mou_count 0 to 1 + round(10 m); e_signature");
        T("0.2 + 0.6 m; security_audit 0.1 + 0.5 m; the four SPBE domain levels (spbe_kebijakan, spbe_tata_kelola,");
        T("spbe_manajemen, spbe_layanan) round(1 + 3.5 m + normal(0, 0.6)), clamped to 1–5.");
        var dumai = d.Questionnaire.First(q => q.Code == "14.72").Values;
        L($"14.72 Kota Dumai has its published figures: penduduk {dumai["penduduk"]}, kk {dumai["kk"]}, pop_4g {dumai["pop_4g"]}, kk_fixed_bb {dumai["kk_fixed_bb"]}, ict_staff {dumai["ict_staff"]}, employees {dumai["employees"]}, s2_staff {dumai["s2_staff"]}, s2_base {dumai["s2_base"]}, admin_apps {dumai["admin_apps"]}, portals {dumai["portals"]}, websites {dumai["websites"]}, reg_year {dumai["reg_year"]}, masterplan_year {dumai["masterplan_year"]}, data_centre true, command_centre false; its other answers are generated like every other row.");
        T("13.05's penduduk and kk equal the sums of the generated population cells. The kab/kota `penduduk`/`kk` in");
        T("`kabkota.shp` equal the questionnaire's.");
        T("");
        T("## Fields");
        T("");
        T("| layer | columns |");
        T("|---|---|");
        T("| units (provinsi, kabkota, kabupaten, kecamatan, nagari) | `kode`, `nama`, `kode_induk`, `jenis` (provinsi, kabupaten, kota, kecamatan, nagari), `penduduk`, `kk` |");
        T("| fibre | `id`, `status` (existing, planned), `tahun`, `pemilik`, `nama` |");
        T("| towers | `id`, `teknologi` (\"2G,3G,4G\"), `r_2g`, `r_3g`, `r_4g`, `r_5g` (metres, 0 when not offered), `operator`, `tahun`, `nama` |");
        T("| facilities | `id`, `jenis` (opd_office, kecamatan_office, village_office, puskesmas, school), `kode_unit`, `nama` |");
        T("| population | `id`, `penduduk`, `kk` (Point at the cell centre) |");
        T("");
        T("These are the importer's default conventions, so `georeadiness import FILE --layer LAYER` reads every shapefile");
        T("without a mapping, in the order of `manifest.json` (`padang_pariaman/kabupaten.shp` repeats the national 13.05 row and imports as unchanged);");
        T("`georeadiness questionnaire import national/questionnaire.csv` reads the questionnaire once its units are in the store.");
        T("`georeadiness load` does all of it as one step.");
        return sb.ToString();
    }
}
