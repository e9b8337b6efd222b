using System.Text.Json;
using System.Text.Json.Nodes;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Tests.Infrastructure;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace GeoReadiness.Spatial.Tests.Geodesy;

/// <summary>A boundary feature read from shared/data (read in place, never copied into the repository).</summary>
internal sealed record BoundaryFeature(string Code, Geometry Geometry);

internal static class BoundaryFixtures
{
    public const string KabKota = "boundaries/id_kabkota.geojson";
    public const string Nagari = "boundaries/padang_pariaman_13.05_nagari.geojson";

    /// <summary>
    /// Reads a GeoJSON FeatureCollection with NetTopologySuite.IO.GeoJSON4STJ into SRID-4326 geometries.
    /// Rings with fewer than 4 positions are dropped before NTS sees them: the source data has such degenerate
    /// rings (kab 96.01 Sorong has ten 3-position holes A-B-A), which enclose nothing but make NTS's LinearRing
    /// constructor throw. Nothing else is altered and any other error propagates.
    /// </summary>
    public static IReadOnlyList<BoundaryFeature> Load(string relativePath, out int droppedRings)
    {
        var dir = TestEnvironment.SharedDataDirectory
            ?? throw new InvalidOperationException($"shared data directory not found beside {TestEnvironment.RepositoryRoot}");
        var path = Path.Combine(dir, relativePath);
        var root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException(path + " is empty");

        droppedRings = 0;
        foreach (var feature in root["features"]!.AsArray())
        {
            var geometry = feature!["geometry"];
            if (geometry is null) continue;
            var coordinates = geometry["coordinates"]!.AsArray();
            switch ((string?)geometry["type"])
            {
                case "Polygon":
                    droppedRings += DropDegenerateRings(coordinates);
                    break;
                case "MultiPolygon":
                    foreach (var polygon in coordinates)
                        droppedRings += DropDegenerateRings(polygon!.AsArray());
                    break;
            }
        }

        var options = new JsonSerializerOptions { Converters = { new GeoJsonConverterFactory(Geo.Factory) } };
        var collection = root.Deserialize<FeatureCollection>(options)
            ?? throw new InvalidDataException(path + " is not a FeatureCollection");
        return collection
            .Select(f => new BoundaryFeature((string)f.Attributes["kode"], f.Geometry))
            .ToList();
    }

    private static int DropDegenerateRings(JsonArray rings)
    {
        int dropped = 0;
        for (int i = rings.Count - 1; i >= 0; i--)
        {
            if (rings[i]!.AsArray().Count >= 4) continue;
            if (i == 0) throw new InvalidDataException("degenerate exterior ring: not expected in the boundary data");
            rings.RemoveAt(i);
            dropped++;
        }
        return dropped;
    }
}
