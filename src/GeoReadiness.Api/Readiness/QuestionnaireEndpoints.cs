using System.ComponentModel;
using GeoReadiness.Api.Infrastructure;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GeoReadiness.Api.Readiness;

/// <summary>What a questionnaire upload did.</summary>
/// <param name="Rows">rows read from the file</param>
/// <param name="Version">the questionnaire version after the import (unchanged on a dry run)</param>
public sealed record QuestionnaireImportResponse(string Source, int Rows, bool DryRun, int Inserted, int Replaced, int Unchanged, long? Version);

public static class QuestionnaireEndpoints
{
    /// <summary>A national questionnaire (514 rows × 40 fields) is about 100 KB; 20 MB leaves room for many years.</summary>
    public const int MaxUploadBytes = 20 << 20;

    public static IEndpointRouteBuilder MapQuestionnaires(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/questionnaires").WithTags("Questionnaires")
            .MapPost("/", ImportQuestionnaire)
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
            text = await ProfileEndpoints.ReadBodyAsync(request, MaxUploadBytes, ct);
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
        TypedResults.Problem($"The upload is larger than {MaxUploadBytes >> 20} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
}
