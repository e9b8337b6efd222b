using GeoReadiness.Spatial.Datasets;

namespace GeoReadiness.Cli.Commands;

/// <summary><c>georeadiness load DIR</c>: loads a whole dataset folder (its manifest.json) as one all-or-nothing change.</summary>
public sealed class LoadCommand : ICliCommand
{
    public string Name => "load";
    public string Summary => "load a dataset folder (manifest.json, e.g. data/shapefiles) into the store, all or nothing";
    public string Usage => """
        usage: georeadiness load DIR [--data-dir DIR | --postgis CONNSTRING]

          DIR         a folder with a manifest.json listing its files in load order (e.g. data/shapefiles)
          --data-dir  embedded store directory (default $GEOREADINESS_DATA_DIR)
          --postgis   Npgsql connection string of a PostGIS store

        Every file is validated first; the store changes only when all of them import cleanly. Files of
        layer questionnaire go to the store's questionnaire (as with georeadiness questionnaire import).
        Exit codes: 0 loaded (or nothing to change), 1 input errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("data-dir", "postgis");
        if (args.Positionals.Count != 1) throw new CliUsageException("expected one DIR");
        DatasetManifest manifest;
        try
        {
            manifest = DatasetManifest.Load(args.Positionals[0]);
        }
        catch (DatasetManifestException e)
        {
            throw new CliInputException(e.Message);
        }
        await using var store = await ImportCli.OpenStoreAsync(args, cancellationToken) ?? await ImportCli.OpenDefaultStoreAsync(cancellationToken);
        var result = await new DatasetLoader().LoadAsync(manifest, store.Store, cancellationToken);
        foreach (var report in result.Reports)
        {
            var state = report.HasErrors ? $"{report.ErrorCount} error(s)" : $"{report.RecordCount} record(s), {report.WarningCount} warning(s)";
            context.Out.WriteLine($"{Path.GetRelativePath(manifest.Directory, report.File),-40} {report.Layer.ToString().ToLowerInvariant(),-11} {state}");
        }
        foreach (var q in result.Questionnaires)
        {
            var state = q.Succeeded ? $"{q.Rows} row(s)" : $"{q.Problems.Count} error(s)";
            context.Out.WriteLine($"{q.Source,-40} {DatasetManifest.QuestionnaireLayer,-11} {state}");
        }
        if (!result.Succeeded)
        {
            context.Out.WriteLine();
            if (result.Questionnaires.Any(q => !q.Succeeded))
                QuestionnaireCli.WriteProblems(context.Out, result.Questionnaires.Where(q => !q.Succeeded).SelectMany(q => q.Problems.Select(p => p.Format(q.Source))));
            else context.Out.Write(result.Reports[^1].ToText());
            context.Out.WriteLine("nothing was loaded; the store is unchanged");
            return 1;
        }
        var c = result.Changes!;
        context.Out.WriteLine(c.ChangedAnything
            ? $"loaded: data version {c.DataVersion}; units {c.Units.Inserted} inserted, {c.Units.Updated} updated, {c.Units.Unchanged} unchanged; "
              + $"{c.FibreRoutes.Inserted + c.FibreRoutes.Updated} fibre routes, {c.Towers.Inserted + c.Towers.Updated} towers, "
              + $"{c.Facilities.Inserted + c.Facilities.Updated} facilities, {c.PopulationCells.Inserted + c.PopulationCells.Updated} population cells written"
            : $"no change: the store already holds this dataset (data version {c.DataVersion})");
        foreach (var q in result.Questionnaires) context.Out.WriteLine($"questionnaire {q.Source}: {QuestionnaireCli.Describe(q.Summary!)}");
        return 0;
    }
}
