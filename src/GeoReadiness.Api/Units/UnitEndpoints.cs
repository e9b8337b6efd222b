using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using GeoReadiness.Api.Health;
using GeoReadiness.Api.Infrastructure;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Api.Units;

/// <summary>An administrative unit as the API shows it.</summary>
/// <param name="Level">province, regency, district or village</param>
/// <param name="Kind">provinsi, kabupaten, kota, kecamatan, desa, kelurahan, nagari or other</param>
/// <param name="Bbox">[minLon, minLat, maxLon, maxLat] in EPSG:4326</param>
/// <param name="Geometry">the boundary as a GeoJSON MultiPolygon (lon/lat); omitted in lists unless geometry=true</param>
public sealed record UnitResponse(
    string Code,
    string Name,
    string Level,
    UnitKind Kind,
    string? ParentCode,
    long? Population,
    long? Households,
    IReadOnlyDictionary<string, JsonElement> Attributes,
    double[] Bbox,
    Geometry? Geometry);

/// <param name="Next">URL of the next page, absent on the last page</param>
public sealed record UnitPage(IReadOnlyList<UnitResponse> Items, int Offset, int Limit, int NumberReturned, string? Next);

public static class UnitEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapUnits(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/units").WithTags("Units");
        group.MapGet("/{code}", GetUnit)
            .WithName("GetUnit")
            .WithSummary("One administrative unit by its Kemendagri code")
            .WithDescription("Returns the unit with its boundary. 400 when the code is not a Kemendagri code, 404 when no unit has it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/", ListUnits)
            .WithName("ListUnits")
            .WithSummary("Administrative units by level and ancestor")
            .WithDescription("Lists units ordered by code. `parent` matches any ancestor, so `level=village&parent=13.05` lists every "
                + "nagari of Kabupaten Padang Pariaman. Paged with `limit` (at most 1000) and `offset`; `next` links to the following page.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<UnitResponse>, ProblemHttpResult, ValidationProblem>> GetUnit(
        [Description("Kemendagri code with dots, e.g. 13.05 or 13.05.02.2001")] string code,
        ISpatialStore store,
        CancellationToken ct)
    {
        if (!KemendagriCode.IsValid(code))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["code"] = [$"'{code}' is not a Kemendagri code: expected 2-digit segments with dots, e.g. 13, 13.05, 13.05.02 or 13.05.02.2001"],
            });
        var unit = await store.FindUnitAsync(code, ct);
        return unit is null
            ? UnitNotFound(code)
            : TypedResults.Ok(ToResponse(unit, includeGeometry: true));
    }

    public static async Task<Results<Ok<UnitPage>, ProblemHttpResult, ValidationProblem>> ListUnits(
        HttpRequest request,
        ISpatialStore store,
        [Description("province, regency, district or village")] string? level,
        [Description("Kemendagri code of an ancestor at any depth, e.g. 13.05")] string? parent,
        [Description("minLon,minLat,maxLon,maxLat (EPSG:4326): only units whose boundary intersects the box")] string? bbox,
        [Description("page size, 1 to 1000 (default 100)")] int? limit,
        [Description("number of units to skip (default 0)")] int? offset,
        [Description("include each unit's boundary (default false)")] bool? geometry,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        AdminLevel? levelFilter = null;
        if (level is not null)
        {
            if (UnitLevels.TryParse(level, out var l)) levelFilter = l;
            else errors["level"] = [$"'{level}' is not a level: use province, regency, district or village"];
        }
        if (parent is not null && !KemendagriCode.IsValid(parent))
            errors["parent"] = [$"'{parent}' is not a Kemendagri code, e.g. 13.05"];
        Envelope? box = null;
        if (bbox is not null && !TryParseBbox(bbox, out box, out var bboxError)) errors["bbox"] = [bboxError];
        var paging = ApiPaging.Parse(limit, offset, DefaultLimit, MaxLimit, errors);
        var (skip, take) = (paging.Offset, paging.Limit);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        if (parent is not null && await store.FindUnitAsync(parent, ct) is null)
            return UnitNotFound(parent);

        // One row more than asked tells whether a next page exists without counting the whole table.
        var rows = await store.QueryUnitsAsync(new UnitQuery(levelFilter, parent, box, skip, take + 1), ct);
        var items = rows.Take(take).Select(u => ToResponse(u, geometry ?? false)).ToArray();
        var next = ApiPaging.NextLink(request, paging, hasMore: rows.Count > take);
        return TypedResults.Ok(new UnitPage(items, skip, take, items.Length, next));
    }

    internal static UnitResponse ToResponse(AdminUnit u, bool includeGeometry)
    {
        var e = u.Geometry.EnvelopeInternal;
        return new UnitResponse(u.Code, u.Name, UnitLevels.Name(u.Level), u.Kind, u.ParentCode, u.Population, u.Households,
            u.Attributes, [e.MinX, e.MinY, e.MaxX, e.MaxY], includeGeometry ? u.Geometry : null);
    }

    internal static ProblemHttpResult UnitNotFound(string code) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unit not found",
            detail: $"No administrative unit has the code '{code}'.");

    internal static bool TryParseBbox(string text, out Envelope? box, out string error)
    {
        box = null;
        var parts = text.Split(',');
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                error = $"'{parts[i]}' (item {i + 1}) is not a number; expected minLon,minLat,maxLon,maxLat";
                return false;
            }
        }
        if (values.Length != 4) { error = $"expected 4 numbers minLon,minLat,maxLon,maxLat, got {values.Length}"; return false; }
        if (values[0] > values[2] || values[1] > values[3]) { error = "minimum greater than maximum; expected minLon,minLat,maxLon,maxLat"; return false; }
        if (values[1] < -90 || values[3] > 90 || values[0] < -180 || values[2] > 180) { error = "outside lon/lat range (EPSG:4326 degrees)"; return false; }
        box = new Envelope(values[0], values[2], values[1], values[3]);
        error = "";
        return true;
    }
}
