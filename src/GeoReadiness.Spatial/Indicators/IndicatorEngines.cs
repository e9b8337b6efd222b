using GeoReadiness.Spatial.Indicators.Embedded;
using GeoReadiness.Spatial.Indicators.PostGis;
using GeoReadiness.Spatial.Indicators.Storage;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Storage.PostGis;
using Microsoft.Extensions.Logging;

namespace GeoReadiness.Spatial.Indicators;

/// <summary>The indicator engine and result repository that belong to a store: each store is measured by its own engine.</summary>
public static class IndicatorEngines
{
    /// <summary>The engine names, as <see cref="IIndicatorEngine.Name"/> gives them.</summary>
    public const string Embedded = "embedded";
    public const string PostGis = "postgis";

    /// <summary>The engine that measures this store: embedded (NetTopologySuite) or PostGIS (SQL).</summary>
    /// <exception cref="NotSupportedException">the store is of another kind.</exception>
    public static IIndicatorEngine For(ISpatialStore store) => store switch
    {
        EmbeddedStore embedded => new EmbeddedIndicatorEngine(embedded),
        PostGisStore postGis => new PostGisIndicatorEngine(postGis),
        _ => throw new NotSupportedException($"no indicator engine for a {store.Kind} store"),
    };

    /// <summary>The name of the engine that measures stores of this kind.</summary>
    public static string NameFor(StoreKind kind) => kind == StoreKind.PostGis ? PostGis : Embedded;

    /// <summary>Where results of this store are kept: next to its data (embedded) or in its database (PostGIS).</summary>
    public static IIndicatorRepository RepositoryFor(ISpatialStore store, ILoggerFactory? loggerFactory = null) => store switch
    {
        EmbeddedStore embedded => new EmbeddedIndicatorRepository(
            Path.Combine(embedded.Directory, EmbeddedIndicatorRepository.FolderName), loggerFactory?.CreateLogger<EmbeddedIndicatorRepository>()),
        PostGisStore postGis => new PostGisIndicatorRepository(postGis),
        _ => throw new NotSupportedException($"no indicator repository for a {store.Kind} store"),
    };

    /// <summary>The service that keeps this store's indicators current, with the store's engine and repository.</summary>
    public static IndicatorService ServiceFor(ISpatialStore store, ILoggerFactory? loggerFactory = null) =>
        new(store, For(store), RepositoryFor(store, loggerFactory), loggerFactory?.CreateLogger<IndicatorService>());
}
