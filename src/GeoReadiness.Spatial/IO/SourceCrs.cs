using System.Text.RegularExpressions;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;
using ProjNet.IO.CoordinateSystems;

namespace GeoReadiness.Spatial.IO;

/// <summary>
/// The coordinate reference system a file came in, and how to bring its coordinates to EPSG:4326 lon/lat.
/// Known: WGS84 geographic, WGS84 / UTM zones (EPSG:326zz, 327zz), Web Mercator (EPSG:3857), and any WKT
/// that ProjNET can transform.
/// </summary>
public sealed partial class SourceCrs
{
    private const double EarthRadius = 6378137.0;
    private readonly Func<double, double, (double X, double Y)>? _toLonLat;

    private SourceCrs(string name, Func<double, double, (double, double)>? toLonLat)
    {
        Name = name;
        _toLonLat = toLonLat;
    }

    public string Name { get; }

    /// <summary>True when coordinates are already WGS84 lon/lat and need no transformation.</summary>
    public bool IsWgs84 => _toLonLat is null;

    public static SourceCrs Wgs84 { get; } = new("EPSG:4326 (WGS 84)", null);

    public static SourceCrs WebMercator { get; } = new("EPSG:3857 (WGS 84 / Pseudo-Mercator)", (x, y) =>
        (x / EarthRadius * 180.0 / Math.PI, (2.0 * Math.Atan(Math.Exp(y / EarthRadius)) - Math.PI / 2.0) * 180.0 / Math.PI));

    /// <summary>The CRS for an EPSG code, or null when this code is not one we can transform.</summary>
    public static SourceCrs? FromEpsg(int code)
    {
        switch (code)
        {
            case 4326 or 4755: // DGN95 (Indonesia's datum) coincides with WGS84 to well under a metre
                return code == 4326 ? Wgs84 : new SourceCrs("EPSG:4755 (DGN95, taken as WGS 84)", null);
            case 3857 or 900913 or 102100 or 102113:
                return WebMercator;
            case >= 32601 and <= 32660 or >= 32701 and <= 32760:
                var north = code < 32700;
                var zone = code % 100;
                var utm = ProjectedCoordinateSystem.WGS84_UTM(zone, north);
                return FromProjNet($"EPSG:{code} (WGS 84 / UTM zone {zone}{(north ? "N" : "S")})", utm);
            default:
                return null;
        }
    }

    /// <summary>Parses a GeoJSON-style CRS name such as <c>urn:ogc:def:crs:EPSG::32747</c>, <c>EPSG:3857</c> or CRS84.</summary>
    public static SourceCrs? FromName(string name)
    {
        var n = name.Trim();
        if (n.EndsWith("CRS84", StringComparison.OrdinalIgnoreCase) || n.EndsWith("CRS:84", StringComparison.OrdinalIgnoreCase)) return Wgs84;
        var m = EpsgName().Match(n);
        return m.Success && int.TryParse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out var code) ? FromEpsg(code) : null;
    }

    /// <summary>Parses OGC or ESRI WKT (a .prj file, a GeoPackage SRS definition).</summary>
    /// <exception cref="DatasetReadException">the WKT cannot be parsed or transformed</exception>
    public static SourceCrs FromWkt(string wkt, string path)
    {
        var text = wkt.Trim();
        if (text.Length == 0) throw new DatasetReadException(path, "the CRS definition is empty");
        if (WebMercatorWkt().IsMatch(text)) return WebMercator;
        CoordinateSystem cs;
        try
        {
            cs = CoordinateSystemWktReader.Parse(text) as CoordinateSystem
                ?? throw new DatasetReadException(path, $"the CRS definition is not a coordinate system: {Abbreviate(text)}");
        }
        catch (Exception e) when (e is not DatasetReadException)
        {
            throw new DatasetReadException(path, $"unknown or unreadable CRS ({e.Message}): {Abbreviate(text)}", inner: e);
        }
        if (cs is GeographicCoordinateSystem g && IsWgs84Like(g)) return new SourceCrs($"{g.Name} (WGS 84 lon/lat)", null);
        if (cs is not (GeographicCoordinateSystem or ProjectedCoordinateSystem))
            throw new DatasetReadException(path, $"unsupported CRS '{cs.Name}' (only geographic and projected systems can be transformed)");
        try
        {
            return FromProjNet(cs.Name, cs);
        }
        catch (Exception e)
        {
            throw new DatasetReadException(path, $"unsupported CRS '{cs.Name}': {e.Message}", inner: e);
        }
    }

    private static SourceCrs FromProjNet(string name, CoordinateSystem cs)
    {
        var mt = new CoordinateTransformationFactory().CreateFromCoordinateSystems(cs, GeographicCoordinateSystem.WGS84).MathTransform;
        // Probe once so that an unsupported projection fails here, with the file name, not mid-import.
        _ = mt.Transform(cs is ProjectedCoordinateSystem ? 500000.0 : 100.0, 0.0);
        return new SourceCrs(name, (x, y) => mt.Transform(x, y));
    }

    private static bool IsWgs84Like(GeographicCoordinateSystem g) =>
        Math.Abs(g.AngularUnit.RadiansPerUnit - Math.PI / 180.0) < 1e-12
        && Math.Abs(g.HorizontalDatum.Ellipsoid.SemiMajorAxis - 6378137.0) < 1e-3
        && Math.Abs(g.HorizontalDatum.Ellipsoid.InverseFlattening - 298.257223563) < 1e-6
        && Math.Abs(g.PrimeMeridian.Longitude) < 1e-12;

    /// <summary>A copy of the geometry in EPSG:4326, built with <see cref="Geo.Factory"/>.</summary>
    public Geometry ToWgs84(Geometry geometry)
    {
        var copy = Geo.Factory.CreateGeometry(geometry);
        if (_toLonLat is not null)
        {
            copy.Apply(new TransformFilter(_toLonLat));
            copy.GeometryChanged();
        }
        return copy;
    }

    private static string Abbreviate(string s) => s.Length <= 120 ? s : s[..117] + "...";

    [GeneratedRegex(@"EPSG:+(?:[\d.]*:)?(\d+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EpsgName();

    [GeneratedRegex(@"Mercator_Auxiliary_Sphere|Pseudo[-_ ]Mercator|Web[-_ ]Mercator|Google[-_ ]Mercator|AUTHORITY\[""EPSG"",\s*""3857""\]\s*\]\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WebMercatorWkt();

    private sealed class TransformFilter(Func<double, double, (double X, double Y)> transform) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var (x, y) = transform(seq.GetX(i), seq.GetY(i));
                seq.SetX(i, x);
                seq.SetY(i, y);
            }
        }
    }
}
