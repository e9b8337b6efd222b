using System.Data;
using System.Globalization;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage.PostGis;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace GeoReadiness.Spatial.Indicators.PostGis;

/// <summary>
/// The indicator engine over a <see cref="PostGisStore"/>: set-based SQL, one statement per indicator family
/// (<see cref="PostGisIndicatorSql"/>), all inside one REPEATABLE READ, read-only transaction so that the units,
/// the leaves' measures and the data version come from one consistent snapshot.
/// </summary>
/// <remarks>
/// <para>Scope: the leaves to measure are chosen in C# from the units' exact envelopes with
/// <see cref="MeasureScope.Includes"/> and passed as an array of codes. A point is assigned among those leaves and
/// the leaves whose envelope meets one of theirs, which are the only other leaves that can cover a point of a
/// measured leaf — so the smallest-code rule gives the same owner as in a full measurement.</para>
/// <para>Thread-safe: every measurement takes its own pooled connection.</para>
/// </remarks>
public sealed class PostGisIndicatorEngine : IIndicatorEngine
{
    private static readonly RadioTechnology[] Technologies = Enum.GetValues<RadioTechnology>();
    private static readonly FibreStatus[] Statuses = Enum.GetValues<FibreStatus>();
    private static readonly FacilityKind[] Kinds = Enum.GetValues<FacilityKind>();

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeSpan _statementTimeout;

