using System.ComponentModel;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GeoReadiness.Api.Health;

/// <param name="Store">embedded or postGis</param>
/// <param name="DataVersion">increases with every change to the data</param>
/// <param name="Units">unit counts per level: province, regency, district, village</param>
public sealed record HealthResponse(
    string Status,
    StoreKind Store,
    long DataVersion,
    DateTimeOffset? UpdatedAt,
    IReadOnlyDictionary<string, int> Units,
    LayerCounts Layers);

public sealed record LayerCounts(int FibreRoutes, int Towers, int Facilities, int PopulationCells);

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetHealth)
            .WithName("GetHealth")
            .WithTags("Health")
            .WithSummary("Store kind, data version and feature counts")
            .WithDescription("Answers 200 when the store is reachable, 503 with a problem document when it is not. Unit counts are given per level of the hierarchy.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    [Description("Store kind, data version and feature counts.")]
    public static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> GetHealth(ISpatialStore store, ILogger<HealthResponse> logger, CancellationToken ct)
    {
        StoreSummary s;
        try
        {
            s = await store.GetSummaryAsync(ct);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or TimeoutException)
        {
            // A load balancer reads 503 as "take this instance out"; the detail says why without a stack trace.
            logger.LogError(e, "Health check: the {Kind} store is unavailable", store.Kind);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Store unavailable",
                detail: $"The {store.Kind} store did not answer: {e.Message}");
        }
        return TypedResults.Ok(new HealthResponse("ok", s.Kind, s.DataVersion, s.UpdatedAt,
            s.UnitsPerLevel.ToDictionary(kv => UnitLevels.Name(kv.Key), kv => kv.Value),
            new LayerCounts(s.FibreRoutes, s.Towers, s.Facilities, s.PopulationCells)));
    }
}

/// <summary>The level names used in the API: province, regency, district, village.</summary>
public static class UnitLevels
{
    public static string Name(AdminLevel level) => level switch
    {
        AdminLevel.Province => "province",
        AdminLevel.Regency => "regency",
        AdminLevel.District => "district",
        AdminLevel.Village => "village",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public static bool TryParse(string? text, out AdminLevel level)
    {
        foreach (var l in Enum.GetValues<AdminLevel>())
        {
            if (string.Equals(Name(l), text, StringComparison.OrdinalIgnoreCase)) { level = l; return true; }
        }
        level = default;
        return false;
    }
}
