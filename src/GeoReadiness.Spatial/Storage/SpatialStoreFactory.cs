using GeoReadiness.Spatial.Storage.Embedded;
using Microsoft.Extensions.Logging;

namespace GeoReadiness.Spatial.Storage;

/// <summary>Where the data lives: PostGIS when a connection string is set, otherwise the embedded store in a directory.</summary>
public sealed class SpatialStoreOptions
{
    /// <summary>Environment variable that names the embedded store's directory.</summary>
    public const string DataDirectoryVariable = "GEOREADINESS_DATA_DIR";

    /// <summary>Npgsql connection string; when set, the PostGIS store is used.</summary>
    public string? PostGisConnectionString { get; set; }

    /// <summary>Directory of the embedded store.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary><c>$GEOREADINESS_DATA_DIR</c>, else the user's local application data folder + <c>georeadiness</c>.</summary>
    public static string DefaultDataDirectory()
    {
        var fromEnv = Environment.GetEnvironmentVariable(DataDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv)) return Path.GetFullPath(fromEnv);
        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        if (string.IsNullOrEmpty(local)) local = Path.Combine(Path.GetTempPath(), "georeadiness-" + Environment.UserName);
        return Path.Combine(local, "georeadiness");
    }
}

public static class SpatialStoreFactory
{
    /// <summary>Opens the store the options describe (applying PostGIS migrations when needed).</summary>
    public static async Task<ISpatialStore> OpenAsync(SpatialStoreOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrWhiteSpace(options.PostGisConnectionString))
            return await PostGis.PostGisStore.OpenAsync(options.PostGisConnectionString, loggerFactory?.CreateLogger<PostGis.PostGisStore>(), cancellationToken);
        return await EmbeddedStore.OpenAsync(options.DataDirectory, loggerFactory?.CreateLogger<EmbeddedStore>(), cancellationToken);
    }
}