    /// <param name="store">the store to measure</param>
    /// <param name="statementTimeout">longest one family's statement may run (default 10 minutes: a national
    /// measurement takes far longer than the store's query timeout)</param>
    public PostGisIndicatorEngine(PostGisStore store, TimeSpan? statementTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _dataSource = store.DataSource;
        _statementTimeout = statementTimeout ?? TimeSpan.FromMinutes(10);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_statementTimeout, TimeSpan.Zero, nameof(statementTimeout));
    }

    public string Name => "postgis";

    /// <summary>Stages reported through the progress callback, in order.</summary>
    public static IReadOnlyList<string> Stages { get; } =
        ["units", "cells", "towers", "facilities", "villages", "fibre", "covered area", "household reach", "unassigned"];

    public async Task<EngineMeasurement> MeasureAsync(
        IndicatorOptions options,
        MeasureScope scope,
        IProgress<IndicatorProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scope);
        options.EnsureValid();

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var run = new Run(connection, tx, progress, cancellationToken);
        await run.ExecuteAsync("SET TRANSACTION READ ONLY").ConfigureAwait(false);
        await run.ExecuteAsync(PostGisIndicatorSql.Settings, PostGisStore.Milliseconds(_statementTimeout), "256MB").ConfigureAwait(false);

        var version = Convert.ToInt64(await run.ScalarAsync(PostGisIndicatorSql.DataVersion).ConfigureAwait(false), CultureInfo.InvariantCulture);

        // ---- units: the hierarchy, areas, leaves and the scope
        run.Start("units", 0);
        var units = new List<UnitNode>();
        var envelopes = new Dictionary<string, Envelope>(StringComparer.Ordinal);
        await run.ReadAsync(PostGisIndicatorSql.Units, [], r =>
        {
            var code = r.GetString(0);
            var isLeaf = r.GetBoolean(7);
            units.Add(new UnitNode(code, r.GetString(1), (AdminLevel)r.GetInt16(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetInt64(4), r.IsDBNull(5) ? null : r.GetInt64(5), r.GetDouble(6), isLeaf));
            if (isLeaf) envelopes[code] = new Envelope(r.GetDouble(8), r.GetDouble(10), r.GetDouble(9), r.GetDouble(11));
        }).ConfigureAwait(false);
        var leaves = units.Where(u => u.IsLeaf).ToArray();
        var measured = leaves.Where(u => scope.Includes(envelopes[u.Code])).ToArray();
        var total = measured.Length;
        run.Done("units", total);

        var whole = scope.Areas is null;
        string[]? measuredCodes = whole ? null : measured.Select(u => u.Code).ToArray();
        string[]? assignableCodes = whole ? null : Neighbours(measured, leaves, envelopes);
        var acc = measured.ToDictionary(u => u.Code, u => new LeafAccumulator(u), StringComparer.Ordinal);

        var radii = Technologies.Select(t => options.DefaultRadiusMetres[t]).ToArray();
        var maxRadius = Convert.ToDouble(await run.ScalarAsync(PostGisIndicatorSql.MaxTowerRadius, radii[0], radii[1], radii[2], radii[3]).ConfigureAwait(false),
            CultureInfo.InvariantCulture);

        // ---- cells
        run.Start("cells", total);
        long cellsAssigned = 0;
        await run.ReadAsync(PostGisIndicatorSql.Cells,
            [Codes(measuredCodes), Codes(assignableCodes), radii[0], radii[1], radii[2], radii[3], maxRadius, options.HouseholdReachMetres], r =>
            {
                var a = acc[r.GetString(0)];
                a.Cells = r.GetInt64(1);
                a.CellPopulation = r.GetInt64(2);
                a.CellHouseholds = r.GetInt64(3);
                for (var t = 0; t < Technologies.Length; t++) a.CoveredPopulation[t] = r.GetInt64(4 + t);
                a.HouseholdsInReach = r.GetInt64(8);
                cellsAssigned += a.Cells;
            }).ConfigureAwait(false);
        run.Done("cells", total);

        // ---- towers
        run.Start("towers", total);
        long towersAssigned = 0;
        await run.ReadAsync(PostGisIndicatorSql.Towers, [Codes(measuredCodes), Codes(assignableCodes)], r =>
        {
            if (r.IsDBNull(0))
            {
                towersAssigned = r.GetInt64(1);
                return;
            }
            var a = acc[r.GetString(0)];
            a.TowersTotal = (int)r.GetInt64(1);
            for (var t = 0; t < Technologies.Length; t++) a.Towers[t] = (int)r.GetInt64(2 + t);
        }).ConfigureAwait(false);
        run.Done("towers", total);

        // ---- facilities
        run.Start("facilities", total);
        long facilitiesAssigned = 0;
        await run.ReadAsync(PostGisIndicatorSql.Facilities, [Codes(measuredCodes), Codes(assignableCodes), options.FibreReachMetres], r =>
        {
            if (r.IsDBNull(0))
            {
                facilitiesAssigned = r.GetInt64(2);
                return;
            }
            var a = acc[r.GetString(0)];
            var kind = (int)Enum.Parse<FacilityKind>(r.GetString(1));
            a.Facilities[kind] = (int)r.GetInt64(2);
            a.FacilitiesOnFibre[kind] = (int)r.GetInt64(3);
        }).ConfigureAwait(false);
        run.Done("facilities", total);

        // ---- villages on fibre
        run.Start("villages", total);
        await run.ReadAsync(PostGisIndicatorSql.Villages, [Codes(measuredCodes), options.FibreReachMetres], r =>
        {
            var a = acc[r.GetString(0)];
            a.AnchorIsOffice = r.GetBoolean(1);
            a.VillageOnFibre = r.GetBoolean(2);
        }).ConfigureAwait(false);
        run.Done("villages", total);

        // ---- fibre lengths
        run.Start("fibre", total);
        await run.ReadAsync(PostGisIndicatorSql.Fibre, [Codes(measuredCodes)], r =>
        {
            var a = acc[r.GetString(0)];
            a.FibreMetres[(int)Enum.Parse<FibreStatus>(r.GetString(1))] += r.GetDouble(2);
        }).ConfigureAwait(false);
        run.Done("fibre", total);

        // ---- leaves without cells: coverage by area, household reach by area share
        var uniform = acc.Values.Where(a => a.Cells == 0).Select(a => a.Node.Code).ToArray();
        run.Start("covered area", uniform.Length);
        if (uniform.Length > 0)
        {
            await run.ReadAsync(PostGisIndicatorSql.CoveredArea,
                [Codes(uniform), radii[0], radii[1], radii[2], radii[3], options.CircleVertices, maxRadius], r =>
                {
                    var a = acc[r.GetString(0)];
                    a.CoveredAreaM2[r.GetInt16(1) - (int)RadioTechnology.G2] = r.GetDouble(2);
                }).ConfigureAwait(false);
        }
        run.Done("covered area", uniform.Length);

        run.Start("household reach", uniform.Length);
        if (uniform.Length > 0)
        {
            await run.ReadAsync(PostGisIndicatorSql.ReachShare,
                [Codes(uniform), options.HouseholdReachMetres, options.BufferQuadrantSegments], r =>
                {
                    acc[r.GetString(0)].ReachAreaShare = r.GetDouble(1);
                }).ConfigureAwait(false);
        }
        run.Done("household reach", uniform.Length);

        // ---- point features in no leaf
        UnassignedFeatures unassigned;
        run.Start("unassigned", 0);
        if (whole)
        {
            var counts = await run.RowAsync(PostGisIndicatorSql.LayerCounts).ConfigureAwait(false);
            unassigned = new UnassignedFeatures(counts[0] - cellsAssigned, counts[1] - towersAssigned, counts[2] - facilitiesAssigned);
        }
        else
        {
            var counts = await run.RowAsync(PostGisIndicatorSql.Unassigned).ConfigureAwait(false);
            unassigned = new UnassignedFeatures(counts[0], counts[1], counts[2]);
        }
        run.Done("unassigned", 0);

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new EngineMeasurement(version, units, measured.Select(u => acc[u.Code].ToMeasures()).ToArray(), unassigned);
    }

    /// <summary>The measured leaves and every leaf whose envelope meets one of theirs, by code.</summary>
    private static string[] Neighbours(UnitNode[] measured, UnitNode[] leaves, Dictionary<string, Envelope> envelopes)
    {
        var boxes = measured.Select(u => envelopes[u.Code]).ToArray();
        return leaves.Where(l => boxes.Any(b => b.Intersects(envelopes[l.Code]))).Select(l => l.Code).ToArray();
    }

    private static NpgsqlParameter Codes(string[]? codes) =>
        new() { Value = (object?)codes ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    /// <summary>One measurement's connection, transaction, cancellation and progress.</summary>
    private sealed class Run(NpgsqlConnection connection, NpgsqlTransaction tx, IProgress<IndicatorProgress>? progress, CancellationToken cancellationToken)
    {
        public void Start(string stage, int total) => progress?.Report(new IndicatorProgress(stage, 0, total));

        public void Done(string stage, int total) => progress?.Report(new IndicatorProgress(stage, total, total));

        private NpgsqlCommand Command(string sql, object[] parameters)
        {
            // Every statement is a constant of PostGisIndicatorSql; values travel as parameters.
#pragma warning disable CA2100
            var cmd = new NpgsqlCommand(sql, connection, tx) { CommandTimeout = 0 }; // bounded by statement_timeout
#pragma warning restore CA2100
            foreach (var p in parameters) cmd.Parameters.Add(p as NpgsqlParameter ?? new NpgsqlParameter { Value = p });
            return cmd;
        }

        public async Task ExecuteAsync(string sql, params object[] parameters)
        {
            await using var cmd = Command(sql, parameters);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task<object?> ScalarAsync(string sql, params object[] parameters)
        {
            await using var cmd = Command(sql, parameters);
            return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task<long[]> RowAsync(string sql)
        {
            await using var cmd = Command(sql, []);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var row = new long[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.GetInt64(i);
            return row;
        }

        public async Task ReadAsync(string sql, object[] parameters, Action<NpgsqlDataReader> row)
        {
            await using var cmd = Command(sql, parameters);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) row(reader);
        }
    }

    /// <summary>The measures of one leaf as the families fill them in.</summary>
    private sealed class LeafAccumulator(UnitNode node)
    {
        public UnitNode Node { get; } = node;
        public long Cells, CellPopulation, CellHouseholds, HouseholdsInReach;
        public double ReachAreaShare;
        public readonly long[] CoveredPopulation = new long[Technologies.Length];
        public readonly double[] CoveredAreaM2 = new double[Technologies.Length];
        public readonly double[] FibreMetres = new double[Statuses.Length];
        public readonly int[] Facilities = new int[Kinds.Length];
        public readonly int[] FacilitiesOnFibre = new int[Kinds.Length];
        public readonly int[] Towers = new int[Technologies.Length];
        public int TowersTotal;
        public bool? VillageOnFibre, AnchorIsOffice;

        public LeafMeasures ToMeasures()
        {
            var cells = Cells > 0;
            return new LeafMeasures
            {
                Code = Node.Code,
                Method = cells ? PopulationMethod.Cells : PopulationMethod.UniformArea,
                Cells = Cells,
                CellPopulation = CellPopulation,
                CellHouseholds = CellHouseholds,
                CoveredPopulation = EnumMap<RadioTechnology, long>.Sparse(CoveredPopulation),
                CoveredAreaM2 = EnumMap<RadioTechnology, double>.Sparse(cells ? new double[Technologies.Length] : CoveredAreaM2),
                HouseholdsInReach = HouseholdsInReach,
                ReachAreaShare = cells ? 0 : ReachAreaShare,
                FibreMetres = EnumMap<FibreStatus, double>.Sparse(FibreMetres),
                VillageOnFibre = Node.Level == AdminLevel.Village ? VillageOnFibre ?? false : null,
                AnchorIsOffice = Node.Level == AdminLevel.Village ? AnchorIsOffice ?? false : null,
                Facilities = EnumMap<FacilityKind, int>.Sparse(Facilities),
                FacilitiesOnFibre = EnumMap<FacilityKind, int>.Sparse(FacilitiesOnFibre),
                Towers = EnumMap<RadioTechnology, int>.Sparse(Towers),
                TowersTotal = TowersTotal,
            };
        }
    }
}
