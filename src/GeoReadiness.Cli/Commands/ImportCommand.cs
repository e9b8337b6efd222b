using GeoReadiness.Spatial.Import;
using GeoReadiness.Spatial.Storage;

namespace GeoReadiness.Cli.Commands;

/// <summary><c>georeadiness import FILE --layer L</c>: validates a file and writes it to the store, all or nothing.</summary>
public sealed class ImportCommand : ICliCommand
{
    public string Name => "import";
    public string Summary => "import a shapefile, GeoJSON, GeoPackage or attribute CSV into the store";
    public string Usage => """
        usage: georeadiness import FILE --layer units|fibre|towers|facilities|population|attributes
                                  [--map FIELD=COLUMN ...] [--table NAME ...] [--strict] [--dry-run]
                                  [--data-dir DIR] [--postgis CONNSTRING]

          FILE        .shp (with .dbf and .prj), .geojson/.json, .gpkg or .csv
          --layer     what the file holds; "attributes" merges a table keyed by kode into existing units
          --map       use COLUMN for FIELD, e.g. --map code=KDEPUM --map name=NAMOBJ --map penduduk=total
          --table     GeoPackage feature table(s) to read (default: the tables named after the layer)
          --strict    reject invalid geometries instead of repairing them
          --dry-run   validate against the store, write nothing
          --data-dir  embedded store directory (default $GEOREADINESS_DATA_DIR)
          --postgis   Npgsql connection string of a PostGIS store

        Any error leaves the store unchanged. Exit codes: 0 imported (or nothing to change), 1 input errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "strict", "dry-run" };

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("layer", "map", "table", "strict", "dry-run", "data-dir", "postgis");
        var request = ImportCli.Request(args, dryRun: args.Flag("dry-run"));
        await using var store = await ImportCli.OpenStoreAsync(args, cancellationToken)
            ?? await ImportCli.OpenDefaultStoreAsync(cancellationToken);
        var report = await new DatasetImporter().ImportAsync(request, store.Store, cancellationToken);
        context.Out.Write(report.ToText());
        return report.HasErrors ? 1 : 0;
    }
}

/// <summary>Argument handling shared by import, validate and export.</summary>
internal static class ImportCli
{
    public static ImportRequest Request(CliArgs args, bool dryRun)
    {
        var file = args.Positionals.Count switch
        {
            1 => args.Positionals[0],
            0 => throw new CliUsageException("FILE is required"),
            _ => throw new CliUsageException($"expected one FILE, got {args.Positionals.Count}: {string.Join(' ', args.Positionals)}"),
        };
        var layerText = args.RequireOption("layer");
        if (!ImportLayers.TryParse(layerText, out var layer))
            throw new CliUsageException($"unknown --layer '{layerText}' (expected {string.Join(", ", ImportLayers.Names)})");
        FieldMapping mapping;
        try
        {
            mapping = FieldMapping.Parse(args.Options("map"));
        }
        catch (FormatException e)
        {
            throw new CliUsageException(e.Message);
        }
        if (!File.Exists(file)) throw new CliInputException($"{file}: file not found");
        var tables = args.Options("table");
        return new ImportRequest(Path.GetFullPath(file), layer)
        {
            Mapping = mapping,
            Strict = args.Flag("strict"),
            DryRun = dryRun,
            Tables = tables.Count > 0 ? tables : null,
        };
    }

    /// <summary>The store named by --postgis or --data-dir, or null when neither is given.</summary>
    public static async Task<OpenedStore?> OpenStoreAsync(CliArgs args, CancellationToken ct)
    {
        var postgis = args.Option("postgis");
        var dataDir = args.Option("data-dir");
        if (postgis is null && dataDir is null) return null;
        if (postgis is not null && dataDir is not null) throw new CliUsageException("give --data-dir or --postgis, not both");
        var options = new SpatialStoreOptions { PostGisConnectionString = postgis };
        if (dataDir is not null) options.DataDirectory = Path.GetFullPath(dataDir);
        return await OpenAsync(options, ct);
    }

    /// <summary>The embedded store in $GEOREADINESS_DATA_DIR (or the default directory).</summary>
    public static async Task<OpenedStore> OpenDefaultStoreAsync(CancellationToken ct) => await OpenAsync(new SpatialStoreOptions(), ct);

    private static async Task<OpenedStore> OpenAsync(SpatialStoreOptions options, CancellationToken ct)
    {
        try
        {
            return new OpenedStore(await SpatialStoreFactory.OpenAsync(options, null, ct));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or UnauthorizedAccessException or ArgumentException
                                   or Npgsql.NpgsqlException or TimeoutException)
        {
            var where = options.PostGisConnectionString is not null ? "the PostGIS store" : $"the store in {options.DataDirectory}";
            throw new CliInputException($"cannot open {where}: {e.Message}");
        }
    }
}

/// <summary>A store opened for one command, disposed (lock released, connections closed) at the end.</summary>
internal sealed class OpenedStore(ISpatialStore store) : IAsyncDisposable
{
    public ISpatialStore Store { get; } = store;

    public async ValueTask DisposeAsync()
    {
        switch (Store)
        {
            case IAsyncDisposable a: await a.DisposeAsync(); break;
            case IDisposable d: d.Dispose(); break;
        }
    }
}
