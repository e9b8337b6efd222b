using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Indicators.Embedded;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Scenarios;

/// <summary>An office to connect: the village's code and its anchor (village office, else point-on-surface).</summary>
public sealed record RouteAnchor(string Code, Coordinate Location, bool IsOffice);

/// <summary>A route built by <see cref="RouteBuilder"/>.</summary>
/// <param name="Elements">one fibre element per spanning-tree edge, in the order the tree grew</param>
/// <param name="Anchors">the anchors of the villages asked for, ordered by code</param>
/// <param name="AlreadyOnFibre">codes of villages whose anchor is within fibre reach of an existing route: no edge</param>
/// <param name="TotalKm">sum of the elements' lengths (geodesic length × detour factor)</param>
public sealed record BuiltRoute(
    IReadOnlyList<FibreElement> Elements,
    IReadOnlyList<RouteAnchor> Anchors,
    IReadOnlyList<string> AlreadyOnFibre,
    double DetourFactor,
    double TotalKm);

/// <summary>
/// Builds a fibre route that connects village offices: a minimum spanning tree (Prim) over the offices that are
/// not on fibre yet and one node standing for the whole existing network. See Scenarios/README.md.
/// </summary>
/// <remarks>Deterministic: the same input gives the same route, ties broken by code. Thread-safe.</remarks>
public static class RouteBuilder
{
    /// <summary>The node id of the existing network in element ids.</summary>
    public const string Network = "network";

