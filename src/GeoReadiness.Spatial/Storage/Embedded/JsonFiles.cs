using System.Text.Json;
using System.Text.Json.Serialization;

namespace GeoReadiness.Spatial.Storage.Embedded;

/// <summary>
/// The JSON files the embedded store keeps beside <c>store.bin</c> (assessment, scenarios, runs, model manifests): read whole, written
/// to a temporary file that is flushed and renamed over the old one, so a reader (or a crash) sees the whole old or
/// the whole new file. Callers serialise writes to one file themselves.
/// </summary>
internal static class JsonFiles
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The file's content, or null when the file (or its folder) does not exist.</summary>
    /// <exception cref="InvalidDataException">the file holds JSON null.</exception>
    public static async Task<T?> ReadAsync<T>(string path, CancellationToken cancellationToken) where T : class
    {
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous);
            return await JsonSerializer.DeserializeAsync<T>(file, Options, cancellationToken) ?? throw new InvalidDataException($"{Path.GetFileName(path)} is empty");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The file's bytes, or null when the file (or its folder) does not exist.</summary>
    public static async Task<byte[]?> ReadBytesAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Replaces the file atomically (creating its folder); a failure leaves the old file and no temporary one.</summary>
    public static Task WriteAsync<T>(string path, T value, CancellationToken cancellationToken) =>
        ReplaceAsync(path, (file, ct) => JsonSerializer.SerializeAsync(file, value, Options, ct), cancellationToken);

    /// <summary>Replaces a file with the given bytes atomically, like <see cref="WriteAsync{T}"/>.</summary>
    public static Task WriteBytesAsync(string path, byte[] bytes, CancellationToken cancellationToken) =>
        ReplaceAsync(path, (file, ct) => file.WriteAsync(bytes, ct).AsTask(), cancellationToken);

    private static async Task ReplaceAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await write(file, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
