using GeoReadiness.Spatial.Import;
using GeoReadiness.Spatial.IO;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Tests.Import;

public sealed class CrsAndReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Utm47SShapefileIsReprojectedToLonLat()
    {
        // (99° E, 0°) is (500000, 10000000) in UTM 47S; (100.3° E, 0.95° S) about (644 845, 9 894 987).
        var pt = Geo.Factory.CreatePoint(new Coordinate(500000, 10000000));
        var shp = Fixtures.WriteShapefile(_dir.Path, "utm", [(pt, new Dictionary<string, object?> { ["id"] = "t1" })], Fixtures.Utm47SPrj);

        var ds = ShapefileFileReader.Read(shp);

        var p = (Point)ds.Features[0].Geometry!;
        Assert.Equal(99.0, p.X, 9);
        Assert.Equal(0.0, p.Y, 9);
        Assert.Equal(4326, p.SRID);
        Assert.Contains("UTM", ds.SourceCrs, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void WebMercatorShapefileIsReprojectedWithSphericalFormulas()
    {
        // EPSG:3857 x = R·λ, y = R·ln(tan(π/4 + φ/2)), R = 6378137.
        const double R = 6378137.0;
        double lon = 100.3, lat = -0.95;
        var x = R * lon * Math.PI / 180;
        var y = R * Math.Log(Math.Tan(Math.PI / 4 + lat * Math.PI / 360));
        var shp = Fixtures.WriteShapefile(_dir.Path, "merc", [(Geo.Factory.CreatePoint(new Coordinate(x, y)), new Dictionary<string, object?> { ["id"] = "t1" })], Fixtures.WebMercatorPrj);

        var p = (Point)ShapefileFileReader.Read(shp).Features[0].Geometry!;

        Assert.Equal(lon, p.X, 9);
        Assert.Equal(lat, p.Y, 9);
    }

    [Fact]
    public void UnknownCrsIsAnErrorNamingTheFile()
    {
        var shp = Fixtures.WriteShapefile(_dir.Path, "weird", [(Geo.Factory.CreatePoint(new Coordinate(1, 2)), new Dictionary<string, object?> { ["id"] = "t1" })],
            "PROJCS[\"Moon_Polar\",GEOGCS[\"Moon\",DATUM[\"Moon\",SPHEROID[\"Moon\",1737400,0]],PRIMEM[\"Reference\",0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Fancy_Unknown_Projection\"],UNIT[\"Meter\",1]]");

        var e = Assert.Throws<DatasetReadException>(() => ShapefileFileReader.Read(shp));

        Assert.Contains("weird.shp", e.Message, StringComparison.Ordinal);
        Assert.Contains("CRS", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GeoJsonCrsMemberNamingUtmIsHonoured()
    {
        var path = _dir.File("utm.geojson");
        File.WriteAllText(path, """{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32747"}},"features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[500000,10000000]}}]}""");

        var p = (Point)GeoJsonFileReader.Read(path).Features[0].Geometry!;

        Assert.Equal(99.0, p.X, 9);
        Assert.Equal(0.0, p.Y, 9);
    }

    [Fact]
    public void GeoJsonCrsMemberNamingAnUnknownCrsIsAClearError()
    {
        var path = _dir.File("dgn.geojson");
        File.WriteAllText(path, """{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::23830"}},"features":[]}""");

        var e = Assert.Throws<DatasetReadException>(() => GeoJsonFileReader.Read(path));

        Assert.Contains("dgn.geojson", e.Message, StringComparison.Ordinal);
        Assert.Contains("EPSG::23830", e.Message, StringComparison.Ordinal);
        Assert.Contains("RFC 7946", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GeoJsonRingsAreClosedAndDegenerateRingsDroppedWithNotes()
    {
        var path = _dir.File("rings.geojson");
        File.WriteAllText(path, """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[
              [[[100,-1],[100.1,-1],[100.1,-0.9],[100,-0.9]]],
              [[[101,-1],[101.1,-1],[101,-1]]]
            ]}}]}
            """);

        var f = GeoJsonFileReader.Read(path).Features[0];

        Assert.Null(f.Error);
        Assert.Equal(1, f.Geometry!.NumGeometries);
        Assert.Equal(2, f.RepairNotes.Count);
        Assert.Contains(f.RepairNotes, n => n.Contains("not closed", StringComparison.Ordinal));
        Assert.Contains(f.RepairNotes, n => n.Contains("polygon 1 ring 0 (outer) has 3 points", StringComparison.Ordinal));
    }

    [Fact]
    public void CsvParserFollowsRfc4180()
    {
        var rows = CsvTable.Parse("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"multi\nline\",\n", "t.csv");

        Assert.Equal(3, rows.Count);
        Assert.Equal(["1", "x, y", "say \"hi\""], rows[1].Fields);
        Assert.Equal(["2", "multi\nline", ""], rows[2].Fields);
        Assert.Equal(3, rows[2].Line);
    }

    [Fact]
    public void CsvWithUnclosedQuoteIsAnErrorNamingFileAndLine()
    {
        var path = _dir.File("bad.csv");
        File.WriteAllText(path, "kode,nama\n13,\"Sumatera Barat\n");

        var e = Assert.Throws<DatasetReadException>(() => CsvTable.Read(path));

        Assert.Contains("bad.csv", e.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FieldMappingAcceptsEnglishAndIndonesianNames()
    {
        var m = FieldMapping.Parse(["kode=KDEPUM", "name=NAMOBJ", "penduduk=total"]);

        Assert.Equal("KDEPUM", m.ColumnFor(Fields.Code));
        Assert.Equal("NAMOBJ", m.ColumnFor(Fields.Name));
        Assert.Equal("total", m.ColumnFor(Fields.Population));
        Assert.Throws<FormatException>(() => FieldMapping.Parse(["bogus=x"]));
        Assert.Throws<FormatException>(() => FieldMapping.Parse(["code"]));
    }
}

public sealed class ShapefileCompanionFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void MissingShxIsNotNeededBecauseRecordsAreReadInOrder()
    {
        var shp = Fixtures.WriteShapefile(_dir.Path, "kec", [(Fixtures.Box(100.2, -0.8, 0.05), Fixtures.Unit("13.05.02", "A"))], Fixtures.Wgs84Prj);
        File.Delete(Path.ChangeExtension(shp, ".shx"));

        Assert.Single(ShapefileFileReader.Read(shp).Features);
    }

    [Theory]
    [InlineData(".dbf")]
    [InlineData(".prj")]
    public void MissingCompanionFileIsAnErrorNamingIt(string extension)
    {
        var shp = Fixtures.WriteShapefile(_dir.Path, "kec", [(Fixtures.Box(100.2, -0.8, 0.05), Fixtures.Unit("13.05.02", "A"))], Fixtures.Wgs84Prj);
        File.Delete(Path.ChangeExtension(shp, extension));

        var e = Assert.Throws<DatasetReadException>(() => ShapefileFileReader.Read(shp));

        Assert.Contains("kec.shp", e.Message, StringComparison.Ordinal);
        Assert.Contains("kec" + extension, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf8NamesSurviveThroughTheCpgFile()
    {
        var shp = Fixtures.WriteShapefile(_dir.Path, "kec", [(Fixtures.Box(100.2, -0.8, 0.05), Fixtures.Unit("13.05.02", "Nagari Koto Tinggi – ‘Ampek Koto’"))], Fixtures.Wgs84Prj);

        var ds = ShapefileFileReader.Read(shp);

        Assert.Equal("Nagari Koto Tinggi – ‘Ampek Koto’", ds.Features[0].Properties["nama"]);
    }
}
