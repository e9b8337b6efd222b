using System.Collections.Immutable;
using System.Text.Json;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Model;

/// <summary>Level of a unit in the Kemendagri administrative hierarchy.</summary>
public enum AdminLevel
{
    Province = 1,
    /// <summary>Kabupaten or kota.</summary>
    Regency = 2,
    /// <summary>Kecamatan.</summary>
    District = 3,
    /// <summary>Desa, kelurahan or nagari.</summary>
    Village = 4,
}

/// <summary>
/// The legal kind of a unit. Regencies are kabupaten or kota; villages are desa, kelurahan or
/// (in West Sumatra) nagari. <see cref="Other"/> covers e.g. the Desa Adat of Papua.
/// </summary>
public enum UnitKind
{
    Provinsi,
    Kabupaten,
    Kota,
    Kecamatan,
    Desa,
    Kelurahan,
    Nagari,
    Other,
}

/// <summary>
/// One administrative unit: a Kemendagri code such as <c>13.05.02.2001</c>, its name, level, parent
/// and boundary (MultiPolygon, EPSG:4326, lon/lat).
/// </summary>
/// <remarks>
/// <see cref="Attributes"/> holds free attributes (questionnaire answers, source fields) as JSON scalars
/// so that numbers stay numbers through every store and export.
/// </remarks>
public sealed record AdminUnit
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required AdminLevel Level { get; init; }
    public required UnitKind Kind { get; init; }
    /// <summary>Code of the parent unit; null only for provinces.</summary>
    public string? ParentCode { get; init; }
    public required MultiPolygon Geometry { get; init; }
    public long? Population { get; init; }
    public long? Households { get; init; }
    public ImmutableSortedDictionary<string, JsonElement> Attributes { get; init; } =
        ImmutableSortedDictionary<string, JsonElement>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Value equality that compares geometry exactly and attributes by JSON value.</summary>
    public bool Equals(AdminUnit? other) =>
        other is not null
        && Code == other.Code && Name == other.Name && Level == other.Level && Kind == other.Kind
        && ParentCode == other.ParentCode && Population == other.Population && Households == other.Households
        && Geometry.EqualsExact(other.Geometry)
        && AttributeEquality.Equal(Attributes, other.Attributes);

    public override int GetHashCode() => HashCode.Combine(Code, Name, Level, Kind, ParentCode, Population, Households);
}
