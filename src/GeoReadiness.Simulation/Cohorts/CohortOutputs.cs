using System.Globalization;
using System.Text;
using System.Text.Json;
using GeoReadiness.Spatial.IO;
using GeoReadiness.Spatial.Storage;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace GeoReadiness.Simulation.Cohorts;

/// <summary>
/// A cohort as a table and as a map (docs/cohorts.md, "Outputs"): one row or feature per selected unit (in rank order)
/// then per borderline unit outside the cohort, with the same columns.
/// </summary>
public static class CohortOutputs
{
    /// <summary>The CSV header, in column order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "status", "rank", "code", "name", "province_code", "island_group", "three_t", "band", "ready", "gain", "objective",
        "frequency", "probability_top_k", "why", "helped", "held_back",
    ];

    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    /// <summary>The selected units, then the borderline units outside the cohort (those inside it are already listed), each with its status.</summary>
    public static IEnumerable<(string Status, CohortEntry Entry)> Rows(CohortResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var why = result.Borderline.Where(b => b.Rank is not null).ToDictionary(b => b.Code, b => b.Why, StringComparer.Ordinal);
        foreach (var s in result.Selected)
            yield return ("selected", s with { Why = why.GetValueOrDefault(s.Code) });
        foreach (var b in result.Borderline.Where(b => b.Rank is null))
            yield return ("borderline", b);
    }

    /// <summary>
    /// CSV (RFC 4180, invariant culture, <c>\n</c> line ends): <see cref="Columns"/>; <c>helped</c> and <c>held_back</c>
    /// list the reasons as <c>id (points)</c> separated by <c>; </c>; frequencies empty without draws.
    /// </summary>
    public static string ToCsv(CohortResult result)
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(',', Columns)).Append('\n');
        foreach (var (status, e) in Rows(result))
        {
            string?[] fields =
            [
                status, e.Rank?.ToString(CultureInfo.InvariantCulture), e.Code, e.Name, e.ProvinceCode, Wire(e.IslandGroup),
                e.ThreeT ? "1" : "0", e.Band, Num(e.Ready), Num(e.Gain), Num(e.Objective), Num(e.Frequency), Num(e.ProbabilityTopK), e.Why,
                Reasons(e.Reasons?.Helped), Reasons(e.Reasons?.HeldBack),
            ];
            csv.Append(string.Join(',', fields.Select(CsvTable.Escape))).Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>
    /// An RFC 7946 FeatureCollection: one feature per row of <see cref="Rows"/> with the unit's boundary and, as flat
    /// properties, <c>status</c>, <c>rank</c>, <c>code</c>, <c>name</c>, <c>provinceCode</c>, <c>islandGroup</c>,
    /// <c>threeT</c>, <c>band</c>, <c>ready</c>, <c>gain</c>, <c>objective</c>, <c>frequency</c>, <c>probabilityTopK</c>,
    /// <c>why</c>, and <c>helped</c>/<c>heldBack</c> (the reason ids, <c>; </c>-separated) with their English and Indonesian labels
    /// (<c>helpedEn</c>, <c>helpedId</c>, <c>heldBackEn</c>, <c>heldBackId</c>).
    /// </summary>
    /// <exception cref="ArgumentException">a listed unit has no boundary</exception>
    public static string ToGeoJson(CohortResult result, IReadOnlyDictionary<string, Geometry> boundaries)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        var features = new FeatureCollection();
        foreach (var (status, e) in Rows(result))
        {
            if (!boundaries.TryGetValue(e.Code, out var geometry))
                throw new ArgumentException($"no boundary for unit {e.Code}", nameof(boundaries));
            features.Add(new Feature(geometry, new AttributesTable
            {
                { "status", status }, { "rank", e.Rank }, { "code", e.Code }, { "name", e.Name }, { "provinceCode", e.ProvinceCode },
                { "islandGroup", Wire(e.IslandGroup) }, { "threeT", e.ThreeT }, { "band", e.Band }, { "ready", e.Ready }, { "gain", e.Gain },
                { "objective", e.Objective }, { "frequency", e.Frequency }, { "probabilityTopK", e.ProbabilityTopK }, { "why", e.Why },
                { "helped", Ids(e.Reasons?.Helped) }, { "helpedEn", Labels(e.Reasons?.Helped, l => l.En) },
                { "helpedId", Labels(e.Reasons?.Helped, l => l.Id) }, { "heldBack", Ids(e.Reasons?.HeldBack) },
                { "heldBackEn", Labels(e.Reasons?.HeldBack, l => l.En) }, { "heldBackId", Labels(e.Reasons?.HeldBack, l => l.Id) },
            }));
        }
        return JsonSerializer.Serialize(features, GeoJson);
    }

    /// <summary>The codes <see cref="ToGeoJson"/> needs boundaries for.</summary>
    public static IReadOnlyList<string> MappedCodes(CohortResult result) => Rows(result).Select(r => r.Entry.Code).ToArray();

    /// <summary><see cref="ToGeoJson"/> with the boundaries of the store's units.</summary>
    /// <exception cref="KeyNotFoundException">a listed unit is no longer in the store (the message names it)</exception>
    public static async Task<string> ToGeoJsonAsync(CohortResult result, ISpatialStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var boundaries = new Dictionary<string, Geometry>(StringComparer.Ordinal);
        foreach (var code in MappedCodes(result))
            boundaries[code] = (await store.FindUnitAsync(code, cancellationToken))?.Geometry
                ?? throw new KeyNotFoundException($"unit {code} of the cohort is no longer in the store, so it has no boundary to map");
        return ToGeoJson(result, boundaries);
    }

    private static string Wire(IslandGroup group) => group.WireName();

    private static string? Num(double? v) => v?.ToString("R", CultureInfo.InvariantCulture);

    private static string? Reasons(IReadOnlyList<ReasonDriver>? drivers) =>
        drivers is null ? null : string.Join("; ", drivers.Select(d => $"{d.Id} ({d.Points.ToString("0.##", CultureInfo.InvariantCulture)})"));

    private static string? Ids(IReadOnlyList<ReasonDriver>? drivers) => drivers is null ? null : string.Join("; ", drivers.Select(d => d.Id));

    private static string? Labels(IReadOnlyList<ReasonDriver>? drivers, Func<Assessment.LocalizedText, string> label) =>
        drivers is null ? null : string.Join("; ", drivers.Select(d => label(d.Label)));
}
