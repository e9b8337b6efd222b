using GeoReadiness.Spatial.Assessment;

namespace GeoReadiness.Simulation.Assessment;

/// <summary>Where a profile comes from: shipped with GeoReadiness or saved into the store by a user.</summary>
public enum ProfileOrigin { BuiltIn, Stored }

/// <summary>A profile the catalogue offers.</summary>
public sealed record CatalogProfile(AssessmentProfile Profile, ProfileOrigin Origin, DateTimeOffset? SavedAt);

/// <summary>
/// The profiles a request can name: the built-in ones plus those saved in the store. A reference is <c>id</c> (the
/// highest version of that id) or <c>id@version</c>. Stored documents are validated again when read, so a profile
/// that no longer validates (after a questionnaire schema change) is listed in <see cref="Invalid"/>, never used.
/// Immutable; build one per request from the stored profiles.
/// </summary>
public sealed class ProfileCatalog
{
    private readonly List<CatalogProfile> _profiles;

    private ProfileCatalog(List<CatalogProfile> profiles, List<(StoredProfile Stored, IReadOnlyList<ProfileProblem> Problems)> invalid)
    {
        _profiles = profiles;
        Invalid = invalid;
    }

    /// <summary>Every usable profile, ordered by id then version (highest last).</summary>
    public IReadOnlyList<CatalogProfile> Profiles => _profiles;

    /// <summary>Stored documents that do not validate any more, with their problems.</summary>
    public IReadOnlyList<(StoredProfile Stored, IReadOnlyList<ProfileProblem> Problems)> Invalid { get; }

    public static ProfileCatalog From(IEnumerable<StoredProfile> stored)
    {
        var profiles = AssessmentProfiles.BuiltIn.Values.Select(p => new CatalogProfile(p, ProfileOrigin.BuiltIn, null)).ToList();
        var invalid = new List<(StoredProfile, IReadOnlyList<ProfileProblem>)>();
        foreach (var s in stored)
        {
            var parsed = AssessmentProfiles.TryParse(s.Json);
            if (parsed.Profile is { } p) profiles.Add(new CatalogProfile(p, ProfileOrigin.Stored, s.SavedAt));
            else invalid.Add((s, parsed.Problems));
        }
        profiles.Sort((a, b) =>
        {
            var byId = string.CompareOrdinal(a.Profile.Id, b.Profile.Id);
            return byId != 0 ? byId : CompareVersions(a.Profile.Version, b.Profile.Version);
        });
        return new ProfileCatalog(profiles, invalid);
    }

    /// <summary>Whether a profile with this id and version exists already (built-in ones can never be replaced).</summary>
    public CatalogProfile? Find(string id, string version) =>
        _profiles.FirstOrDefault(p => p.Profile.Id == id && p.Profile.Version == version);

    /// <summary>The profile a reference names, or null with the reason (listing what exists).</summary>
    /// <param name="reference"><c>id</c>, <c>id@version</c>, or null for <see cref="AssessmentProfiles.DefaultId"/></param>
    public AssessmentProfile? Resolve(string? reference, out string? error)
    {
        error = null;
        var text = string.IsNullOrWhiteSpace(reference) ? AssessmentProfiles.DefaultId : reference.Trim();
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var (id, version) = at < 0 ? (text, null) : (text[..at], text[(at + 1)..]);
        var candidates = _profiles.Where(p => p.Profile.Id == id).ToList();
        if (candidates.Count == 0)
        {
            error = $"no profile '{id}'; profiles: {string.Join(", ", _profiles.Select(p => p.Profile.Id).Distinct())}";
            return null;
        }
        if (version is null) return candidates[^1].Profile;
        var match = candidates.FirstOrDefault(p => p.Profile.Version == version);
        if (match is null) error = $"profile '{id}' has no version '{version}'; versions: {string.Join(", ", candidates.Select(p => p.Profile.Version))}";
        return match?.Profile;
    }

    /// <summary>Dotted numeric versions compare numerically (1.10 after 1.9); anything else ordinally.</summary>
    public static int CompareVersions(string a, string b) => GeoReadiness.Spatial.Model.DocumentVersions.Compare(a, b);
}
