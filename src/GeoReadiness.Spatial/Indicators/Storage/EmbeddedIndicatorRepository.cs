using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoReadiness.Spatial.Indicators.Storage;

/// <summary>
/// Indicator sets as gzip-compressed JSON files next to the embedded store's data: one folder per engine and
/// options (<c>indicators/embedded-&lt;options key&gt;/</c>), one file per set named by its computed-at time, so the
/// newest file is the latest set. A file is written to a temporary name and renamed into place, so a reader (or
/// a crash) never sees half a set.
/// </summary>
/// <remarks>Thread-safe: writes are serialised; reads only open complete files.</remarks>
public sealed class EmbeddedIndicatorRepository : IIndicatorRepository
{
    /// <summary>Folder of the indicator sets inside the embedded store's data directory.</summary>
    public const string FolderName = "indicators";
    private const string Extension = ".json.gz";

    private readonly string _root;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <param name="root">the folder that holds the sets, e.g. <c>Path.Combine(store.Directory, "indicators")</c></param>
    public EmbeddedIndicatorRepository(string root, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        _logger = logger ?? NullLogger.Instance;
    }

    public async Task SaveAsync(IndicatorSet set, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        var folder = FolderOf(set.Engine, set.Options);
        var target = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{set.ComputedAt.UtcTicks:D20}-{set.Id:N}{Extension}"));
        await _writer.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(folder);
            // Temporary files of a save that was interrupted (a crash between write and rename) are debris.
            foreach (var stale in Directory.EnumerateFiles(folder, "*.tmp-*")) File.Delete(stale);
            var temp = target + ".tmp-" + Guid.NewGuid().ToString("N");
            try
            {
                await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
                {
                    var document = new Document(IndicatorSetCodec.Header(set), set.Units, set.Leaves);
                    await JsonSerializer.SerializeAsync(gzip, document, IndicatorSetCodec.Json, cancellationToken);
                }
                cancellationToken.ThrowIfCancellationRequested();
                File.Move(temp, target, overwrite: true);
            }
            catch
            {
                File.Delete(temp);
                throw;
            }
            foreach (var old in SetFiles(folder).Skip(IIndicatorRepository.KeptPerOptions)) File.Delete(old);
            DropLeastRecentOptions(set.Engine, folder);
        }
        finally
        {
            _writer.Release();
        }
    }

    public async Task<IndicatorSet?> GetLatestAsync(string engine, IndicatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = FolderOf(engine, options);
        string[] files;
        try
        {
            files = SetFiles(folder);
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        foreach (var path in files)
        {
            try
            {
                await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous);
                await using var gzip = new GZipStream(file, CompressionMode.Decompress);
                var document = await JsonSerializer.DeserializeAsync<Document>(gzip, IndicatorSetCodec.Json, cancellationToken)
                    ?? throw new InvalidDataException("empty document");
                if (document.Header.Format != IndicatorSetCodec.Format || document.Header.Rules != IndicatorSet.RulesVersion) continue;
                return IndicatorSetCodec.ToSet(document.Header, document.Units, document.Leaves);
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
            {
                // A set written by another version of the code: computing anew is always possible.
                _logger.LogWarning(e, "Ignoring unreadable indicator set {Path}", path);
            }
            catch (DirectoryNotFoundException)
            {
                // The options were computed least recently and their folder was just dropped by a save.
                return null;
            }
            catch (FileNotFoundException)
            {
                // Deleted by a concurrent save that replaced it with a newer set: look again.
                return await GetLatestAsync(engine, options, cancellationToken);
            }
        }
        return null;
    }

    private string FolderOf(string engine, IndicatorOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(engine);
        if (engine.Any(c => !char.IsAsciiLetterOrDigit(c))) throw new ArgumentException($"engine name '{engine}' must be letters and digits", nameof(engine));
        return Path.Combine(_root, engine + "-" + IndicatorSetCodec.OptionsKey(options));
    }

    /// <summary>Deletes the folders of the options computed least recently beyond <see cref="IIndicatorRepository.KeptOptions"/>.</summary>
    private void DropLeastRecentOptions(string engine, string keep)
    {
        var folders = Directory.EnumerateDirectories(_root, engine + "-*")
            .Where(f => !string.Equals(f, keep, StringComparison.Ordinal))
            .Select(f => (Folder: f, Newest: SetFiles(f).FirstOrDefault() is { } newest ? Path.GetFileName(newest) : ""))
            .OrderByDescending(f => f.Newest, StringComparer.Ordinal)
            .Skip(IIndicatorRepository.KeptOptions - 1);
        foreach (var (folder, _) in folders) Directory.Delete(folder, recursive: true);
    }

    /// <summary>Complete set files, newest first (names start with the computed-at ticks).</summary>
    private static string[] SetFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*" + Extension).Order(StringComparer.Ordinal).Reverse().ToArray();

    private sealed record Document(IndicatorSetCodec.SetHeader Header, IReadOnlyList<UnitIndicators> Units, IReadOnlyList<LeafMeasures> Leaves);
}
