using Npgsql;

namespace GeoReadiness.Bench;

public static class BenchDataSource
{
    /// <summary>A data source like the product's (NetTopologySuite mapping) without a statement timeout, for the
    /// loading step and the hand-tuned SQL.</summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.CommandTimeout = 0;
        builder.UseNetTopologySuite(handleOrdinates: NetTopologySuite.Geometries.Ordinates.XY);
        return builder.Build();
    }
}
