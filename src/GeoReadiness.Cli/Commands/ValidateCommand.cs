using GeoReadiness.Spatial.Import;

namespace GeoReadiness.Cli.Commands;

/// <summary><c>georeadiness validate FILE --layer L</c>: the import report without writing anything.</summary>
public sealed class ValidateCommand : ICliCommand
{
    public string Name => "validate";
    public string Summary => "check a file as import would, write nothing (exit 1 on errors)";
    public string Usage => """
        usage: georeadiness validate FILE --layer units|fibre|towers|facilities|population|attributes
                                    [--map FIELD=COLUMN ...] [--table NAME ...] [--strict]
                                    [--data-dir DIR | --postgis CONNSTRING]

          Reads and checks FILE exactly as import does and prints the report. Without --data-dir or --postgis
          the file is checked on its own: parents and attribute-table codes outside the file are listed, not
          looked up. Exit codes: 0 valid, 1 errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "strict" };

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("layer", "map", "table", "strict", "data-dir", "postgis");
        var request = ImportCli.Request(args, dryRun: true);
        await using var store = await ImportCli.OpenStoreAsync(args, cancellationToken);
        var report = await new DatasetImporter().ValidateAsync(request, store?.Store, cancellationToken);
        context.Out.Write(report.ToText());
        return report.HasErrors ? 1 : 0;
    }
}
