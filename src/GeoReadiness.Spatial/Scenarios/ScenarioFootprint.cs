using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Scenarios;

/// <summary>
/// The deterministic spatial footprint of a scenario's elements under some units: the item universe (leaves,
/// population cells, facilities, village anchors, towers), the baseline state of every item, and per element the
/// items it newly affects relative to the baseline. See Scenarios/README.md.
/// </summary>
/// <remarks>
/// Items are referred to by their index in the arrays of <see cref="Cells"/>, <see cref="Facilities"/>,
/// <see cref="Anchors"/> and <see cref="Towers"/>; every item set is an int array sorted ascending, so the
/// union of elements is exact (a cell covered by two towers is counted once). Leaf indexes refer to
/// <see cref="Leaves"/>. Immutable by convention: do not change the arrays.
/// </remarks>
public sealed record ScenarioFootprint
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    /// <summary>The indicator rules version (<see cref="Indicators.IndicatorSet.RulesVersion"/>) the footprint follows.</summary>
    public required string Rules { get; init; }
    public required FootprintParameters Parameters { get; init; }
    /// <summary>The store's data version the footprint was computed from.</summary>
    public required long DataVersion { get; init; }
    /// <summary>The units asked for, as given.</summary>
    public required string[] UnitCodes { get; init; }
    /// <summary>The leaves under the units that are expressed as items (Cells method), ordered by code.</summary>
    public required FootprintLeaf[] Leaves { get; init; }
    /// <summary>Leaves under the units that cannot be expressed as item sets, with the reason.</summary>
    public required UnsupportedLeaf[] Unsupported { get; init; }
    public required CellItems Cells { get; init; }
    public required FacilityItems Facilities { get; init; }
    public required AnchorItems Anchors { get; init; }
    public required TowerItems Towers { get; init; }
    public required ItemState Baseline { get; init; }
    /// <summary>The elements in the order given: fibre elements, then new towers, then upgrades.</summary>
    public required FootprintElement[] Elements { get; init; }
    /// <summary>"sha256:" + hex of SHA-256 over the canonical JSON of the footprint without this property.</summary>
    public string? ContentHash { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <exception cref="JsonException">not a footprint.</exception>
    public static ScenarioFootprint FromJson(string json) =>
        JsonSerializer.Deserialize<ScenarioFootprint>(json, Json) ?? throw new JsonException("null footprint");

    /// <summary>The hash of the content: SHA-256 over the canonical JSON (this serialisation, without <see cref="ContentHash"/>).</summary>
    public string ComputeHash()
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(this with { ContentHash = null }, Json);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>This footprint with <see cref="ContentHash"/> set.</summary>
    public ScenarioFootprint WithHash() => this with { ContentHash = ComputeHash() };
}

/// <summary>The indicator options a footprint depends on.</summary>
public sealed record FootprintParameters(
    double FibreReachMetres,
    double HouseholdReachMetres,
    IReadOnlyDictionary<RadioTechnology, double> DefaultRadiusMetres);

/// <param name="Code">the leaf's code</param>
/// <param name="Ancestors">codes of its ancestors, nearest first</param>
/// <param name="IsVillage">whether it is a village (has an anchor)</param>
/// <param name="FibreMetres">baseline geodesic fibre length (m) inside the leaf per status</param>
public sealed record FootprintLeaf(string Code, string[] Ancestors, bool IsVillage, IReadOnlyDictionary<FibreStatus, double> FibreMetres);

public sealed record UnsupportedLeaf(string Code, string Reason);

/// <summary>Population cells of the leaves, grouped by leaf, within a leaf by id: parallel arrays.</summary>
public sealed record CellItems(int[] Leaf, int[] Population, int[] Households)
{
    [JsonIgnore] public int Count => Leaf.Length;
}

/// <summary>Facilities located in the leaves, grouped by leaf, within a leaf by id: parallel arrays.</summary>
public sealed record FacilityItems(string[] Id, int[] Leaf, FacilityKind[] Kind)
{
    [JsonIgnore] public int Count => Leaf.Length;
}

/// <summary>One anchor per village leaf, in leaf order: its leaf and whether it is the village office.</summary>
public sealed record AnchorItems(int[] Leaf, bool[] IsOffice)
{
    [JsonIgnore] public int Count => Leaf.Length;
}

/// <summary>Towers of the store located in the leaves, ordered by id: leaf and technologies (bit t − 2 for technology t, e.g. 4G = 4).</summary>
public sealed record TowerItems(string[] Id, int[] Leaf, int[] Technologies)
{
    [JsonIgnore] public int Count => Leaf.Length;
}

/// <summary>A state of the items as sorted index sets.</summary>
/// <param name="CoveredCells">cells covered per technology</param>
/// <param name="CellsInHouseholdReach">cells within household reach of existing fibre</param>
/// <param name="AnchorsOnFibre">anchors within fibre reach of existing fibre</param>
/// <param name="FacilitiesOnFibre">facilities within fibre reach of existing fibre</param>
public sealed record ItemState(
    IReadOnlyDictionary<RadioTechnology, int[]> CoveredCells,
    int[] CellsInHouseholdReach,
    int[] AnchorsOnFibre,
    int[] FacilitiesOnFibre);

public enum ElementKind
{
    Fibre,
    Tower,
    TowerUpgrade,
}

/// <summary>What one element newly affects relative to the baseline.</summary>
/// <param name="LengthKm">fibre: geodesic length × detour factor, in km; 0 otherwise</param>
/// <param name="ReplacesStatus">fibre: the status its length leaves (a stored route completed); null for a new route</param>
/// <param name="LeafCodes">codes of the leaves it touches (any item, fibre length or tower in them), ascending</param>
/// <param name="Newly">the items it newly covers or connects</param>
/// <param name="FibreLeaves">fibre: leaves with length inside them (ascending), parallel to <paramref name="FibreMetres"/></param>
/// <param name="FibreMetres">fibre: geodesic length (m) inside each of <paramref name="FibreLeaves"/></param>
/// <param name="TowerLeaf">new tower: its leaf, or −1 outside the leaves</param>
/// <param name="TowerItem">upgrade: the index of the upgraded tower in <see cref="ScenarioFootprint.Towers"/>, or −1 when it lies outside the leaves</param>
/// <param name="Technologies">new tower: its technologies; upgrade: the technologies added (bit t − 2)</param>
public sealed record FootprintElement(
    string Id,
    ElementKind Kind,
    double LengthKm,
    double DetourFactor,
    FibreStatus? ReplacesStatus,
    string[] LeafCodes,
    ItemState Newly,
    int[] FibreLeaves,
    double[] FibreMetres,
    int TowerLeaf,
    int TowerItem,
    int Technologies);