    /// <summary>Reads the villages' anchors and the existing network from the store and connects the anchors.</summary>
    /// <exception cref="ArgumentException">a code is not a village of the store, codes repeat, or the detour factor is below 1.</exception>
    public static async Task<BuiltRoute> ConnectOfficesAsync(
        ISpatialStore store,
        IReadOnlyList<string> villageCodes,
        double detourFactor,
        IndicatorOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        options.EnsureValid();
        CheckDetour(detourFactor);
        if (villageCodes.Distinct(StringComparer.Ordinal).Count() != villageCodes.Count) throw new ArgumentException("village codes repeat", nameof(villageCodes));
        var villages = await FootprintCalculator.ResolveUnitsAsync(store, villageCodes, cancellationToken);
        var notVillage = villages.FirstOrDefault(v => v.Level != AdminLevel.Village);
        if (notVillage is not null) throw new ArgumentException($"unit '{notVillage.Code}' is not a village", nameof(villageCodes));
        var extent = FootprintCalculator.ExtentOf(villages);
        var offices = FacilitySet.OfficesByUnit(await store.QueryFacilitiesAsync(new FeatureQuery(extent), cancellationToken));
        var anchors = villages.Select(v => offices.TryGetValue(v.Code, out var office)
                ? new RouteAnchor(v.Code, office.Location.Coordinate, true)
                : new RouteAnchor(v.Code, v.Geometry.InteriorPoint.Coordinate, false))
            .OrderBy(a => a.Code, StringComparer.Ordinal).ToArray();

        // Read the existing network within a box; the nearest network point of every anchor is exact once every
        // anchor's distance to the network read is within the box's margin (a nearer route would intersect the box).
        var margin = 10_000.0;
        while (true)
        {
            var box = ChangedAreas.Widen(extent, margin);
            var network = (await store.QueryFibreRoutesAsync(new FeatureQuery(box), cancellationToken))
                .Where(r => r.Status == FibreStatus.Existing).OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Geometry).ToArray();
            var joined = Union(network);
            var farthest = network.Length == 0 ? double.PositiveInfinity
                : anchors.Max(a => GeodesicDistance.PointToGeometry(a.Location, joined));
            if (farthest <= margin) return ConnectOffices(anchors, network, detourFactor, options.FibreReachMetres);
            if (margin >= 20_000_000)
            {
                var all = (await store.QueryFibreRoutesAsync(FeatureQuery.All, cancellationToken))
                    .Where(r => r.Status == FibreStatus.Existing).OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Geometry).ToArray();
                return ConnectOffices(anchors, all, detourFactor, options.FibreReachMetres);
            }
            margin = double.IsInfinity(farthest) ? margin * 4 : Math.Max(farthest * 1.01, margin * 2);
        }
    }

    /// <summary>
    /// Connects the anchors: those within <paramref name="fibreReachMetres"/> of the network need no edge; the
    /// others are joined by a minimum spanning tree over them and one network node, an anchor–anchor edge weighing
    /// the geodesic distance of the two anchors and an anchor–network edge the geodesic distance from the anchor to
    /// the nearest point of the network. Each edge becomes one straight two-point element.
    /// </summary>
    public static BuiltRoute ConnectOffices(IReadOnlyList<RouteAnchor> anchors, IReadOnlyList<MultiLineString> network, double detourFactor, double fibreReachMetres)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        ArgumentNullException.ThrowIfNull(network);
        CheckDetour(detourFactor);
        var ordered = anchors.OrderBy(a => a.Code, StringComparer.Ordinal).ToArray();
        if (ordered.Select(a => a.Code).Distinct(StringComparer.Ordinal).Count() != ordered.Length) throw new ArgumentException("anchor codes repeat", nameof(anchors));
        var net = network.Count == 0 ? null : Union(network);
        var onFibre = net is null ? [] : ordered.Where(a => GeodesicDistance.IsWithin(a.Location, net, fibreReachMetres)).Select(a => a.Code).ToArray();
        var nodes = ordered.Where(a => !onFibre.Contains(a.Code)).ToArray();

        // Prim. Node n (0 … N−1) is nodes[n]; node N is the network (when there is one), where the tree starts.
        var n = nodes.Length;
        var elements = new List<FibreElement>();
        if (n > 0)
        {
            var withNetwork = net is not null;
            var total = withNetwork ? n + 1 : n;
            var key = new double[total];
            var parent = new int[total];
            var inTree = new bool[total];
            Array.Fill(key, double.PositiveInfinity);
            Array.Fill(parent, -1);
            var start = withNetwork ? n : 0;
            key[start] = 0;
            for (var step = 0; step < total; step++)
            {
                // The cheapest node not yet in the tree; ties go to the smaller code (node order), the network first.
                var u = -1;
                for (var v = 0; v < total; v++)
                {
                    if (inTree[v]) continue;
                    if (u < 0 || key[v] < key[u] || (key[v] == key[u] && Rank(v, n) < Rank(u, n))) u = v;
                }
                inTree[u] = true;
                if (parent[u] >= 0) elements.Add(Edge(nodes, n, u, parent[u], net, detourFactor));
                for (var v = 0; v < n; v++)
                {
                    if (inTree[v]) continue;
                    var w = u == n ? GeodesicDistance.PointToGeometry(nodes[v].Location, net!) : GeodesicMeasure.Distance(nodes[u].Location, nodes[v].Location);
                    if (w < key[v]) (key[v], parent[v]) = (w, u);
                }
            }
        }
        var totalKm = elements.Sum(e => GeodesicMeasure.Length(e.Geometry) / 1000.0 * e.DetourFactor);
        return new BuiltRoute(elements, ordered, onFibre, detourFactor, totalKm);
    }

    private static int Rank(int node, int n) => node == n ? -1 : node;

    private static FibreElement Edge(RouteAnchor[] nodes, int n, int child, int parent, MultiLineString? network, double detourFactor)
    {
        var from = nodes[child].Location;
        Coordinate to;
        string toName;
        if (parent == n)
        {
            var near = GeodesicDistance.SphereClosestPoint(from, network!)!.Value;
            to = new Coordinate(near.Lon, near.Lat);
            toName = Network;
        }
        else
        {
            to = nodes[parent].Location;
            toName = nodes[parent].Code;
        }
        var line = Geo.Factory.CreateLineString([from.Copy(), to.Copy()]);
        return new FibreElement($"mst:{nodes[child].Code}-{toName}", Geo.Factory.CreateMultiLineString([line])) { DetourFactor = detourFactor };
    }

    private static MultiLineString Union(IEnumerable<MultiLineString> routes) =>
        Geo.Factory.CreateMultiLineString(routes.SelectMany(r => Enumerable.Range(0, r.NumGeometries).Select(i => (LineString)r.GetGeometryN(i))).ToArray());

    private static void CheckDetour(double detourFactor)
    {
        if (!(detourFactor >= 1) || double.IsInfinity(detourFactor))
            throw new ArgumentOutOfRangeException(nameof(detourFactor), detourFactor, "the detour factor must be a finite number ≥ 1");
    }
}
