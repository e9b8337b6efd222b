using System.Globalization;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Bench;

/// <summary>
/// The figures of the benchmark job (PERF-NOTES) for one unit: population, people within 4G coverage, fibre
/// length (every status) and, for a village, whether its anchor is within fibre reach; for a regency, how many
/// of its villages are. The extended fields are filled by the engines that compute the product's whole leaf
/// measurement (embedded, product PostGIS, hand-tuned SQL); geopandas runs the PERF-NOTES job only.
/// </summary>
public sealed record UnitFigures
{
    public required string Code { get; init; }
    public long Population { get; init; }
    public long Covered4G { get; init; }
    public double FibreMetres { get; init; }
    /// <summary>Villages on fibre: 0/1 for a village, a count for a regency.</summary>
    public long VillagesOnFibre { get; init; }
    public Extended? More { get; init; }

    public sealed record Extended(long Cells, long Households, long Covered2G, long Covered3G, long Covered5G,
        long HouseholdsInReach, double FibreExistingMetres, double FibrePlannedMetres, int Towers, int Towers4G);
}

/// <summary>Per-village and per-regency figures of one engine.</summary>
public sealed record EngineFigures(IReadOnlyDictionary<string, UnitFigures> Villages, IReadOnlyDictionary<string, UnitFigures> Regencies)
{
    public long TotalPopulation => Villages.Values.Sum(v => v.Population);
    public long TotalCovered4G => Villages.Values.Sum(v => v.Covered4G);
    public double TotalFibreKm => Villages.Values.Sum(v => v.FibreMetres) / 1000;
    public long TotalVillagesOnFibre => Villages.Values.Sum(v => v.VillagesOnFibre);

    /// <summary>From an indicator set: leaves give the villages, the aggregated units of level Regency the regencies.</summary>
    public static EngineFigures From(IndicatorSet set)
    {
        var villages = new Dictionary<string, UnitFigures>(StringComparer.Ordinal);
        foreach (var l in set.Leaves)
        {
            long Cov(RadioTechnology t) => l.CoveredPopulation.GetValueOrDefault(t);
            villages[l.Code] = new UnitFigures
            {
                Code = l.Code,
                Population = l.CellPopulation,
                Covered4G = Cov(RadioTechnology.G4),
                FibreMetres = l.FibreMetres.Values.Sum(),
                VillagesOnFibre = l.VillageOnFibre == true ? 1 : 0,
                More = new UnitFigures.Extended(l.Cells, l.CellHouseholds, Cov(RadioTechnology.G2), Cov(RadioTechnology.G3), Cov(RadioTechnology.G5),
                    l.HouseholdsInReach, l.FibreMetres.GetValueOrDefault(FibreStatus.Existing), l.FibreMetres.GetValueOrDefault(FibreStatus.Planned),
                    l.TowersTotal, l.Towers.GetValueOrDefault(RadioTechnology.G4)),
            };
        }
        var regencies = new Dictionary<string, UnitFigures>(StringComparer.Ordinal);
        foreach (var u in set.Units.Where(u => u.Level == AdminLevel.Regency))
        {
            regencies[u.Code] = new UnitFigures
            {
                Code = u.Code,
                Population = u.Population ?? 0,
                Covered4G = (long)Math.Round(u.Coverage.TryGetValue(RadioTechnology.G4, out var c) ? c.PopulationCovered ?? 0 : 0),
                FibreMetres = u.FibreKm.Values.Sum() * 1000,
                VillagesOnFibre = u.VillagesOnFibre.Count,
            };
        }
        return new EngineFigures(villages, regencies);
    }

    /// <summary>Regency sums of village figures (regency code = the first five characters of a village code).</summary>
    public static Dictionary<string, UnitFigures> SumByRegency(IEnumerable<UnitFigures> villages) =>
        villages.GroupBy(v => v.Code[..5], StringComparer.Ordinal).ToDictionary(g => g.Key, g => new UnitFigures
        {
            Code = g.Key,
            Population = g.Sum(v => v.Population),
            Covered4G = g.Sum(v => v.Covered4G),
            FibreMetres = g.Sum(v => v.FibreMetres),
            VillagesOnFibre = g.Sum(v => v.VillagesOnFibre),
        }, StringComparer.Ordinal);
}

/// <summary>Agreement of one engine with the reference: counts identical, fibre lengths within 0.1 %.</summary>
public sealed record Agreement(string Engine, string Reference, int VillagesCompared, int RegenciesCompared, IReadOnlyList<string> Mismatches, int MismatchCount)
{
    /// <summary>Relative tolerance of fibre lengths; lengths under <see cref="FibreAbsoluteMetres"/> compare absolutely.</summary>
    public const double FibreRelative = 0.001;
    public const double FibreAbsoluteMetres = 0.5;

    public bool Agrees => MismatchCount == 0;

    public static Agreement Check(string engine, EngineFigures figures, string reference, EngineFigures expected, bool extended)
    {
        var problems = new List<string>();
        var count = 0;
        void Problem(string text)
        {
            count++;
            if (problems.Count < 20) problems.Add(text);
        }

        Compare("village", figures.Villages, expected.Villages, extended);
        Compare("regency", figures.Regencies, expected.Regencies, false);
        return new Agreement(engine, reference, expected.Villages.Count, expected.Regencies.Count, problems, count);

        void Compare(string level, IReadOnlyDictionary<string, UnitFigures> actual, IReadOnlyDictionary<string, UnitFigures> wanted, bool more)
        {
            foreach (var (code, w) in wanted)
            {
                if (!actual.TryGetValue(code, out var a))
                {
                    Problem($"{level} {code}: missing");
                    continue;
                }
                Same(level, code, "population", a.Population, w.Population);
                Same(level, code, "covered 4G", a.Covered4G, w.Covered4G);
                Same(level, code, "villages on fibre", a.VillagesOnFibre, w.VillagesOnFibre);
                Length(level, code, "fibre m", a.FibreMetres, w.FibreMetres);
                if (more && a.More is { } am && w.More is { } wm)
                {
                    Same(level, code, "cells", am.Cells, wm.Cells);
                    Same(level, code, "households", am.Households, wm.Households);
                    Same(level, code, "covered 2G", am.Covered2G, wm.Covered2G);
                    Same(level, code, "covered 3G", am.Covered3G, wm.Covered3G);
                    Same(level, code, "covered 5G", am.Covered5G, wm.Covered5G);
                    Same(level, code, "households in 2 km reach", am.HouseholdsInReach, wm.HouseholdsInReach);
                    Same(level, code, "towers", am.Towers, wm.Towers);
                    Same(level, code, "4G towers", am.Towers4G, wm.Towers4G);
                    Length(level, code, "existing fibre m", am.FibreExistingMetres, wm.FibreExistingMetres);
                    Length(level, code, "planned fibre m", am.FibrePlannedMetres, wm.FibrePlannedMetres);
                }
            }
            foreach (var code in actual.Keys.Where(c => !wanted.ContainsKey(c))) Problem($"{level} {code}: not in {reference}");
        }

        void Same(string level, string code, string what, long a, long w)
        {
            if (a != w) Problem($"{level} {code} {what}: {a} vs {w}");
        }

        void Length(string level, string code, string what, double a, double w)
        {
            var diff = Math.Abs(a - w);
            if (diff > FibreAbsoluteMetres && diff > FibreRelative * Math.Abs(w))
                Problem(string.Create(CultureInfo.InvariantCulture, $"{level} {code} {what}: {a:0.0} vs {w:0.0}"));
        }
    }
}
