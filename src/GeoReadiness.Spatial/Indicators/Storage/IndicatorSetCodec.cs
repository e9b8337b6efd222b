using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Indicators.Storage;

/// <summary>
/// The stored form of an <see cref="IndicatorSet"/>, shared by both repositories: a header with the provenance,
/// the units' indicators and the leaves' measures as JSON (enums by name, doubles round-trip exactly).
/// </summary>
internal static class IndicatorSetCodec
{
    /// <summary>Bumped when the stored JSON changes shape; sets of another format are ignored (recomputed).</summary>
    public const int Format = 1;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.General)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A stable key of the options: the same options give the same key in every process.</summary>
    public static string OptionsKey(IndicatorOptions options)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(StoredOptions.From(options), Json)));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    public static SetHeader Header(IndicatorSet set) =>
        new(Format, set.Id, set.Engine, set.DataVersion, set.Rules, StoredOptions.From(set.Options), set.ComputedAt, set.Statistics,
            set.Units.Count, set.Leaves.Count);

    public static IndicatorSet ToSet(SetHeader header, IReadOnlyList<UnitIndicators> units, IReadOnlyList<LeafMeasures> leaves)
    {
        if (units.Count != header.Units || leaves.Count != header.Leaves)
            throw new InvalidDataException($"indicator set {header.Id}: {units.Count} units and {leaves.Count} leaves stored, {header.Units} and {header.Leaves} expected");
        return new IndicatorSet
        {
            Id = header.Id,
            Engine = header.Engine,
            DataVersion = header.DataVersion,
            Options = header.Options.ToOptions(),
            ComputedAt = header.ComputedAt,
            Statistics = header.Statistics,
            Units = units.Select(Normalize).ToArray(),
            Leaves = leaves.Select(Normalize).ToArray(),
            Rules = header.Rules,
        };
    }

    /// <summary>
    /// A unit read back with its per-technology, per-status and per-kind maps in enum order again (jsonb does not
    /// keep the order of object keys), as compact <see cref="EnumMap{TKey, TValue}"/>s like the aggregator's.
    /// </summary>
    public static UnitIndicators Normalize(UnitIndicators u) => u with
    {
        Coverage = EnumMap<RadioTechnology, CoverageIndicator>.From(u.Coverage),
        FibreKm = EnumMap<FibreStatus, double>.From(u.FibreKm),
        FacilitiesOnFibre = EnumMap<FacilityKind, ShareIndicator>.From(u.FacilitiesOnFibre),
        Towers = EnumMap<RadioTechnology, int>.From(u.Towers),
    };

    /// <inheritdoc cref="Normalize(UnitIndicators)"/>
    public static LeafMeasures Normalize(LeafMeasures m) => m with
    {
        CoveredPopulation = EnumMap<RadioTechnology, long>.From(m.CoveredPopulation),
        CoveredAreaM2 = EnumMap<RadioTechnology, double>.From(m.CoveredAreaM2),
        FibreMetres = EnumMap<FibreStatus, double>.From(m.FibreMetres),
        Facilities = EnumMap<FacilityKind, int>.From(m.Facilities),
        FacilitiesOnFibre = EnumMap<FacilityKind, int>.From(m.FacilitiesOnFibre),
        Towers = EnumMap<RadioTechnology, int>.From(m.Towers),
    };

    /// <summary>The provenance of a stored set.</summary>
    /// <param name="Units">number of units stored, to detect a truncated set</param>
    internal sealed record SetHeader(
        int Format, Guid Id, string Engine, long DataVersion, string Rules, StoredOptions Options, DateTimeOffset ComputedAt,
        IndicatorRunStatistics Statistics, int Units, int Leaves);

    /// <summary>The options as stored: every parameter, technologies by their API name (2g … 5g).</summary>
    internal sealed record StoredOptions(
        double FibreReachMetres,
        double HouseholdReachMetres,
        SortedDictionary<string, double> DefaultRadiusMetres,
        int[] BandEdgesPercent,
        int CircleVertices,
        int BufferQuadrantSegments)
    {
        public static StoredOptions From(IndicatorOptions o) => new(
            o.FibreReachMetres,
            o.HouseholdReachMetres,
            new SortedDictionary<string, double>(o.DefaultRadiusMetres.ToDictionary(kv => IndicatorOptions.TechnologyName(kv.Key), kv => kv.Value), StringComparer.Ordinal),
            [.. o.BandEdgesPercent],
            o.CircleVertices,
            o.BufferQuadrantSegments);

        public IndicatorOptions ToOptions()
        {
            var radii = ImmutableSortedDictionary.CreateBuilder<RadioTechnology, double>();
            foreach (var (name, metres) in DefaultRadiusMetres)
            {
                if (!IndicatorOptions.TryParseTechnology(name, out var t))
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"stored options name an unknown technology '{name}'"));
                radii[t] = metres;
            }
            return new IndicatorOptions
            {
                FibreReachMetres = FibreReachMetres,
                HouseholdReachMetres = HouseholdReachMetres,
                DefaultRadiusMetres = radii.ToImmutable(),
                BandEdgesPercent = [.. BandEdgesPercent],
                CircleVertices = CircleVertices,
                BufferQuadrantSegments = BufferQuadrantSegments,
            };
        }
    }
}
