using System.ComponentModel;
using GeoReadiness.Api.Infrastructure;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GeoReadiness.Api.Readiness;

/// <summary>What a questionnaire upload did.</summary>
/// <param name="Rows">rows read from the file</param>
/// <param name="Version">the questionnaire version after the import (unchanged on a dry run)</param>
public sealed record QuestionnaireImportResponse(string Source, int Rows, bool DryRun, int Inserted, int Replaced, int Unchanged, long? Version);

/// <summary>A questionnaire field as clients building a CSV need it.</summary>
/// <param name="AtMost">another field this one may not exceed</param>
public sealed record QuestionnaireFieldResponse(string Name, QuestionnaireFieldType Type, string Label, string LabelId, bool Required, double? Min, double? Max, string? AtMost);

public sealed record QuestionnaireYear(int Year, int Units);

/// <summary>The stored questionnaire: its version and last changing import, the years answered, and the schema.</summary>
public sealed record QuestionnaireSummary(
    long Version,
    DateTimeOffset? ImportedAt,
    string? Source,
    string SchemaVersion,
    IReadOnlyList<QuestionnaireYear> Years,
    IReadOnlyList<QuestionnaireFieldResponse> Fields);

public static class QuestionnaireEndpoints
{
    /// <summary>A national questionnaire (514 rows × 40 fields) is about 100 KB; 20 MB leaves room for many years.</summary>
    public const int MaxUploadBytes = 20 << 20;

    public static IEndpointRouteBuilder MapQuestionnaires(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/questionnaires").WithTags("Questionnaires");
        group.MapGet("/", GetQuestionnaire)
            .WithName("GetQuestionnaire")
            .WithSummary("The stored questionnaire: version, years answered, and the fields a CSV may have")
            .WithDescription("The questionnaire version (raised by every import that changes a row), the last changing import, the number of "
                + "units answered per year, and every field with its type, bounds and the field it may not exceed.");
        group.MapGet("/{year:int}", GetQuestionnaireYear)
            .WithName("GetQuestionnaireYear")
            .WithSummary("The stored answers of one year, as CSV (the import format) or JSON")
            .WithDescription("Every unit's answers for the year, e.g. `/api/questionnaires/2019`: CSV with the columns kode, nama, tahun and every "
                + "field (the same format POST /api/questionnaires reads, so a download edited and uploaded again round-trips), or JSON with "
                + "`format=json`. 404 when nobody answered that year.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", ImportQuestionnaire)
            .WithName("ImportQuestionnaire")
            .WithSummary("Upload questionnaire answers as CSV (API key)")
            .WithDescription("One row per kabupaten/kota per assessment year: columns `kode`, `tahun`, optional `nama`, then questionnaire fields "
                + "(see docs/assessment-profile.md). Send the file as the body (`Content-Type: text/csv`) or as the `file` part of a "
                + "multipart form. Rows are upserted by (kode, tahun). Every problem — unknown column, a share above 100 %, ict_staff above "
                + "employees, a missing required value, an unknown unit — is a 400 `errors` entry keyed by `line N` and naming the unit "
                + "and field; with any problem nothing is imported. `dryRun=true` checks without writing.")
            .Accepts<string>("text/csv", "multipart/form-data")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireApiKey()
            .DisableAntiforgery();
        return app;
    }

    public static async Task<Ok<QuestionnaireSummary>> GetQuestionnaire(IAssessmentRepository repository, CancellationToken ct)
    {
        var q = await repository.GetQuestionnaireAsync(ct);
        return TypedResults.Ok(new QuestionnaireSummary(q.Version, q.ImportedAt, q.Source, QuestionnaireSchema.Version,
            q.Rows.GroupBy(r => r.Year).OrderByDescending(g => g.Key).Select(g => new QuestionnaireYear(g.Key, g.Count())).ToArray(),
            QuestionnaireSchema.Fields.Select(f => new QuestionnaireFieldResponse(f.Name, f.Type, f.Label, f.LabelId, f.Required, f.Min, f.Max, f.AtMost)).ToArray()));
    }

