using System.Diagnostics;
using System.Text;
using Npgsql;

namespace GeoReadiness.Bench;

/// <summary>
/// Runs bench/sql/handtuned.sql: statement by statement on one connection, each timed under the label of the
/// "-- step: …" comment above it, then reads its result tables bench.leaf and bench.regency.
/// </summary>
public sealed class HandTunedSql(string path)
{
    public sealed record Statement(string Label, string Sql);

    public IReadOnlyList<Statement> Statements { get; } = Parse(File.ReadAllText(path));

    public static IReadOnlyList<Statement> Parse(string script)
    {
        var result = new List<Statement>();
        var label = "setup";
        var sql = new StringBuilder();
        foreach (var raw in script.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.StartsWith("-- step:", StringComparison.Ordinal))
            {
                label = trimmed["-- step:".Length..].Trim();
                continue;
            }
            if (trimmed.StartsWith("--", StringComparison.Ordinal) || (trimmed.Length == 0 && sql.Length == 0)) continue;
            sql.AppendLine(line);
            if (trimmed.EndsWith(';'))
            {
                result.Add(new Statement(label, sql.ToString().Trim()));
                sql.Clear();
            }
        }
        if (sql.ToString().Trim().Length > 0) result.Add(new Statement(label, sql.ToString().Trim()));
        return result;
    }

    /// <summary>One run of the whole script; returns the seconds spent per step label, in script order.</summary>
    public async Task<IReadOnlyList<(string Label, double Seconds)>> RunAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var steps = new List<(string Label, double Seconds)>();
        foreach (var statement in Statements)
        {
            var clock = Stopwatch.StartNew();
            await using (var cmd = new NpgsqlCommand(statement.Sql, connection) { CommandTimeout = 0 })
                await cmd.ExecuteNonQueryAsync();
            var s = clock.Elapsed.TotalSeconds;
            var i = steps.FindIndex(x => x.Label == statement.Label);
            if (i >= 0) steps[i] = (statement.Label, steps[i].Seconds + s);
            else steps.Add((statement.Label, s));
        }
        return steps;
    }

    public static async Task<EngineFigures> ReadAsync(NpgsqlDataSource dataSource)
    {
        var villages = new Dictionary<string, UnitFigures>(StringComparer.Ordinal);
        await using (var cmd = dataSource.CreateCommand(
            "SELECT code, cells, population, households, cov2g, cov3g, cov4g, cov5g, hh_reach, fibre_existing_m, fibre_planned_m, fibre_m, on_fibre, towers, towers_4g FROM bench.leaf"))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                var code = r.GetString(0);
                villages[code] = new UnitFigures
                {
                    Code = code,
                    Population = r.GetInt64(2),
                    Covered4G = r.GetInt64(6),
                    FibreMetres = r.GetDouble(11),
                    VillagesOnFibre = r.GetBoolean(12) ? 1 : 0,
                    More = new UnitFigures.Extended(r.GetInt64(1), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(7), r.GetInt64(8),
                        r.GetDouble(9), r.GetDouble(10), r.GetInt32(13), r.GetInt32(14)),
                };
            }
        }
        var regencies = new Dictionary<string, UnitFigures>(StringComparer.Ordinal);
        await using (var cmd = dataSource.CreateCommand("SELECT code, population, cov4g, fibre_m, villages_on_fibre FROM bench.regency"))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                var code = r.GetString(0);
                regencies[code] = new UnitFigures { Code = code, Population = r.GetInt64(1), Covered4G = r.GetInt64(2), FibreMetres = r.GetDouble(3), VillagesOnFibre = r.GetInt64(4) };
            }
        }
        return new EngineFigures(villages, regencies);
    }
}
