using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Demo;

/// <summary>A kabupaten/kota of the demo's national layer, without its geometry or invented name.</summary>
/// <param name="Code">Kemendagri code, e.g. <c>13.05</c> (kabupaten numbered from 01, kota from 71)</param>
/// <param name="ProvinceCode">e.g. <c>13</c></param>
public sealed record DemoRegency(string Code, string ProvinceCode, UnitKind Kind);

/// <summary>
/// The codes of the 514 kabupaten/kota the demo generator draws for the 38 provinces (the province table's counts),
/// without generating any geometry: for tools that need the national list of units but no map, such as the synthetic
/// training history of <c>georeadiness model … --synthetic</c>.
/// </summary>
public static class DemoRegencies
{
    /// <summary>Every kabupaten/kota of the national demo layer, ordered by code.</summary>
    public static IReadOnlyList<DemoRegency> National() => NationalGenerator.ProvinceTable
        .SelectMany(p => Enumerable.Range(1, p.Kabupaten).Select(n => new DemoRegency($"{p.Code}.{n:00}", p.Code, UnitKind.Kabupaten))
            .Concat(Enumerable.Range(71, p.Kota).Select(n => new DemoRegency($"{p.Code}.{n}", p.Code, UnitKind.Kota))))
        .OrderBy(r => r.Code, StringComparer.Ordinal)
        .ToList();
}
