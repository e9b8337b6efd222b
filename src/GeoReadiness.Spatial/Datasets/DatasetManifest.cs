using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using GeoReadiness.Spatial.Import;

namespace GeoReadiness.Spatial.Datasets;

/// <summary>
/// <c>manifest.json</c> of a dataset folder: the files in load order, each with its layer (and optionally a
/// field mapping and a SHA-256 that is checked before loading).
/// </summary>
public sealed record DatasetManifest
{
    public const string FileName = "manifest.json";

    /// <summary>
    /// The layer of a questionnaire CSV (<see cref="Assessment.QuestionnaireCsv"/>): loaded into the target store's
    /// assessment repository, not into its units.
    /// </summary>
    public const string QuestionnaireLayer = "questionnaire";

    /// <summary>Every layer a manifest may name: the import layers and <see cref="QuestionnaireLayer"/>.</summary>
    public static IReadOnlyList<string> Layers { get; } = [.. ImportLayers.Names, QuestionnaireLayer];

    /// <summary>Whether the file is a questionnaire rather than an import layer.</summary>
    public static bool IsQuestionnaire(ManifestFile file) =>
        string.Equals(file?.Layer?.Trim(), QuestionnaireLayer, StringComparison.OrdinalIgnoreCase);

    public string? Name { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<ManifestFile> Files { get; init; } = [];

    /// <summary>The folder the manifest was read from; file paths are relative to it.</summary>
    [JsonIgnore]
    public string Directory { get; init; } = "";

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    /// <summary>Reads and checks the manifest of <paramref name="directory"/> (or the manifest file itself).</summary>
    /// <exception cref="DatasetManifestException">missing, malformed, or naming files that are absent, altered or of an unknown layer.</exception>
    public static DatasetManifest Load(string directory)
    {
        var path = File.Exists(directory) ? Path.GetFullPath(directory) : Path.Combine(Path.GetFullPath(directory), FileName);
        if (!File.Exists(path)) throw new DatasetManifestException($"no {FileName} in '{directory}'");
        DatasetManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<DatasetManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new DatasetManifestException($"{path}: not a valid manifest: {e.Message}");
        }
        if (manifest is null || manifest.Files.Count == 0) throw new DatasetManifestException($"{path}: lists no files");
        manifest = manifest with { Directory = Path.GetDirectoryName(path)! };
        for (var i = 0; i < manifest.Files.Count; i++)
        {
            var f = manifest.Files[i];
            var where = $"{path}: files[{i}] ({f.Path})";
            if (string.IsNullOrWhiteSpace(f.Path)) throw new DatasetManifestException($"{path}: files[{i}] has no path");
            if (!IsQuestionnaire(f) && !ImportLayers.TryParse(f.Layer, out _))
                throw new DatasetManifestException($"{where}: unknown layer '{f.Layer}' (use {string.Join(", ", Layers)})");
            var full = manifest.PathOf(f);
            if (!File.Exists(full)) throw new DatasetManifestException($"{where}: file not found");
            if (f.Sha256 is { Length: > 0 } expected)
            {
                var actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(full)));
                if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                    throw new DatasetManifestException($"{where}: SHA-256 is {actual}, the manifest says {expected} (the file was altered)");
            }
        }
        return manifest;
    }

    public string PathOf(ManifestFile file) => Path.GetFullPath(Path.Combine(Directory, file.Path));
}

/// <param name="Path">relative to the manifest's folder</param>
/// <param name="Layer">units, fibre, towers, facilities, population, attributes or questionnaire</param>
/// <param name="Mapping">optional field mapping, e.g. ["code=KDEPUM"]</param>
public sealed record ManifestFile(string Path, string Layer, string? Sha256 = null, IReadOnlyList<string>? Mapping = null);

public sealed class DatasetManifestException(string message) : Exception(message);
