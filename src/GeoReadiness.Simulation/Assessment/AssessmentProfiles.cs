using System.Collections.Frozen;

namespace GeoReadiness.Simulation.Assessment;

/// <summary>Loads assessment profiles (format: docs/assessment-profile.md) and holds the shipped ones.</summary>
public static class AssessmentProfiles
{
    /// <summary>The id of <see cref="Default"/>.</summary>
    public const string DefaultId = "kominfo-2019";

    private const string ResourcePrefix = "GeoReadiness.Simulation.Assessment.Profiles.";

    private static readonly Lazy<FrozenDictionary<string, AssessmentProfile>> Shipped = new(LoadShipped);

    /// <summary>Validates a profile document; every problem is reported, each with the path of its entry.</summary>
    public static ProfileParseResult TryParse(string json) => ProfileReader.Read(json);

    /// <summary>The profile of a valid document.</summary>
    /// <exception cref="ProfileValidationException">the document does not validate; see its Problems</exception>
    public static AssessmentProfile Parse(string json)
    {
        var result = TryParse(json);
        return result.Profile ?? throw new ProfileValidationException(result.Problems);
    }

    /// <summary>The profiles shipped with GeoReadiness (embedded resources), by id; parsed once.</summary>
    public static IReadOnlyDictionary<string, AssessmentProfile> BuiltIn => Shipped.Value;

    /// <summary>The Gerakan Menuju 100 Smart City readiness profile, kominfo-2019.</summary>
    public static AssessmentProfile Default => BuiltIn[DefaultId];

    private static FrozenDictionary<string, AssessmentProfile> LoadShipped()
    {
        var assembly = typeof(AssessmentProfiles).Assembly;
        var profiles = new Dictionary<string, AssessmentProfile>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var profile = Parse(reader.ReadToEnd());
            profiles.Add(profile.Id, profile);
        }
        return profiles.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
