using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Indicators.Embedded;

/// <summary>
/// Population cells assigned to leaves once per version of units and cells (the assignment is static between
/// data changes), stored grouped by leaf: leaf i's cells are at [Start[i], Start[i + 1]).
/// </summary>
/// <remarks>Immutable once built; safe for concurrent use.</remarks>
internal sealed class CellSet
{
    public int[] Start { get; }
    public double[] X { get; }
    public double[] Y { get; }
    public int[] Population { get; }
    public int[] Households { get; }
    public long Unassigned { get; }

    public CellSet(LeafSet leaves, IReadOnlyList<PopulationCell> cells, ParallelOptions parallel)
    {
        var n = cells.Count;
        var leafOf = new int[n];
        var px = new double[n];
        var py = new double[n];
        Parallel.For(0, n, parallel, i =>
        {
            var p = RepresentativePoint(cells[i].Geometry);
            px[i] = p.X;
            py[i] = p.Y;
            leafOf[i] = leaves.Assign(p.X, p.Y);
        });
        Start = new int[leaves.Count + 1];
        long unassigned = 0;
        foreach (var l in leafOf)
        {
            if (l < 0) unassigned++;
            else Start[l + 1]++;
        }
        for (var i = 1; i < Start.Length; i++) Start[i] += Start[i - 1];
        var m = Start[^1];
        (X, Y, Population, Households) = (new double[m], new double[m], new int[m], new int[m]);
        var fill = (int[])Start.Clone();
        for (var i = 0; i < n; i++)
        {
            if (leafOf[i] < 0) continue;
            var at = fill[leafOf[i]]++;
            X[at] = px[i];
            Y[at] = py[i];
            Population[at] = cells[i].Population;
            Households[at] = cells[i].Households;
        }
        Unassigned = unassigned;
    }

    /// <summary>The point itself, or the point-on-surface of a polygon cell (as ST_PointOnSurface).</summary>
    public static Coordinate RepresentativePoint(Geometry g) => g is Point p ? p.Coordinate : g.InteriorPoint.Coordinate;
}

/// <summary>Facilities assigned to leaves, and the village office chosen as each village's anchor.</summary>
internal sealed class FacilitySet
{
    public IReadOnlyList<Facility> Items { get; }
    public long Unassigned { get; }
    /// <summary>Facilities of each leaf (indexes into <see cref="Items"/>).</summary>
    public int[][] OfLeaf { get; }
    /// <summary>The village office (smallest id) per unit code.</summary>
    public IReadOnlyDictionary<string, Facility> VillageOffices { get; }

    public FacilitySet(LeafSet leaves, IReadOnlyList<Facility> facilities, ParallelOptions parallel)
    {
        Items = facilities;
        var leafOf = new int[facilities.Count];
        Parallel.For(0, facilities.Count, parallel, i => leafOf[i] = leaves.Assign(facilities[i].Location.X, facilities[i].Location.Y));
        Unassigned = leafOf.LongCount(l => l < 0);
        var lists = new List<int>?[leaves.Count];
        for (var i = 0; i < leafOf.Length; i++)
        {
            if (leafOf[i] >= 0) (lists[leafOf[i]] ??= []).Add(i);
        }
        OfLeaf = lists.Select(l => l?.ToArray() ?? []).ToArray();
        VillageOffices = OfficesByUnit(facilities);
    }

    /// <summary>The village office with the smallest id per unit code (the anchor rule).</summary>
    public static IReadOnlyDictionary<string, Facility> OfficesByUnit(IEnumerable<Facility> facilities)
    {
        var offices = new Dictionary<string, Facility>(StringComparer.Ordinal);
        foreach (var f in facilities)
        {
            if (f.Kind != FacilityKind.VillageOffice || f.UnitCode is null) continue;
            if (!offices.TryGetValue(f.UnitCode, out var kept) || string.CompareOrdinal(f.Id, kept.Id) < 0) offices[f.UnitCode] = f;
        }
        return offices;
    }
}
