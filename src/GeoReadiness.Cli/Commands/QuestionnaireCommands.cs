using System.Globalization;
using System.Text;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Cli.Commands;

/// <summary><c>georeadiness questionnaire import FILE</c>: checks a questionnaire CSV and stores it, all or nothing.</summary>
public sealed class QuestionnaireImportCommand : ICliCommand
{
    public string Name => "questionnaire import";
    public string Summary => "check a questionnaire CSV and store its answers (upsert by kode and tahun)";
    public string Usage => """
        usage: georeadiness questionnaire import FILE [--dry-run] [--data-dir DIR | --postgis CONNSTRING]

          FILE        CSV with kode, tahun, optionally nama, and questionnaire fields (any order), one row per
                      unit per assessment year
          --dry-run   check everything, write nothing (= georeadiness questionnaire validate)
          --data-dir  embedded store directory (default $GEOREADINESS_DATA_DIR)
          --postgis   Npgsql connection string of a PostGIS store

        Every value is checked against the questionnaire schema and every kode must be a unit of the store;
        with any problem nothing is written and each is printed as FILE:LINE: kode K, field F: message.
        Rows replace the stored row of the same kode and tahun; the questionnaire version rises when anything changed.
        Exit codes: 0 imported (or valid), 1 problems, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "dry-run" };

    public Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("data-dir", "postgis", "dry-run");
        return QuestionnaireCli.ImportAsync(args, context, args.Flag("dry-run"), cancellationToken);
    }
}

/// <summary><c>georeadiness questionnaire validate FILE</c>: the import's checks, writing nothing.</summary>
public sealed class QuestionnaireValidateCommand : ICliCommand
{
    public string Name => "questionnaire validate";
    public string Summary => "check a questionnaire CSV against the schema and the store's units, writing nothing";
    public string Usage => """
        usage: georeadiness questionnaire validate FILE [--data-dir DIR | --postgis CONNSTRING]

          The checks of georeadiness questionnaire import --dry-run: every problem as FILE:LINE: kode K, field F: message.
        Exit codes: 0 valid, 1 problems, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("data-dir", "postgis");
        return QuestionnaireCli.ImportAsync(args, context, dryRun: true, cancellationToken);
    }
}

/// <summary><c>georeadiness questionnaire show CODE</c>: the stored answers of one unit.</summary>
public sealed class QuestionnaireShowCommand : ICliCommand
{
    public string Name => "questionnaire show";
    public string Summary => "print the stored questionnaire answers of one unit";
    public string Usage => """
        usage: georeadiness questionnaire show CODE [--year Y] [--data-dir DIR | --postgis CONNSTRING]

          Prints every answer of the unit (all assessment years, or only --year Y) with the questionnaire
          version and its last import; unanswered fields are shown as "-".
        Exit codes: 0 shown, 1 no answers stored for the unit (and year), 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("data-dir", "postgis", "year");
        if (args.Positionals.Count != 1) throw new CliUsageException("expected one CODE");
        var code = KemendagriCode.Normalise(args.Positionals[0]) ?? throw new CliUsageException($"'{args.Positionals[0]}' is not a Kemendagri code, e.g. 14.72");
        var year = args.IntOption("year");
        await using var store = await ImportCli.OpenStoreAsync(args, cancellationToken) ?? await ImportCli.OpenDefaultStoreAsync(cancellationToken);
        var snapshot = await AssessmentRepositories.For(store.Store).GetQuestionnaireAsync(cancellationToken);
        var rows = snapshot.Rows.Where(r => r.Code == code && (year is null || r.Year == year)).ToList();
        if (rows.Count == 0)
            throw new CliInputException($"no questionnaire answers stored for {code}{(year is { } y ? $" in {y}" : "")} (questionnaire version {snapshot.Version})");
        var unit = await store.Store.FindUnitAsync(code, cancellationToken);
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{code} {unit?.Name}: questionnaire version {snapshot.Version}, last import {snapshot.ImportedAt:yyyy-MM-dd HH:mm:ss} UTC from {snapshot.Source}"));
        foreach (var row in rows)
        {
            context.Out.WriteLine();
            context.Out.WriteLine($"tahun {row.Year.ToString(CultureInfo.InvariantCulture)}");
            foreach (var field in QuestionnaireSchema.Fields)
            {
                var value = row.Values.TryGetValue(field.Name, out var v)
                    ? field.Type == QuestionnaireFieldType.Year && v == 0 ? "none" : QuestionnaireCsv.Cell(field, v)
                    : "-";
                context.Out.WriteLine($"  {field.Name,-20} {value,12}  {field.Label}");
            }
        }
        return 0;
    }
}

internal static class QuestionnaireCli
{
    public static async Task<int> ImportAsync(CliArgs args, CliContext context, bool dryRun, CancellationToken cancellationToken)
    {
        var file = args.Positionals.Count switch
        {
            1 => args.Positionals[0],
            0 => throw new CliUsageException("FILE is required"),
            _ => throw new CliUsageException($"expected one FILE, got {args.Positionals.Count}: {string.Join(' ', args.Positionals)}"),
        };
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file, new UTF8Encoding(false, true), cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliInputException($"{file}: file not found");
        }
        catch (DecoderFallbackException)
        {
            throw new CliInputException($"{file}: is not UTF-8 text; save it as UTF-8");
        }
        await using var store = await ImportCli.OpenStoreAsync(args, cancellationToken) ?? await ImportCli.OpenDefaultStoreAsync(cancellationToken);
        var report = await QuestionnaireImporter.ImportAsync(text, file, store.Store, AssessmentRepositories.For(store.Store), dryRun, cancellationToken);
        if (!report.Succeeded)
        {
            WriteProblems(context.Out, report.Problems.Select(p => p.Format(file)));
            context.Out.WriteLine($"{report.Problems.Count} problem(s): nothing was imported; the stored questionnaire is unchanged");
            return 1;
        }
        context.Out.WriteLine(report.Summary is { } s
            ? $"{file}: {Describe(s)}"
            : $"{file}: {report.Rows} row(s) valid; dry run, nothing was written");
        return 0;
    }

    public static string Describe(QuestionnaireImportSummary s) =>
        s.ChangedAnything
            ? $"{s.Inserted} inserted, {s.Replaced} replaced, {s.Unchanged} unchanged; questionnaire version {s.Version}"
            : $"no change: {s.Unchanged} row(s) already stored (questionnaire version {s.Version})";

    public static void WriteProblems(TextWriter w, IEnumerable<string> problems)
    {
        foreach (var p in problems) w.WriteLine(p);
    }
}
