using GeoReadiness.Spatial.Storage;

namespace GeoReadiness.Spatial.Import;

/// <summary>What a file holds, which decides how its fields are mapped.</summary>
public enum ImportLayer
{
    Units,
    Fibre,
    Towers,
    Facilities,
    Population,
    /// <summary>An attribute table keyed by unit code (usually CSV) merged into units already in the store.</summary>
    Attributes,
}

public static class ImportLayers
{
    public static IReadOnlyList<string> Names { get; } = ["units", "fibre", "towers", "facilities", "population", "attributes"];

    public static bool TryParse(string? text, out ImportLayer layer)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "units" or "unit" or "wilayah": layer = ImportLayer.Units; return true;
            case "fibre" or "fiber" or "fibre_routes": layer = ImportLayer.Fibre; return true;
            case "towers" or "tower" or "menara": layer = ImportLayer.Towers; return true;
            case "facilities" or "facility": layer = ImportLayer.Facilities; return true;
            case "population" or "population_cells": layer = ImportLayer.Population; return true;
            case "attributes" or "attribute": layer = ImportLayer.Attributes; return true;
            default: layer = default; return false;
        }
    }

    public static string Name(this ImportLayer layer) => Names[(int)layer];
}

/// <param name="Path">the file: .shp, .geojson/.json, .gpkg or .csv</param>
/// <param name="Layer">what the file holds</param>
public sealed record ImportRequest(string Path, ImportLayer Layer)
{
    /// <summary>Explicit field → column choices; the field conventions apply to everything not named here.</summary>
    public FieldMapping Mapping { get; init; } = FieldMapping.Default;

    /// <summary>Reject instead of repair: invalid geometries and reader repairs become errors.</summary>
    public bool Strict { get; init; }

    /// <summary>Validate against the store but write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>GeoPackage only: which feature tables to read; by default the tables named after the layer, or the only one.</summary>
    public IReadOnlyList<string>? Tables { get; init; }
}

public enum IssueSeverity
{
    Info,
    Warning,
    Error,
}

/// <param name="FeatureIndex">0-based position of the feature (CSV: of the data row) in the file, when the issue is about one</param>
/// <param name="Key">the feature's code or id, when known</param>
/// <param name="Line">1-based line in a CSV file</param>
public sealed record ImportIssue(IssueSeverity Severity, int? FeatureIndex, string? Key, string Message, int? Line = null)
{
    /// <summary>"feature #3 (13.05.01)" or "row 2, line 3 (99.99)"; empty for file-level issues.</summary>
    public string Where
    {
        get
        {
            var at = Line is { } l && FeatureIndex is { } r ? $"row {r + 1}, line {l}" : FeatureIndex is { } i ? $"feature #{i}" : "";
            if (Key is { Length: > 0 } k) at = at.Length > 0 ? $"{at} ({k})" : k;
            return at;
        }
    }

    public override string ToString() =>
        $"{Severity.ToString().ToLowerInvariant()}: {(Where.Length > 0 ? Where + ": " : "")}{Message}";
}

/// <summary>A geometry the importer repaired (and would reject with <see cref="ImportRequest.Strict"/>).</summary>
public sealed record RepairedGeometry(int FeatureIndex, string? Key, string What);

/// <summary>The outcome of validating or importing one file.</summary>
public sealed record ImportReport
{
    public required string File { get; init; }
    public required ImportLayer Layer { get; init; }
    /// <summary>Shapefile, GeoJSON, GeoPackage or CSV; empty when the file could not be opened.</summary>
    public string Format { get; init; } = "";
    public string SourceCrs { get; init; } = "";
    /// <summary>Features (or CSV data rows) read.</summary>
    public int FeatureCount { get; init; }
    /// <summary>Records that would be (or were) written.</summary>
    public int RecordCount { get; init; }
    public IReadOnlyList<ImportIssue> Issues { get; init; } = [];
    public IReadOnlyList<RepairedGeometry> Repaired { get; init; } = [];
    public bool Strict { get; init; }
    public bool DryRun { get; init; }
    /// <summary>True when the change was written to the store.</summary>
    public bool Applied { get; init; }
    /// <summary>What the store did; null when nothing was applied.</summary>
    public ChangeSummary? Changes { get; init; }

    public bool HasErrors => Issues.Any(i => i.Severity == IssueSeverity.Error);
    public int ErrorCount => Issues.Count(i => i.Severity == IssueSeverity.Error);
    public int WarningCount => Issues.Count(i => i.Severity == IssueSeverity.Warning);

    /// <summary>Applied, but the store already held exactly these records (a re-import of the same file).</summary>
    public bool NoOp => Applied && Changes is { ChangedAnything: false };

    /// <summary>One line: what happened to the store.</summary>
    public string Outcome =>
        HasErrors ? $"{ErrorCount} error(s): nothing was imported; the store is unchanged"
        : Applied && Changes is { } c ? (NoOp ? $"no change: the store already holds these {RecordCount} record(s) (re-import)" : $"imported: {Describe(c)} (data version {c.DataVersion})")
        : DryRun ? $"dry run: {RecordCount} record(s) valid; nothing was written"
        : $"valid: {RecordCount} record(s); nothing was written";

    private static string Describe(ChangeSummary c)
    {
        var parts = new List<string>();
        void Add(string name, LayerChange l)
        {
            if (l.Inserted + l.Updated + l.Unchanged > 0) parts.Add($"{name} {l.Inserted} inserted, {l.Updated} updated, {l.Unchanged} unchanged");
        }
        Add("units", c.Units);
        Add("fibre routes", c.FibreRoutes);
        Add("towers", c.Towers);
        Add("facilities", c.Facilities);
        Add("population cells", c.PopulationCells);
        return string.Join("; ", parts);
    }

    /// <summary>A readable multi-line report: header, issues (errors first), repairs, outcome.</summary>
    public string ToText(int maxIssues = 200)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"file:     {File}");
        sb.AppendLine($"layer:    {Layer.Name()}{(Strict ? " (strict)" : "")}");
        if (Format.Length > 0) sb.AppendLine($"format:   {Format}, CRS {SourceCrs}");
        sb.AppendLine($"features: {FeatureCount} read, {RecordCount} valid record(s); {ErrorCount} error(s), {WarningCount} warning(s), {Repaired.Count} geometry repair(s)");
        var ordered = Issues.OrderByDescending(i => i.Severity).ThenBy(i => i.FeatureIndex ?? -1).ToList();
        foreach (var issue in ordered.Take(maxIssues)) sb.AppendLine("  " + issue);
        if (ordered.Count > maxIssues) sb.AppendLine($"  ... and {ordered.Count - maxIssues} more issue(s)");
        sb.AppendLine(Outcome);
        return sb.ToString();
    }
}
