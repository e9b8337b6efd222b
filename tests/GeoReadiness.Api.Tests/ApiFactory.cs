using GeoReadiness.Spatial.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GeoReadiness.Api.Tests;

/// <summary>
/// Hosts the real app on an embedded store in a fresh temporary directory (or on PostGIS when given a
/// connection string), with the demo seeding switched off unless asked for.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly string? _postGis;
    private readonly bool _seedDemo;
    private readonly bool _ownsDirectory;

    /// <param name="dataDirectory">an existing embedded store's directory to host on again (kept on dispose); default a new temporary one (deleted)</param>
    public ApiFactory(string? postGisConnectionString = null, bool seedDemo = false, string? dataDirectory = null)
    {
        _postGis = postGisConnectionString;
        _seedDemo = seedDemo;
        _ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "gr-api-" + Guid.NewGuid().ToString("N"));
    }

    /// <summary>The key the app accepts in X-API-Key.</summary>
    public const string ApiKey = "test-key-3f9c1a";

    public string DataDirectory { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("GeoReadiness:Store:DataDirectory", DataDirectory);
        builder.UseSetting("GeoReadiness:Store:SeedDemoData", _seedDemo ? "true" : "false");
        builder.UseSetting("ConnectionStrings:PostGis", _postGis ?? "");
        builder.UseSetting("GeoReadiness:Api:Keys:0", ApiKey);
    }

    public ISpatialStore Store => Services.GetRequiredService<ISpatialStore>();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDirectory && Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
    }
}
