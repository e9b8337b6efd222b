using GeoReadiness.Spatial.Export;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Cli.Commands;

/// <summary><c>georeadiness export --format gpkg|geojson|csv --out FILE</c>.</summary>
public sealed class ExportCommand : ICliCommand
{
    public string Name => "export";
    public string Summary => "export the store as GeoPackage, GeoJSON or CSV";
    public string Usage => """
        usage: georeadiness export --format gpkg|geojson|csv --out FILE
                                  [--layer units|fibre|towers|facilities|population]
                                  [--level province|regency|district|village]
                                  [--data-dir DIR | --postgis CONNSTRING]

          gpkg      one table per layer: provinces, regencies, districts, villages, fibre_routes, towers,
                    facilities, population_cells (all layers with data unless --layer/--level is given)
          geojson   one RFC 7946 FeatureCollection (default layer: units)
          csv       one row per feature with a wkt column and lon/lat of a point on the surface
        Exit codes: 0 written, 1 store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("format", "out", "layer", "level", "data-dir", "postgis");
        if (args.Positionals.Count > 0) throw new CliUsageException($"unexpected argument(s): {string.Join(' ', args.Positionals)}");
        var format = args.RequireOption("format").ToLowerInvariant() switch
        {
            "gpkg" or "geopackage" => ExportFormat.GeoPackage,
            "geojson" or "json" => ExportFormat.GeoJson,
            "csv" => ExportFormat.Csv,
            var f => throw new CliUsageException($"unknown --format '{f}' (expected gpkg, geojson or csv)"),
        };
        var output = args.RequireOption("out");
        ExportLayer? layer = args.Option("layer")?.ToLowerInvariant() switch
        {
            null => null,
            "units" => ExportLayer.Units,
            "fibre" or "fiber" => ExportLayer.Fibre,
            "towers" => ExportLayer.Towers,
            "facilities" => ExportLayer.Facilities,
            "population" => ExportLayer.Population,
            var l => throw new CliUsageException($"unknown --layer '{l}' (expected units, fibre, towers, facilities or population)"),
        };
        var level = IndicatorCli.ParseLevel(args.Option("level"));
        if (level is not null && layer is not (null or ExportLayer.Units)) throw new CliUsageException("--level applies to --layer units only");

        await using var store = await ImportCli.OpenStoreAsync(args, cancellationToken) ?? await ImportCli.OpenDefaultStoreAsync(cancellationToken);
        ExportResult result;
        try
        {
            result = await DatasetExporter.ExportAsync(new ExportRequest(format, Path.GetFullPath(output), layer, level), store.Store, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"cannot write {output}: {e.Message}");
        }
        context.Out.WriteLine($"wrote {result.Path} ({format}): {result.Features} feature(s)");
        foreach (var t in result.Tables) context.Out.WriteLine($"  {t.Name,-18} {t.Features,8}");
        return 0;
    }
}
