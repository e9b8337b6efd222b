using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Storage;

/// <summary>
/// The integrity rules every store enforces before it writes a change, so that both backends accept and
/// reject exactly the same changes: well-formed codes, a level that matches the code, a parent that is
/// the code's own prefix and exists (in the change or already in the store), a kind that fits the level,
/// unique keys, non-empty geometry in EPSG:4326.
/// </summary>
public static class ChangeValidator
{
    /// <summary>Codes of parents referenced by the change that the change itself does not contain.</summary>
    public static IReadOnlySet<string> ExternalParentCodes(DatasetChange change)
    {
        var inChange = change.Units.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        return change.Units
            .Select(u => u.ParentCode)
            .Where(p => p is not null && !inChange.Contains(p))
            .Select(p => p!)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Throws <see cref="StoreIntegrityException"/> listing every problem found.</summary>
    /// <param name="existingParents">those of <see cref="ExternalParentCodes"/> that exist in the store</param>
    public static void Validate(DatasetChange change, IReadOnlySet<string> existingParents)
    {
        var problems = new List<string>();
        var inChange = change.Units.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);

        for (var i = 0; i < change.Units.Count; i++)
        {
            var u = change.Units[i];
            var where = $"unit #{i} ({u.Code})";
            if (!KemendagriCode.IsValid(u.Code)) { problems.Add($"{where}: '{u.Code}' is not a Kemendagri code"); continue; }
            if (string.IsNullOrWhiteSpace(u.Name)) problems.Add($"{where}: name is empty");
            if (KemendagriCode.LevelOf(u.Code) != u.Level) problems.Add($"{where}: level {u.Level} does not match the code, which is a {KemendagriCode.LevelOf(u.Code)} code");
            if (!KindFits(u.Level, u.Kind)) problems.Add($"{where}: kind {u.Kind} is not a kind of {u.Level}");
            var expectedParent = KemendagriCode.ParentOf(u.Code);
            if (u.ParentCode != expectedParent)
                problems.Add($"{where}: parent code '{u.ParentCode}' should be '{expectedParent}'");
            else if (expectedParent is not null && !inChange.Contains(expectedParent) && !existingParents.Contains(expectedParent))
                problems.Add($"{where}: parent '{expectedParent}' is neither in the store nor in this change (orphan)");
            CheckGeometry(u.Geometry, where, problems);
            if (u.Population < 0) problems.Add($"{where}: population is negative");
            if (u.Households < 0) problems.Add($"{where}: households is negative");
        }
        Duplicates(change.Units.Select(u => u.Code), "unit code", problems);

        for (var i = 0; i < change.FibreRoutes.Count; i++)
        {
            var f = change.FibreRoutes[i];
            CheckId(f.Id, $"fibre route #{i}", problems);
            CheckGeometry(f.Geometry, $"fibre route #{i} ({f.Id})", problems);
        }
        Duplicates(change.FibreRoutes.Select(f => f.Id), "fibre route id", problems);

        for (var i = 0; i < change.Towers.Count; i++)
        {
            var t = change.Towers[i];
            var where = $"tower #{i} ({t.Id})";
            CheckId(t.Id, $"tower #{i}", problems);
            CheckGeometry(t.Location, where, problems);
            if (t.Technologies.Count == 0) problems.Add($"{where}: offers no technology");
            foreach (var (tech, r) in t.RadiusMetres)
            {
                if (!t.Technologies.Contains(tech)) problems.Add($"{where}: has a radius for {tech}, which it does not offer");
                if (!(r > 0) || !double.IsFinite(r)) problems.Add($"{where}: radius for {tech} must be a positive number of metres, got {r}");
            }
            if (t.CoverageArea is not null) CheckGeometry(t.CoverageArea, where + " coverage area", problems);
        }
        Duplicates(change.Towers.Select(t => t.Id), "tower id", problems);

        for (var i = 0; i < change.Facilities.Count; i++)
        {
            var f = change.Facilities[i];
            CheckId(f.Id, $"facility #{i}", problems);
            CheckGeometry(f.Location, $"facility #{i} ({f.Id})", problems);
            if (f.UnitCode is not null && !KemendagriCode.IsValid(f.UnitCode))
                problems.Add($"facility #{i} ({f.Id}): unit code '{f.UnitCode}' is not a Kemendagri code");
        }
        Duplicates(change.Facilities.Select(f => f.Id), "facility id", problems);

        for (var i = 0; i < change.PopulationCells.Count; i++)
        {
            var c = change.PopulationCells[i];
            var where = $"population cell #{i} ({c.Id})";
            CheckId(c.Id, $"population cell #{i}", problems);
            CheckGeometry(c.Geometry, where, problems);
            if (c.Geometry is not (NetTopologySuite.Geometries.Point or NetTopologySuite.Geometries.Polygon))
                problems.Add($"{where}: must be a Point or a Polygon, got {c.Geometry.GeometryType}");
            if (c.Population < 0 || c.Households < 0) problems.Add($"{where}: counts must not be negative");
        }
        Duplicates(change.PopulationCells.Select(c => c.Id), "population cell id", problems);

        if (problems.Count > 0)
        {
            var head = string.Join("; ", problems.Take(5));
            throw new StoreIntegrityException(
                $"change from '{change.Source}' rejected ({problems.Count} problem(s)): {head}{(problems.Count > 5 ? "; …" : "")}",
                problems);
        }
    }

    public static bool KindFits(AdminLevel level, UnitKind kind) => level switch
    {
        AdminLevel.Province => kind == UnitKind.Provinsi,
        AdminLevel.Regency => kind is UnitKind.Kabupaten or UnitKind.Kota,
        AdminLevel.District => kind == UnitKind.Kecamatan,
        AdminLevel.Village => kind is UnitKind.Desa or UnitKind.Kelurahan or UnitKind.Nagari or UnitKind.Other,
        _ => false,
    };

    private static void CheckId(string id, string where, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(id)) problems.Add($"{where}: id is empty");
    }

    private static void CheckGeometry(NetTopologySuite.Geometries.Geometry g, string where, List<string> problems)
    {
        if (g.IsEmpty) problems.Add($"{where}: geometry is empty");
        if (g.SRID != Geo.Srid) problems.Add($"{where}: geometry SRID is {g.SRID}, expected {Geo.Srid}");
    }

    private static void Duplicates(IEnumerable<string> keys, string what, List<string> problems)
    {
        foreach (var dup in keys.GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"duplicate {what} '{dup.Key}' ({dup.Count()} times)");
    }
}