    /// <summary>One unit's answers in JSON: field name → value (booleans 1/0, a year field without the thing 0).</summary>
    public sealed record QuestionnaireRowResponse(string Code, string? Name, int Year, IReadOnlyDictionary<string, double> Values);

    public static async Task<Results<ContentHttpResult, Ok<QuestionnaireRowResponse[]>, ProblemHttpResult, ValidationProblem>> GetQuestionnaireYear(
        [Description("assessment year, e.g. 2019")] int year,
        [Description("csv (default) or json")] string? format,
        HttpResponse response,
        ISpatialStore store,
        IAssessmentRepository repository,
        CancellationToken ct)
    {
        var json = format?.ToLowerInvariant() switch
        {
            null or "csv" => false,
            "json" => true,
            _ => (bool?)null,
        };
        if (json is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = [$"'{format}' is not a format: use csv or json"] });
        var q = await repository.GetQuestionnaireAsync(ct);
        var rows = q.Rows.Where(r => r.Year == year).ToArray();
        if (rows.Length == 0)
        {
            var years = q.Rows.Select(r => r.Year).Distinct().OrderDescending();
            return TypedResults.Problem($"No questionnaire answers for {year}; years with answers: {string.Join(", ", years)}.",
                statusCode: StatusCodes.Status404NotFound, title: "No questionnaire answers");
        }
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var level in rows.Select(r => KemendagriCode.LevelOf(r.Code)).Distinct())
        {
            foreach (var u in await store.QueryUnitsAsync(new UnitQuery(Level: level), ct)) names[u.Code] = u.Name;
        }
        response.Headers["X-Questionnaire-Version"] = q.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return json.Value
            ? TypedResults.Ok(rows.Select(r => new QuestionnaireRowResponse(r.Code, names.GetValueOrDefault(r.Code), r.Year, r.Values)).ToArray())
            : TypedResults.Text(QuestionnaireCsv.Write(rows, names.GetValueOrDefault), "text/csv; charset=utf-8");
    }

    public static async Task<Results<Ok<QuestionnaireImportResponse>, ProblemHttpResult, ValidationProblem>> ImportQuestionnaire(
        HttpRequest request,
        [Description("check the file and report, write nothing")] bool? dryRun,
        ISpatialStore store,
        IAssessmentRepository repository,
        CancellationToken ct)
    {
        string? text;
        var source = "upload";
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault();
            if (file is null)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["the form has no file: send the CSV as the 'file' part"] });
            if (file.Length > MaxUploadBytes) return TooLarge();
            source = Path.GetFileName(file.FileName) is { Length: > 0 } name ? name : source;
            using var reader = new StreamReader(file.OpenReadStream());
            text = await reader.ReadToEndAsync(ct);
        }
        else
        {
            text = await ApiParameters.ReadBodyAsync(request, MaxUploadBytes, ct);
            if (text is null) return TooLarge();
        }
        if (string.IsNullOrWhiteSpace(text))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["the file is empty: expected a CSV with a header row kode,tahun,…"] });

        var report = await QuestionnaireImporter.ImportAsync(text, source, store, repository, dryRun ?? false, ct);
        if (!report.Succeeded)
        {
            var errors = report.Problems
                .GroupBy(p => p.Line is { } l ? $"line {l}" : "file")
                .ToDictionary(g => g.Key, g => g.Select(p => p.Format(source)).ToArray());
            return TypedResults.ValidationProblem(errors, detail: $"{report.Problems.Count} problem(s) in {source}; nothing was imported.");
        }
        var s = report.Summary;
        return TypedResults.Ok(new QuestionnaireImportResponse(source, report.Rows, report.DryRun, s?.Inserted ?? 0, s?.Replaced ?? 0, s?.Unchanged ?? 0, s?.Version));
    }

    private static ProblemHttpResult TooLarge() =>
        ApiParameters.TooLarge("The upload", MaxUploadBytes);
}
