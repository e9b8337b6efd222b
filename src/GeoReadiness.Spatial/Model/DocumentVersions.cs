namespace GeoReadiness.Spatial.Model;

/// <summary>The order of the versions of a stored document (assessment profiles, scenarios): "latest" is the highest.</summary>
public static class DocumentVersions
{
    /// <summary>Dotted numeric versions compare numerically (1.10 after 1.9); anything else ordinally.</summary>
    public static int Compare(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var pa = a.Split('.');
        var pb = b.Split('.');
        for (var i = 0; i < Math.Max(pa.Length, pb.Length); i++)
        {
            var x = i < pa.Length ? pa[i] : "0";
            var y = i < pb.Length ? pb[i] : "0";
            var c = long.TryParse(x, out var nx) && long.TryParse(y, out var ny) ? nx.CompareTo(ny) : string.CompareOrdinal(x, y);
            if (c != 0) return c;
        }
        return 0;
    }

    /// <summary>The comparer of <see cref="Compare"/>.</summary>
    public static IComparer<string> Comparer { get; } = Comparer<string>.Create(Compare);
}

/// <summary>The hash a stored document (profile, scenario) is stamped with.</summary>
public static class DocumentHash
{
    /// <summary>Lowercase hex SHA-256 of the UTF-8 text.</summary>
    public static string Of(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}

/// <summary>What saving a versioned document (profile, scenario) did: documents are never overwritten.</summary>
public enum DocumentSaveStatus
{
    /// <summary>No document had this id and version: it is stored now.</summary>
    Saved,
    /// <summary>The same id and version with the same content was stored already; nothing was written.</summary>
    Unchanged,
    /// <summary>The id and version are taken by different content; nothing was written (never overwritten).</summary>
    Conflict,
}
