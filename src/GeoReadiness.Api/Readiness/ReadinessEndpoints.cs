using System.ComponentModel;
using GeoReadiness.Api.Health;
using GeoReadiness.Api.Indicators;
using GeoReadiness.Api.Infrastructure;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GeoReadiness.Api.Readiness;

public static class ReadinessEndpoints
{
    /// <summary>The assessment repository (questionnaire answers and saved profiles) of the configured store.</summary>
    public static WebApplicationBuilder AddReadiness(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => AssessmentRepositories.For(sp.GetRequiredService<ISpatialStore>()));
        return builder;
    }

    public static IEndpointRouteBuilder MapReadiness(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/readiness").WithTags("Readiness");
        group.MapGet("/", ListReadiness)
            .WithName("ListReadiness")
            .WithSummary("Readiness scores and ranks of every assessed unit of a level, as JSON or CSV")
            .WithDescription("Scores every unit of `level` (default regency) that answered the questionnaire in `year` (default: the latest year "
                + "with answers) with `profile` (default kominfo-2019; `id` or `id@version`, see /api/profiles): overall score 0–100, index 1–5, "
                + "band, pillar and dimension scores, rank (score descending, ties by code) and rank and percentile within the province. "
                + "Infrastructure indicators come from the spatial indicators where the store measures them, else from the answers. "
                + "`province=14` keeps the units of one province (ranks stay national). `format=csv` (or `Accept: text/csv`) answers a plain "
                + "table with the provenance in X-Readiness-* headers. 400 for a bad parameter, 404 when nobody answered in that year.")
            .Produces(StatusCodes.Status200OK, contentType: ApiParameters.CsvMediaType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{code}", GetReadiness)
            .WithName("GetReadiness")
            .WithSummary("One unit's readiness with the full explanation")
            .WithDescription("The explanation tree of one unit, e.g. `/api/readiness/14.72?year=2019` for Kota Dumai: per indicator the raw "
                + "value, the source used (spatial indicator, questionnaire field or formula) and the alternatives not used with their values "
                + "or why they had none, the score, the declared and effective weight and the contribution (contributions add up to the "
                + "overall score); pillar and dimension scores, band, rank and province percentile, and the provenance. Without `year`, the "
                + "latest year the unit has answers for.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<ReadinessPage>, ContentHttpResult, ProblemHttpResult, ValidationProblem>> ListReadiness(
        HttpRequest request,
        [Description("assessment year, e.g. 2019 (default: the latest year with questionnaire answers)")] int? year,
        [Description("profile id or id@version (default kominfo-2019)")] string? profile,
        [Description("province, regency (default), district or village")] string? level,
        [Description("two-digit province code: only the units of this province (ranks stay those of the whole level)")] string? province,
        [Description("json (default) or csv; Accept: text/csv also selects CSV")] string? format,
        [Description("page size: 1 to 1000 (default 100) for JSON; CSV holds every unit unless limited")] int? limit,
        [Description("number of units to skip (default 0)")] int? offset,
        IAssessmentRepository repository,
        IndicatorService indicators,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var adminLevel = AdminLevel.Regency;
        if (level is not null && !UnitLevels.TryParse(level, out adminLevel))
            ApiParameters.AddError(errors, "level", $"'{level}' is not a level: use province, regency, district or village");
        if (province is not null && !(province.Length == 2 && KemendagriCode.IsValid(province)))
            ApiParameters.AddError(errors, "province", $"'{province}' is not a province code, e.g. 14");
        CheckYear(year, errors);
        var (csv, paging) = ApiParameters.ParseList(request, format, limit, offset, errors);
        var inputs = await LoadAsync(profile, errors, repository, indicators, ct);
        if (inputs is not var (chosen, questionnaire, set)) return TypedResults.ValidationProblem(errors);
        var years = ReadinessTables.Years(questionnaire, set, adminLevel);
        var levelName = UnitLevels.Name(adminLevel);
        if (ReadinessTables.ChooseYear(years, year, $"{levelName} units", out var yearError) is not { } chosenYear)
            return NotFound($"{yearError}. Import answers with POST /api/questionnaires.");

        var table = ReadinessTables.Build(chosen, chosenYear, adminLevel, questionnaire, set);
        var matching = table.Units.Where(u => province is null || u.Assessment.ProvinceCode == province).ToArray();
        var page = matching.Skip(paging.Offset).Take(paging.Limit).ToArray();
        var next = ApiPaging.NextLink(request, paging, hasMore: matching.Length > paging.Offset + paging.Limit);
        AddProvenanceHeaders(request.HttpContext.Response, table.Provenance);
        if (csv)
        {
            if (next is not null) request.HttpContext.Response.Headers.Link = $"<{next}>; rel=\"next\"";
            return TypedResults.Text(ReadinessCsv.Write(chosen, levelName, chosenYear, page), ApiParameters.CsvMediaType + "; charset=utf-8");
        }
        return TypedResults.Ok(new ReadinessPage(ReadinessProvenanceResponse.From(table.Provenance), levelName,
            page.Select(ReadinessRow.From).ToArray(), paging.Offset, paging.Limit, page.Length, matching.Length, next));
    }

    public static async Task<Results<Ok<ReadinessExplanation>, ProblemHttpResult, ValidationProblem>> GetReadiness(
        [Description("Kemendagri code, e.g. 14.72 (Kota Dumai)")] string code,
        [Description("assessment year (default: the latest year the unit has answers for)")] int? year,
        [Description("profile id or id@version (default kominfo-2019)")] string? profile,
        HttpResponse response,
        IAssessmentRepository repository,
        IndicatorService indicators,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!KemendagriCode.IsValid(code)) ApiParameters.AddError(errors, "code", $"'{code}' is not a Kemendagri code, e.g. 14.72");
        CheckYear(year, errors);
        var inputs = await LoadAsync(profile, errors, repository, indicators, ct);
        if (inputs is not var (chosen, questionnaire, set)) return TypedResults.ValidationProblem(errors);
        var unit = set.Units.FirstOrDefault(u => u.Code == code);
        if (unit is null) return Units.UnitEndpoints.UnitNotFound(code);
        var years = ReadinessTables.Years(questionnaire, set, code: code);
        if (ReadinessTables.ChooseYear(years, year, $"{unit.Name} ({code})", out var yearError) is not { } chosenYear)
            return NotFound($"{yearError}, so it has no readiness score there. Import its row with POST /api/questionnaires.");

        var table = ReadinessTables.Build(chosen, chosenYear, unit.Level, questionnaire, set);
        var ranked = table.Units.First(u => u.Assessment.Code == code);
        AddProvenanceHeaders(response, table.Provenance);
        return TypedResults.Ok(new ReadinessExplanation(ReadinessProvenanceResponse.From(table.Provenance), ranked.Rank, table.Units.Count,
            ranked.ProvinceRank, ranked.ProvinceCount, ranked.ProvincePercentile, years, ranked.Assessment));
    }

    /// <summary>
    /// The profile a request names, the stored answers and the current indicator set; null when the profile is unknown
    /// or an earlier parameter was bad (the problems are in <paramref name="errors"/>).
    /// </summary>
    private static async Task<(AssessmentProfile Profile, QuestionnaireSnapshot Questionnaire, IndicatorSet Indicators)?> LoadAsync(
        string? profile, Dictionary<string, string[]> errors, IAssessmentRepository repository, IndicatorService indicators, CancellationToken ct)
    {
        var chosen = ProfileCatalog.From(await repository.GetProfilesAsync(ct)).Resolve(profile, out var profileError);
        if (profileError is not null) ApiParameters.AddError(errors, "profile", profileError);
        if (errors.Count > 0 || chosen is null) return null;
        return (chosen, await repository.GetQuestionnaireAsync(ct), await indicators.GetCurrentAsync(IndicatorOptions.Default, ct));
    }

    private static void CheckYear(int? year, Dictionary<string, string[]> errors)
    {
        if (year is { } y && (y < QuestionnaireSchema.FirstYear || y > QuestionnaireSchema.LastYear))
            ApiParameters.AddError(errors, "year", $"year must be between {QuestionnaireSchema.FirstYear} and {QuestionnaireSchema.LastYear}, got {y}");
    }

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "No readiness data");

    /// <summary>The provenance as headers too, for CSV clients.</summary>
    private static void AddProvenanceHeaders(HttpResponse response, ReadinessProvenance p)
    {
        response.Headers["X-Readiness-Profile"] = $"{p.ProfileId}@{p.ProfileVersion}";
        response.Headers["X-Readiness-Profile-Sha256"] = p.ProfileSha256;
        response.Headers["X-Readiness-Year"] = p.Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["X-Questionnaire-Version"] = p.QuestionnaireVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["X-Indicator-Set"] = p.IndicatorSetId.ToString();
        response.Headers["X-Data-Version"] = p.DataVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
