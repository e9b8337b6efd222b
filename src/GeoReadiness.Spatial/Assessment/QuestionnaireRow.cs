using System.Collections.Immutable;

namespace GeoReadiness.Spatial.Assessment;

/// <summary>
/// One unit's questionnaire answers for one assessment year, checked against <see cref="QuestionnaireSchema"/>.
/// </summary>
/// <param name="Code">Kemendagri code of the unit (usually a kabupaten/kota)</param>
/// <param name="Year">assessment year</param>
/// <param name="Values">answers by field name; booleans are 1/0, a year field without the thing is 0; a field that
/// was not answered is absent</param>
public sealed record QuestionnaireRow(string Code, int Year, ImmutableSortedDictionary<string, double> Values)
{
    /// <summary>Value equality over code, year and every answer.</summary>
    public bool Equals(QuestionnaireRow? other) =>
        other is not null && Code == other.Code && Year == other.Year
        && Values.Count == other.Values.Count
        && Values.All(kv => other.Values.TryGetValue(kv.Key, out var v) && v.Equals(kv.Value));

    public override int GetHashCode() => HashCode.Combine(Code, Year, Values.Count);
}
