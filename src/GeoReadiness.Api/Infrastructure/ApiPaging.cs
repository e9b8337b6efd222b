using System.Globalization;

namespace GeoReadiness.Api.Infrastructure;

/// <summary>limit/offset paging shared by the list endpoints: bounds checked, and a <c>next</c> link that keeps the other parameters.</summary>
public static class ApiPaging
{
    public readonly record struct Page(int Offset, int Limit);

    /// <summary>The page asked for; problems (limit outside 1…max, negative offset) are added to <paramref name="errors"/>.</summary>
    public static Page Parse(int? limit, int? offset, int defaultLimit, int maxLimit, Dictionary<string, string[]> errors)
    {
        var take = limit ?? defaultLimit;
        if (take < 1 || take > maxLimit) errors["limit"] = [$"limit must be between 1 and {maxLimit}, got {take}"];
        var skip = offset ?? 0;
        if (skip < 0) errors["offset"] = [$"offset must not be negative, got {skip}"];
        return new Page(skip, take);
    }

    /// <summary>URL of the following page (this request with offset and limit moved on), or null when there is none.</summary>
    public static string? NextLink(HttpRequest request, Page page, bool hasMore)
    {
        if (!hasMore) return null;
        var query = request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
        query["offset"] = (page.Offset + page.Limit).ToString(CultureInfo.InvariantCulture);
        query["limit"] = page.Limit.ToString(CultureInfo.InvariantCulture);
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{QueryString.Create(query)}";
    }
}
