using System.ComponentModel;
using System.Globalization;
using GeoReadiness.Api.Health;
using GeoReadiness.Api.Infrastructure;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace GeoReadiness.Api.Indicators;

/// <summary>
/// The indicator parameters a request may set; every one left out takes its default (returned in the provenance).
/// Distances are metres on the WGS84 ellipsoid.
/// </summary>
public sealed class IndicatorOptionParameters
{
    [FromQuery(Name = "fibreReachMetres"), Description("A village office or facility is on fibre within this distance of an existing route (default 500)")]
    public string? FibreReachMetres { get; init; }

    [FromQuery(Name = "householdReachMetres"), Description("Households within this distance of existing fibre are in fixed-broadband reach (default 2000)")]
    public string? HouseholdReachMetres { get; init; }

    [FromQuery(Name = "radius2gMetres"), Description("Coverage radius of 2G for towers without their own (default 5000)")]
    public string? Radius2gMetres { get; init; }

    [FromQuery(Name = "radius3gMetres"), Description("Coverage radius of 3G for towers without their own (default 3000)")]
    public string? Radius3gMetres { get; init; }

    [FromQuery(Name = "radius4gMetres"), Description("Coverage radius of 4G for towers without their own (default 2000)")]
    public string? Radius4gMetres { get; init; }

    [FromQuery(Name = "radius5gMetres"), Description("Coverage radius of 5G for towers without their own (default 1000)")]
    public string? Radius5gMetres { get; init; }

    [FromQuery(Name = "bands"), Description("Upper band edges in whole percent, strictly increasing, e.g. 25,50,75 (default) → bands 0–25, 26–50, 51–75, 76–100")]
    public string? Bands { get; init; }

    /// <summary>The options, or the problems keyed by parameter name.</summary>
    internal IndicatorOptions Parse(Dictionary<string, string[]> errors)
    {
        var options = IndicatorOptions.Default;
        var radii = options.DefaultRadiusMetres;
        if (Metres("fibreReachMetres", FibreReachMetres, errors) is { } fibre) options = options with { FibreReachMetres = fibre };
        if (Metres("householdReachMetres", HouseholdReachMetres, errors) is { } household) options = options with { HouseholdReachMetres = household };
        foreach (var (technology, text) in new[] { (RadioTechnology.G2, Radius2gMetres), (RadioTechnology.G3, Radius3gMetres), (RadioTechnology.G4, Radius4gMetres), (RadioTechnology.G5, Radius5gMetres) })
        {
            if (Metres(RadiusParameter(technology), text, errors) is { } r) radii = radii.SetItem(technology, r);
        }
        options = options with { DefaultRadiusMetres = radii };
        if (Bands is not null)
        {
            var parts = Bands.Split(',', StringSplitOptions.TrimEntries);
            var edges = new List<int>();
            foreach (var p in parts)
            {
                if (int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var edge)) edges.Add(edge);
                else ApiParameters.AddError(errors, "bands", $"'{p}' is not a whole percent; expected increasing edges such as 25,50,75");
            }
            if (!errors.ContainsKey("bands")) options = options with { BandEdgesPercent = [.. edges] };
        }
        if (errors.Count > 0) return options;
        foreach (var problem in options.Validate()) ApiParameters.AddError(errors, ParameterOf(problem.Parameter), problem.Message);
        return options;
    }

    internal static string RadiusParameter(RadioTechnology t) => $"radius{IndicatorOptions.TechnologyName(t)}Metres";

    /// <summary>The query parameter behind an option named as in <see cref="IndicatorOptions.Validate"/>.</summary>
    private static string ParameterOf(string option)
    {
        if (option == "bandEdgesPercent") return "bands";
        const string radius = "defaultRadiusMetres.";
        return option.StartsWith(radius, StringComparison.Ordinal) && IndicatorOptions.TryParseTechnology(option[radius.Length..], out var t)
            ? RadiusParameter(t)
            : option;
    }

    private static double? Metres(string name, string? text, Dictionary<string, string[]> errors)
    {
        if (text is null) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
        ApiParameters.AddError(errors, name, $"'{text}' is not a number of metres");
        return null;
    }

}

