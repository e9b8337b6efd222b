using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Scenarios;
using GeoReadiness.Spatial.Storage;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Tests.Scenarios;

public sealed class RouteBuilderTests(ScenarioFixture fixture) : IClassFixture<ScenarioFixture>
{
    // Three offices on the equator 0.01° apart and one 0.01° north of the first: the tree is the three short edges.
    private static readonly RouteAnchor A = new("13.05.01.2001", new Coordinate(100.00, -0.50), true);
    private static readonly RouteAnchor B = new("13.05.01.2002", new Coordinate(100.01, -0.50), true);
    private static readonly RouteAnchor C = new("13.05.01.2003", new Coordinate(100.02, -0.50), false);
    private static readonly RouteAnchor D = new("13.05.01.2004", new Coordinate(100.00, -0.49), true);

    private static double Km(RouteAnchor a, RouteAnchor b) => GeodesicMeasure.Distance(a.Location, b.Location) / 1000;

    [Fact]
    public void MinimumSpanningTreeWithoutNetworkJoinsTheOfficesByTheShortestEdges()
    {
        var route = RouteBuilder.ConnectOffices([A, B, C, D], [], 1.0, 500);
        Assert.Equal(["mst:13.05.01.2002-13.05.01.2001", "mst:13.05.01.2003-13.05.01.2002", "mst:13.05.01.2004-13.05.01.2001"],
            route.Elements.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(Km(A, B) + Km(B, C) + Km(A, D), route.TotalKm, 9);
        Assert.Empty(route.AlreadyOnFibre);
    }

    [Fact]
    public void DetourFactorScalesTheReportedLengthButNotTheGeometry()
    {
        var straight = RouteBuilder.ConnectOffices([A, B, C, D], [], 1.0, 500);
        var bent = RouteBuilder.ConnectOffices([A, B, C, D], [], 1.3, 500);
        Assert.Equal(straight.TotalKm * 1.3, bent.TotalKm, 9);
        Assert.Equal(straight.Elements.Select(e => e.Geometry), bent.Elements.Select(e => e.Geometry));
        Assert.All(bent.Elements, e => Assert.Equal(1.3, e.DetourFactor));
        Assert.Throws<ArgumentOutOfRangeException>(() => RouteBuilder.ConnectOffices([A], [], 0.99, 500));
    }

    [Fact]
    public void TheSameOfficesInAnyOrderGiveTheSameRoute()
    {
        var network = Line((100.00, -0.52), (100.03, -0.52));
        var first = RouteBuilder.ConnectOffices([A, B, C, D], [network], 1.2, 500);
        var second = RouteBuilder.ConnectOffices([D, C, B, A], [network], 1.2, 500);
        Assert.Equal(first.Elements.Select(e => e.Id), second.Elements.Select(e => e.Id));
        Assert.True(first.Elements.Zip(second.Elements).All(p => p.First.Geometry.EqualsExact(p.Second.Geometry)));
        Assert.Equal(first.TotalKm, second.TotalKm);
    }

    [Fact]
    public void AnOfficeAlreadyOnFibreNeedsNoEdgeAndTheOthersAttachToTheNearestNetworkPoint()
    {
        // The network passes ~110 m south of A and ends 0.005° west of B: A is on fibre and is no node; B attaches
        // to the network's end (~0.57 km), C to B (1.1 km) rather than to the network (~1.7 km).
        var network = Line((99.99, -0.501), (100.005, -0.501));
        var route = RouteBuilder.ConnectOffices([A, B, C], [network], 1.0, 500);
        Assert.Equal([A.Code], route.AlreadyOnFibre);
        Assert.DoesNotContain(route.Elements, e => e.Id.Contains(A.Code, StringComparison.Ordinal));
        var toNetwork = Assert.Single(route.Elements, e => e.Id == $"mst:{B.Code}-{RouteBuilder.Network}");
        var end = toNetwork.Geometry.Coordinates[^1];
        Assert.Equal(-0.501, end.Y, 6);
        Assert.Equal(100.005, end.X, 6);
        Assert.Equal([$"mst:{B.Code}-{RouteBuilder.Network}", $"mst:{C.Code}-{B.Code}"], route.Elements.Select(e => e.Id));
    }

    [Fact]
    public async Task OfficesOfTheDemoAreConnectedOnePerEdgeAndTheBuiltRouteConnectsThem()
    {
        var nagari = (await fixture.Store.QueryUnitsAsync(new UnitQuery(AdminLevel.Village, "13.05"))).Take(12).Select(u => u.Code).ToArray();
        var route = await RouteBuilder.ConnectOfficesAsync(fixture.Store, nagari, 1.25, IndicatorOptions.Default);
        Assert.Equal(nagari.Length, route.Elements.Count + route.AlreadyOnFibre.Count);
        Assert.All(route.Anchors, a => Assert.True(a.IsOffice));
        Assert.Equal(route.Elements.Sum(e => GeodesicMeasure.Length(e.Geometry)) / 1000 * 1.25, route.TotalKm, 9);

        var footprint = await FootprintCalculator.ComputeAsync(fixture.Store, ["13.05"], route.Elements, [], [], IndicatorOptions.Default);
        var applied = FootprintEvaluator.Apply(footprint, route.Elements.Select(e => e.Id), onlyAffected: false);
        Assert.All(applied.Where(l => nagari.Contains(l.Code)), l => Assert.True(l.VillageOnFibre));
        Assert.Equal(route.TotalKm, footprint.Elements.Sum(e => e.LengthKm), 9);
        Assert.All(footprint.Elements, e => Assert.Null(e.ReplacesStatus));
    }

    private static MultiLineString Line(params (double X, double Y)[] points) =>
        Geo.Factory.CreateMultiLineString([Geo.Factory.CreateLineString(points.Select(p => new Coordinate(p.X, p.Y)).ToArray())]);
}
