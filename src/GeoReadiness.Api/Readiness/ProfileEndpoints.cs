using System.ComponentModel;
using GeoReadiness.Api.Infrastructure;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GeoReadiness.Api.Readiness;

/// <summary>A profile as listed.</summary>
/// <param name="Origin">builtIn (shipped) or stored (saved through POST /api/profiles)</param>
/// <param name="IsDefault">the profile used when a request names none</param>
public sealed record ProfileSummary(
    string Id,
    string Version,
    LocalizedText Title,
    LocalizedText Description,
    ProfileOrigin Origin,
    bool IsDefault,
    string Sha256,
    DateTimeOffset? SavedAt,
    MissingPolicy Missing,
    IReadOnlyList<string> Pillars,
    IReadOnlyList<string> Dimensions,
    int Indicators)
{
    internal static ProfileSummary From(CatalogProfile c)
    {
        var p = c.Profile;
        return new ProfileSummary(p.Id, p.Version, p.Title, p.Description, c.Origin,
            c.Origin == ProfileOrigin.BuiltIn && p.Id == AssessmentProfiles.DefaultId, p.Sha256, c.SavedAt, p.Missing,
            p.Pillars.Select(x => x.Id).ToArray(), p.Dimensions.Select(x => x.Id).ToArray(), p.Indicators.Count);
    }
}

/// <summary>A stored document that no longer validates (it is never used), with its problems.</summary>
public sealed record InvalidProfile(string Id, string Version, IReadOnlyList<string> Problems);

public sealed record ProfileList(IReadOnlyList<ProfileSummary> Items, IReadOnlyList<InvalidProfile> Invalid);

public static class ProfileEndpoints
{
    /// <summary>Profiles are small documents; anything bigger is a mistake, not a profile.</summary>
    public const int MaxDocumentBytes = 1 << 20;

    public static IEndpointRouteBuilder MapProfiles(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/profiles").WithTags("Profiles");
        group.MapGet("/", ListProfiles)
            .WithName("ListProfiles")
            .WithSummary("The assessment profiles: built-in and saved")
            .WithDescription("Every profile a readiness request can name (`profile=id` takes the highest version, `id@version` a given one), with "
                + "its pillars, dimensions and indicator count. The format is documented in docs/assessment-profile.md.");
        group.MapGet("/{id}", GetProfile)
            .WithName("GetProfile")
            .WithSummary("One profile's document")
            .WithDescription("The JSON document of a profile exactly as shipped or saved (the highest version unless `version` is given); "
                + "save an edited copy under a new id or version with POST /api/profiles.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", SaveProfile)
            .WithName("SaveProfile")
            .WithSummary("Save a new assessment profile (API key)")
            .WithDescription("The body is a profile document (application/json). It is validated as a whole: weights that do not sum as "
                + "declared, unknown indicator, field or spatial ids, cycles between formulas, bands out of order … each is a 400 "
                + "`errors` entry keyed by the path of the offending entry (e.g. `indicators[ict_staff_pct].weight`). An id and version "
                + "that exist with other content (or belong to a built-in profile) are a 409: profiles are never overwritten, give the "
                + "new document a new version. Saving the same document again is a 200; a new one a 201.")
            .Accepts<object>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireApiKey();
        return app;
    }

    public static async Task<Ok<ProfileList>> ListProfiles(IAssessmentRepository repository, CancellationToken ct)
    {
        var catalog = ProfileCatalog.From(await repository.GetProfilesAsync(ct));
        return TypedResults.Ok(new ProfileList(
            catalog.Profiles.Select(ProfileSummary.From).ToArray(),
            catalog.Invalid.Select(i => new InvalidProfile(i.Stored.Id, i.Stored.Version, i.Problems.Select(p => p.ToString()).ToArray())).ToArray()));
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetProfile(
        [Description("profile id, e.g. kominfo-2019")] string id,
        [Description("a version of the profile (default: the highest)")] string? version,
        IAssessmentRepository repository,
        CancellationToken ct)
    {
        var catalog = ProfileCatalog.From(await repository.GetProfilesAsync(ct));
        var profile = catalog.Resolve(version is null ? id : $"{id}@{version}", out var error);
        return profile is null
            ? TypedResults.Problem(error, statusCode: StatusCodes.Status404NotFound, title: "No such profile")
            : TypedResults.Text(profile.Json, "application/json; charset=utf-8");
    }

    public static async Task<Results<Created<ProfileSummary>, Ok<ProfileSummary>, ProblemHttpResult, ValidationProblem>> SaveProfile(
        HttpRequest request,
        IAssessmentRepository repository,
        CancellationToken ct)
    {
        var json = await ApiParameters.ReadBodyAsync(request, MaxDocumentBytes, ct);
        if (json is null)
            return ApiParameters.TooLarge("The profile document", MaxDocumentBytes);
        if (string.IsNullOrWhiteSpace(json))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["the body is empty: send the profile document as JSON"] });
        var parsed = AssessmentProfiles.TryParse(json);
        if (parsed.Profile is not { } profile)
        {
            var errors = ApiParameters.ErrorsByPath(parsed.Problems, wholeDocument: "body");
            return TypedResults.ValidationProblem(errors, detail: $"The profile does not validate: {parsed.Problems.Count} problem(s).");
        }

        var catalog = ProfileCatalog.From(await repository.GetProfilesAsync(ct));
        if (catalog.Find(profile.Id, profile.Version) is { Origin: ProfileOrigin.BuiltIn })
            return Conflict($"{profile.Id}@{profile.Version} is a built-in profile; save your variant under another id or version.");
        var outcome = await repository.SaveProfileAsync(StoredProfile.Create(profile.Id, profile.Version, json, DateTimeOffset.UtcNow), ct);
        var summary = ProfileSummary.From(new CatalogProfile(profile, ProfileOrigin.Stored, outcome.Stored.SavedAt));
        return outcome.Status switch
        {
            DocumentSaveStatus.Saved => TypedResults.Created($"/api/profiles/{profile.Id}?version={Uri.EscapeDataString(profile.Version)}", summary),
            DocumentSaveStatus.Unchanged => TypedResults.Ok(summary),
            _ => Conflict($"{profile.Id}@{profile.Version} exists with other content (saved {outcome.Stored.SavedAt:u}); profiles are never overwritten — give the new document a new version."),
        };
    }

    private static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Profile exists");
}