public static class IndicatorEndpoints
{
    /// <summary>Registers the indicator service of the configured store (engine and result repository chosen by store kind).</summary>
    public static WebApplicationBuilder AddIndicators(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => IndicatorEngines.ServiceFor(sp.GetRequiredService<ISpatialStore>(), sp.GetRequiredService<ILoggerFactory>()));
        return builder;
    }

    public static IEndpointRouteBuilder MapIndicators(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Indicators");
        group.MapGet("/units/{code}/indicators", GetUnitIndicators)
            .WithName("GetUnitIndicators")
            .WithSummary("Readiness indicators of one unit")
            .WithDescription("Coverage per technology, fibre length, villages and facilities on fibre, households in fixed-broadband reach and "
                + "towers of the unit, e.g. `/api/units/13.05/indicators` for Kabupaten Padang Pariaman, with the provenance: set id, data "
                + "version, engine, rules version, computed-at and every option used. Option parameters (`fibreReachMetres=750`, "
                + "`radius4gMetres=2500`, `bands=20,40,60,80`) override the defaults. Computed on first request after a data change "
                + "(incrementally when possible) and stored. 400 for a malformed code or a bad option, 404 when no unit has the code.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/indicators", ListIndicators)
            .WithName("ListIndicators")
            .WithSummary("Readiness indicators of many units, as JSON or CSV")
            .WithDescription("Units ordered by code, filtered by `level` and `parent` (any ancestor): `level=village&parent=13.05` gives the "
                + "103 nagari of Padang Pariaman. `format=csv` (or `Accept: text/csv`) answers one CSV row per unit with a header row and "
                + "invariant-culture numbers; the provenance is then in the headers X-Indicator-Set, X-Data-Version, X-Indicator-Engine, "
                + "X-Indicator-Rules, X-Computed-At and X-Indicator-Options, and the next page in a `Link: <…>; rel=\"next\"` header. "
                + "`technology=4g,5g` selects the coverage columns. JSON pages hold at most 1000 units (default 100); CSV up to 100000 "
                + "(default 100000, i.e. every unit of a national level in one file).")
            .Produces(StatusCodes.Status200OK, contentType: ApiParameters.CsvMediaType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<UnitIndicatorsDocument>, ProblemHttpResult, ValidationProblem>> GetUnitIndicators(
        [Description("Kemendagri code with dots, e.g. 13.05 or 13.05.02.2001")] string code,
        [AsParameters] IndicatorOptionParameters parameters,
        [Description("coverage technologies to include, comma-separated: 2g, 3g, 4g, 5g (default all)")] string? technology,
        HttpResponse response,
        IndicatorService indicators,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!KemendagriCode.IsValid(code)) ApiParameters.AddError(errors, "code", $"'{code}' is not a Kemendagri code, e.g. 13.05 or 13.05.02.2001");
        var options = parameters.Parse(errors);
        var technologies = ParseTechnologies(technology, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var set = await indicators.GetCurrentAsync(options, ct);
        var unit = Find(set, code);
        if (unit is null) return Units.UnitEndpoints.UnitNotFound(code);
        AddProvenanceHeaders(response, set);
        return TypedResults.Ok(new UnitIndicatorsDocument(IndicatorMapping.Provenance(set), IndicatorMapping.ToResponse(unit, technologies)));
    }

    public static async Task<Results<Ok<IndicatorPage>, ContentHttpResult, ProblemHttpResult, ValidationProblem>> ListIndicators(
        HttpRequest request,
        [Description("province, regency, district or village")] string? level,
        [Description("Kemendagri code of an ancestor at any depth, e.g. 13.05")] string? parent,
        [Description("json (default) or csv; Accept: text/csv also selects CSV")] string? format,
        [Description("coverage technologies to include, comma-separated: 2g, 3g, 4g, 5g (default all)")] string? technology,
        [Description("page size: 1 to 1000 for JSON (default 100), 1 to 100000 for CSV (default 100000)")] int? limit,
        [Description("number of units to skip (default 0)")] int? offset,
        [AsParameters] IndicatorOptionParameters parameters,
        IndicatorService indicators,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        AdminLevel? levelFilter = null;
        if (level is not null)
        {
            if (UnitLevels.TryParse(level, out var l)) levelFilter = l;
            else ApiParameters.AddError(errors, "level", $"'{level}' is not a level: use province, regency, district or village");
        }
        if (parent is not null && !KemendagriCode.IsValid(parent))
            ApiParameters.AddError(errors, "parent", $"'{parent}' is not a Kemendagri code, e.g. 13.05");
        var (csv, paging) = ApiParameters.ParseList(request, format, limit, offset, errors);
        var technologies = ParseTechnologies(technology, errors);
        var options = parameters.Parse(errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var set = await indicators.GetCurrentAsync(options, ct);
        if (parent is not null && Find(set, parent) is null) return Units.UnitEndpoints.UnitNotFound(parent);
        var matching = set.Units.Where(u => (levelFilter is null || u.Level == levelFilter)
            && (parent is null || u.Code.StartsWith(parent + ".", StringComparison.Ordinal))).ToArray();
        var page = matching.Skip(paging.Offset).Take(paging.Limit).ToArray();
        var next = ApiPaging.NextLink(request, paging, hasMore: matching.Length > paging.Offset + paging.Limit);

        AddProvenanceHeaders(request.HttpContext.Response, set);
        if (csv)
        {
            if (next is not null) request.HttpContext.Response.Headers.Link = $"<{next}>; rel=\"next\"";
            return TypedResults.Text(IndicatorCsv.Write(page, technologies), ApiParameters.CsvMediaType + "; charset=utf-8");
        }
        return TypedResults.Ok(new IndicatorPage(IndicatorMapping.Provenance(set),
            page.Select(u => IndicatorMapping.ToResponse(u, technologies)).ToArray(),
            paging.Offset, paging.Limit, page.Length, matching.Length, next));
    }

    private static IReadOnlyCollection<RadioTechnology> ParseTechnologies(string? text, Dictionary<string, string[]> errors)
    {
        if (text is null) return Enum.GetValues<RadioTechnology>();
        var selected = new SortedSet<RadioTechnology>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (IndicatorOptions.TryParseTechnology(part, out var t)) selected.Add(t);
            else ApiParameters.AddError(errors, "technology", $"'{part}' is not a technology: use 2g, 3g, 4g or 5g");
        }
        return selected;
    }

    /// <summary>The unit by code (units are ordered by code ordinally).</summary>
    private static UnitIndicators? Find(IndicatorSet set, string code)
    {
        var units = set.Units;
        int lo = 0, hi = units.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = string.CompareOrdinal(units[mid].Code, code);
            if (c == 0) return units[mid];
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return null;
    }

    /// <summary>The provenance as headers too, so that CSV clients (which cannot read a JSON envelope) still get it.</summary>
    private static void AddProvenanceHeaders(HttpResponse response, IndicatorSet set)
    {
        var p = IndicatorMapping.Provenance(set);
        response.Headers["X-Indicator-Set"] = p.SetId.ToString();
        response.Headers["X-Data-Version"] = p.DataVersion.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-Indicator-Engine"] = p.Engine;
        response.Headers["X-Indicator-Rules"] = p.RulesVersion;
        response.Headers["X-Computed-At"] = p.ComputedAt.ToString("O", CultureInfo.InvariantCulture);
        var o = p.Options;
        response.Headers["X-Indicator-Options"] = string.Join(';',
            new[] { $"fibreReachMetres={F(o.FibreReachMetres)}", $"householdReachMetres={F(o.HouseholdReachMetres)}" }
                .Concat(o.RadiusMetres.Select(kv => $"radius{kv.Key}Metres={F(kv.Value)}"))
                .Append("bands=" + string.Join(',', o.BandEdgesPercent))
                .Append($"circleVertices={o.CircleVertices}")
                .Append($"bufferQuadrantSegments={o.BufferQuadrantSegments}"));
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
