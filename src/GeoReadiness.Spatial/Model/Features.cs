using System.Collections.Immutable;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Model;

public enum FibreStatus
{
    Existing,
    Planned,
    UnderConstruction,
}

/// <summary>A fibre-optic route, EPSG:4326. A single LineString is held as a one-part MultiLineString.</summary>
public sealed record FibreRoute
{
    public required string Id { get; init; }
    public required MultiLineString Geometry { get; init; }
    public required FibreStatus Status { get; init; }
    public int? Year { get; init; }
    public string? Owner { get; init; }
    public string? Name { get; init; }

    public bool Equals(FibreRoute? other) =>
        other is not null && Id == other.Id && Status == other.Status && Year == other.Year
        && Owner == other.Owner && Name == other.Name && Geometry.EqualsExact(other.Geometry);

    public override int GetHashCode() => HashCode.Combine(Id, Status, Year);
}

public enum RadioTechnology
{
    G2 = 2,
    G3 = 3,
    G4 = 4,
    G5 = 5,
}

/// <summary>
/// A cell tower (BTS). Coverage is either a radius per technology, in metres, or an explicit coverage
/// polygon measured by the operator, which then takes precedence for every technology the tower offers.
/// </summary>
public sealed record Tower
{
    public required string Id { get; init; }
    public required Point Location { get; init; }
    /// <summary>Technologies offered, ascending.</summary>
    public required ImmutableSortedSet<RadioTechnology> Technologies { get; init; }
    /// <summary>Coverage radius in metres per technology; a technology without an entry uses the engine's default.</summary>
    public ImmutableSortedDictionary<RadioTechnology, double> RadiusMetres { get; init; } =
        ImmutableSortedDictionary<RadioTechnology, double>.Empty;
    public MultiPolygon? CoverageArea { get; init; }
    public string? Operator { get; init; }
    public int? Year { get; init; }
    public string? Name { get; init; }

    public bool Equals(Tower? other) =>
        other is not null && Id == other.Id && Operator == other.Operator && Year == other.Year && Name == other.Name
        && Technologies.SetEquals(other.Technologies)
        && RadiusMetres.Count == other.RadiusMetres.Count
        && RadiusMetres.All(kv => other.RadiusMetres.TryGetValue(kv.Key, out var r) && r == kv.Value)
        && Location.EqualsExact(other.Location)
        && (CoverageArea is null ? other.CoverageArea is null : other.CoverageArea is not null && CoverageArea.EqualsExact(other.CoverageArea));

    public override int GetHashCode() => HashCode.Combine(Id, Operator, Year);
}

public enum FacilityKind
{
    /// <summary>Office of a regional government agency (organisasi perangkat daerah).</summary>
    OpdOffice,
    KecamatanOffice,
    /// <summary>Kantor desa / kantor lurah / kantor wali nagari.</summary>
    VillageOffice,
    Puskesmas,
    School,
    Other,
}

/// <summary>A public facility (point, EPSG:4326) owned by an administrative unit.</summary>
public sealed record Facility
{
    public required string Id { get; init; }
    public required Point Location { get; init; }
    public required FacilityKind Kind { get; init; }
    /// <summary>Code of the unit that owns (or hosts) the facility.</summary>
    public string? UnitCode { get; init; }
    public string? Name { get; init; }

    public bool Equals(Facility? other) =>
        other is not null && Id == other.Id && Kind == other.Kind && UnitCode == other.UnitCode && Name == other.Name
        && Location.EqualsExact(other.Location);

    public override int GetHashCode() => HashCode.Combine(Id, Kind, UnitCode);
}

/// <summary>
/// A population cell: a point or a small polygon (e.g. a 250 m grid square) with a head count and a
/// household (KK) count. The layer is optional; without it indicators spread a unit's population over its area.
/// </summary>
public sealed record PopulationCell
{
    public required string Id { get; init; }
    /// <summary>A Point or a Polygon in EPSG:4326.</summary>
    public required Geometry Geometry { get; init; }
    public required int Population { get; init; }
    public required int Households { get; init; }

    public bool Equals(PopulationCell? other) =>
        other is not null && Id == other.Id && Population == other.Population && Households == other.Households
        && Geometry.EqualsExact(other.Geometry);

    public override int GetHashCode() => HashCode.Combine(Id, Population, Households);
}
