using System.Text;
using GeoReadiness.Simulation.Assessment;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GeoReadiness.Api.Infrastructure;

/// <summary>What the endpoints share in reading a request: problems keyed by parameter, the list format, the body.</summary>
public static class ApiParameters
{
    public const string CsvMediaType = "text/csv";

    /// <summary>CSV lists may be longer than JSON pages: a GIS user usually wants every unit of a level in one file.</summary>
    public const int MaxCsvLimit = 100_000;

    /// <summary>Adds a problem to the ValidationProblem <c>errors</c> of <paramref name="name"/>.</summary>
    public static void AddError(Dictionary<string, string[]> errors, string name, string message) =>
        errors[name] = errors.TryGetValue(name, out var existing) ? [.. existing, message] : [message];

    /// <summary>
    /// A list's format and page: <c>format=csv|json</c>, or without it CSV when the client accepts <c>text/csv</c>; the
    /// page bounds depend on the format (JSON 1–1000, default 100; CSV 1–100000, default 100000).
    /// </summary>
    public static (bool Csv, ApiPaging.Page Page) ParseList(HttpRequest request, string? format, int? limit, int? offset, Dictionary<string, string[]> errors)
    {
        var csv = false;
        switch (format?.ToLowerInvariant())
        {
            case null:
                csv = request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(CsvMediaType, StringComparison.OrdinalIgnoreCase));
                break;
            case "csv":
                csv = true;
                break;
            case "json":
                break;
            default:
                AddError(errors, "format", $"'{format}' is not a format: use json or csv");
                break;
        }
        var page = csv
            ? ApiPaging.Parse(limit, offset, MaxCsvLimit, MaxCsvLimit, errors)
            : ApiPaging.Parse(limit, offset, Units.UnitEndpoints.DefaultLimit, Units.UnitEndpoints.MaxLimit, errors);
        return (csv, page);
    }

    /// <summary>
    /// A document's problems as the <c>errors</c> of a ValidationProblem: keyed by each problem's path, those without a
    /// path under <paramref name="wholeDocument"/>.
    /// </summary>
    public static Dictionary<string, string[]> ErrorsByPath(IEnumerable<ProfileProblem> problems, string wholeDocument = "$") =>
        problems.GroupBy(p => p.Path is { Length: > 0 } path ? path : wholeDocument).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray());

    /// <summary>
    /// The 413 of a body over its limit, worded alike for every endpoint: "The scenario document is larger than 256 KiB."
    /// </summary>
    /// <param name="what">what the body is, e.g. "The scenario document"</param>
    public static ProblemHttpResult TooLarge(string what, long maxBytes) =>
        TypedResults.Problem($"{what} is larger than {Size(maxBytes)}: send at most {Size(maxBytes)}.",
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");

    private static string Size(long bytes) => bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : bytes % 1024 == 0 ? $"{bytes >> 10} KiB" : $"{bytes} bytes";

    /// <summary>The body as UTF-8 text (a BOM dropped), or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<string?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return new UTF8Encoding(false).GetString(buffer.GetBuffer(), 0, (int)buffer.Length).TrimStart('\uFEFF');
    }
}
