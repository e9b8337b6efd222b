using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Datasets;
using GeoReadiness.Spatial.Storage;
using Microsoft.Extensions.Options;

namespace GeoReadiness.Api.Hosting;

/// <summary>Configuration section <c>GeoReadiness:Store</c> (plus <c>ConnectionStrings:PostGis</c>).</summary>
public sealed class StoreSettings
{
    public const string Section = "GeoReadiness:Store";

    /// <summary>Npgsql connection string; when set the PostGIS store is used. Bound from <c>ConnectionStrings:PostGis</c>.</summary>
    public string? PostGisConnectionString { get; set; }

    /// <summary>Directory of the embedded store; defaults to <c>$GEOREADINESS_DATA_DIR</c> or the user's local data folder.</summary>
    public string DataDirectory { get; set; } = SpatialStoreOptions.DefaultDataDirectory();

    /// <summary>Load the demo dataset (data/shapefiles) into an empty store at start.</summary>
    public bool SeedDemoData { get; set; } = true;

    /// <summary>Folder of the demo dataset; found by walking up from the app and the working directory when empty.</summary>
    public string? DemoDataDirectory { get; set; }
}

/// <summary>Owns the store for the lifetime of the process: opens it (migrating PostGIS) before the server takes requests.</summary>
public sealed class StoreHost(IOptions<StoreSettings> settings, ILoggerFactory loggerFactory, ILogger<StoreHost> logger) : IHostedService, IAsyncDisposable
{
    private ISpatialStore? _store;

    public ISpatialStore Store => _store ?? throw new InvalidOperationException("the store is not open yet (StoreHost has not started)");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var s = settings.Value;
        _store = await SpatialStoreFactory.OpenAsync(
            new SpatialStoreOptions { PostGisConnectionString = s.PostGisConnectionString, DataDirectory = s.DataDirectory },
            loggerFactory, cancellationToken);
        logger.LogInformation("Store: {Kind}{Where}", _store.Kind,
            _store.Kind == StoreKind.Embedded ? $" in {s.DataDirectory}" : "");
        if (s.SeedDemoData) await SeedDemoDataAsync(_store, s, cancellationToken);
        await WarnWithoutQuestionnaireAsync(_store, cancellationToken);
    }

    /// <summary>
    /// A store filled before the questionnaire had a place of its own (demo 1.0) or loaded from boundaries only has
    /// units but no answers: say so at start, since every readiness request would answer 404.
    /// </summary>
    private async Task WarnWithoutQuestionnaireAsync(ISpatialStore store, CancellationToken ct)
    {
        if ((await store.GetSummaryAsync(ct)).DataVersion == 0) return;
        if ((await AssessmentRepositories.For(store).GetQuestionnaireAsync(ct)).Version > 0) return;
        logger.LogWarning("The store holds no questionnaire answers, so the readiness endpoints have nothing to score. Import some with "
            + "`georeadiness questionnaire import FILE` (the demo's: data/shapefiles/national/questionnaire.csv) or POST /api/questionnaires");
    }

    /// <summary>
    /// Loads the demo dataset into an empty store, all or nothing: its units and features, and its questionnaire
    /// into the store's assessment repository. A store that holds data is left alone.
    /// </summary>
    private async Task SeedDemoDataAsync(ISpatialStore store, StoreSettings s, CancellationToken ct)
    {
        if ((await store.GetSummaryAsync(ct)).DataVersion > 0) return;
        var dir = s.DemoDataDirectory is { Length: > 0 } configured ? configured : FindDemoData();
        if (dir is null)
        {
            logger.LogWarning("The store is empty and no demo dataset (data/shapefiles/{Manifest}) was found: starting empty", DatasetManifest.FileName);
            return;
        }
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await new DatasetLoader().LoadAsync(DatasetManifest.Load(dir), store, ct);
        if (!result.Succeeded)
        {
            var failed = result.Questionnaires.FirstOrDefault(q => !q.Succeeded) is { } q
                ? string.Join(Environment.NewLine, q.Problems.Take(20).Select(p => p.Format(q.Source)))
                : result.Reports.Last().ToText(20);
            throw new InvalidOperationException($"the demo dataset in '{dir}' could not be loaded; the store is unchanged:{Environment.NewLine}{failed}");
        }
        var summary = await store.GetSummaryAsync(ct);
        logger.LogInformation("Loaded the demo dataset from {Directory} in {Seconds:F1} s: {Units} units, data version {Version}, questionnaire version {QuestionnaireVersion}",
            dir, started.Elapsed.TotalSeconds, summary.UnitsPerLevel.Values.Sum(), summary.DataVersion,
            result.Questionnaires.Select(r => r.Summary?.Version ?? 0).DefaultIfEmpty(0).Max());
    }

    /// <summary>data/shapefiles above the app's folder or the working directory (a source checkout).</summary>
    private static string? FindDemoData()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "data", "shapefiles");
                if (File.Exists(Path.Combine(candidate, DatasetManifest.FileName))) return candidate;
            }
        }
        return null;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        switch (_store)
        {
            case IAsyncDisposable d: await d.DisposeAsync(); break;
            case IDisposable d: d.Dispose(); break;
        }
    }
}

public static class StoreHostingExtensions
{
    /// <summary>Registers the spatial store (PostGIS or embedded, per configuration) as a singleton opened at start.</summary>
    public static WebApplicationBuilder AddSpatialStore(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StoreSettings>()
            .BindConfiguration(StoreSettings.Section)
            .PostConfigure<IConfiguration>((s, config) =>
            {
                var cs = config.GetConnectionString("PostGis");
                if (!string.IsNullOrWhiteSpace(cs)) s.PostGisConnectionString = cs;
            })
            .Validate(s => !string.IsNullOrWhiteSpace(s.DataDirectory), "GeoReadiness:Store:DataDirectory must not be empty")
            .ValidateOnStart();
        builder.Services.AddSingleton<StoreHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StoreHost>());
        builder.Services.AddSingleton(sp => sp.GetRequiredService<StoreHost>().Store);
        return builder;
    }
}
