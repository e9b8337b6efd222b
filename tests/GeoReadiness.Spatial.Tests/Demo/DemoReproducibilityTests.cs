using System.Security.Cryptography;
using System.Text.Json;
using GeoReadiness.Spatial.Demo;
using GeoReadiness.Spatial.Tests.Infrastructure;

namespace GeoReadiness.Spatial.Tests.Demo;

[Collection(DemoCollection.Name)]
public sealed class DemoReproducibilityTests(DemoFixture fixture)
{
    [Fact]
    public void GeneratingTwiceIntoTwoDirectoriesGivesIdenticalBytes()
    {
        using var a = new DemoTempDir();
        using var b = new DemoTempDir();
        DemoFiles.Write(DemoGenerator.Generate(new DemoOptions()), a.Path);
        DemoFiles.Write(DemoGenerator.Generate(new DemoOptions()), b.Path);

        var filesA = RelativeFiles(a.Path);
        Assert.Equal(filesA, RelativeFiles(b.Path));
        Assert.Equal(fixture.Files.Select(f => f.Path), filesA);
        foreach (var f in filesA)
            Assert.True(File.ReadAllBytes(Path.Combine(a.Path, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b.Path, f))), $"{f} differs between two runs");
    }

    [Fact]
    public void CommittedDataEqualsAFreshGeneration()
    {
        var committed = Path.Combine(TestEnvironment.RepositoryRoot, "data", "shapefiles");
        Assert.True(Directory.Exists(committed), $"{committed} is missing: run {DemoFiles.RegenerateCommand}");
        Assert.Equal(fixture.Files.Select(f => f.Path), RelativeFiles(committed));
        foreach (var (path, content) in fixture.Files)
        {
            var onDisk = File.ReadAllBytes(Path.Combine(committed, path));
            Assert.True(content.AsSpan().SequenceEqual(onDisk), $"data/shapefiles/{path} is not what the generator writes now: run {DemoFiles.RegenerateCommand}");
        }
    }

    [Fact]
    public void ADifferentSeedGivesDifferentDataWithTheSameShape()
    {
        var other = DemoGenerator.Generate(new DemoOptions { Seed = 7 });
        Assert.NotEqual(fixture.Data.Nagari[0].Geometry, other.Nagari[0].Geometry);
        Assert.Equal(103, other.Nagari.Count);
        Assert.Equal(17, other.Kecamatan.Count);
        Assert.InRange(DemoFigures.Of(other).PlannedFibreKm, 262, 264);
    }

    [Fact]
    public void DbfHeadersCarryTheFixedDateInsteadOfToday()
    {
        foreach (var (path, content) in fixture.Files.Where(f => f.Path.EndsWith(".dbf", StringComparison.Ordinal)))
        {
            Assert.True(content[1] == DemoFiles.DbfDate.Year - 1900 && content[2] == DemoFiles.DbfDate.Month && content[3] == DemoFiles.DbfDate.Day, path);
        }
    }

    [Fact]
    public void EveryShapefileHasItsCompanionsWithWgs84AndUtf8()
    {
        var paths = fixture.Files.ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);
        var shapefiles = paths.Keys.Where(p => p.EndsWith(".shp", StringComparison.Ordinal)).ToList();
        Assert.Equal(9, shapefiles.Count);
        foreach (var shp in shapefiles)
        {
            var stem = shp[..^4];
            foreach (var ext in new[] { ".shx", ".dbf", ".prj", ".cpg" }) Assert.True(paths.ContainsKey(stem + ext), stem + ext);
            Assert.Equal("UTF-8", System.Text.Encoding.UTF8.GetString(paths[stem + ".cpg"]));
            Assert.Contains("WGS_1984", System.Text.Encoding.UTF8.GetString(paths[stem + ".prj"]), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ManifestListsTheFilesInLoadOrderWithTheirLayersAndHashes()
    {
        var paths = fixture.Files.ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);
        using var manifest = JsonDocument.Parse(paths["manifest.json"]);
        var root = manifest.RootElement;
        Assert.Equal(DemoOptions.DefaultSeed, root.GetProperty("seed").GetInt64());
        Assert.Equal(DemoGenerator.Version, root.GetProperty("version").GetString());
        var load = root.GetProperty("files").EnumerateArray().Select(e => (e.GetProperty("path").GetString(), e.GetProperty("layer").GetString())).ToList();
        Assert.Equal(
        [
            ("national/provinsi.shp", "units"), ("national/kabkota.shp", "units"), ("padang_pariaman/kabupaten.shp", "units"),
            ("padang_pariaman/kecamatan.shp", "units"), ("padang_pariaman/nagari.shp", "units"), ("padang_pariaman/fibre.shp", "fibre"),
            ("padang_pariaman/towers.shp", "towers"), ("padang_pariaman/facilities.shp", "facilities"),
            ("padang_pariaman/population_cells.shp", "population"), ("national/questionnaire.csv", "questionnaire"),
        ], load);
        foreach (var f in root.GetProperty("files").EnumerateArray())
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(paths[f.GetProperty("path").GetString()!])), f.GetProperty("sha256").GetString());
        var hashes = root.GetProperty("checksums").EnumerateArray().ToDictionary(e => e.GetProperty("path").GetString()!, e => e.GetProperty("sha256").GetString());
        Assert.Equal(paths.Keys.Where(p => p != "manifest.json").Order(StringComparer.Ordinal), hashes.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, hash) in hashes) Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(paths[path])), hash);
    }

    [Fact]
    public void TheRandomStreamIsPinned()
    {
        // Golden values: if these change, every seed's data changes; bump DemoGenerator.Version and regenerate.
        var r = new DemoRandom(1305);
        Assert.Equal([GoldenA, GoldenB, GoldenC], new[] { r.NextUInt64(), r.NextUInt64(), r.NextUInt64() });
        var d = DemoRandom.Derive(1305, "pp/shape");
        Assert.Equal(GoldenD, d.NextUInt64());
    }

    [Fact]
    public void XoshiroMatchesTheReferenceImplementation()
    {
        // First outputs of Vigna's xoshiro256** from the state {1, 2, 3, 4}.
        var r = DemoRandom.FromState(1, 2, 3, 4);
        Assert.Equal([11520UL, 0UL, 1509978240UL, 1215971899390074240UL], new[] { r.NextUInt64(), r.NextUInt64(), r.NextUInt64(), r.NextUInt64() });
    }

    private const ulong GoldenA = 3978717265661304835, GoldenB = 14562140103131147946, GoldenC = 13725554755644292353, GoldenD = 7678687956436808649;

    private static List<string> RelativeFiles(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
}
