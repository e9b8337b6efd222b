using System.Collections;
using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using NetTopologySuite.IO;

namespace GeoReadiness.Spatial.Tests.Indicators;

/// <summary>
/// One golden file of TestData/indicators: units, towers, fibre, facilities and cells as WKT with their attributes,
/// option overrides, and expected numbers with absolute tolerances. Each file explains how its numbers were derived.
/// </summary>
/// <remarks>
/// An expectation names a leaf measure (<c>"leaf"</c>, a path into <see cref="LeafMeasures"/>), a unit indicator
/// (<c>"unit"</c>, a path into <see cref="UnitIndicators"/>) or an unassigned count (<c>"unassigned"</c>, a property of
/// <see cref="UnassignedFeatures"/>). A path is dot-separated property names; a map is indexed by its enum key's
/// name, a missing key reading as 0 (maps are sparse).
/// </remarks>
public sealed record GoldenCase(string Name, string Title, DatasetChange Change, IndicatorOptions Options, IReadOnlyList<JsonElement> Expectations)
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "TestData", "indicators");

    public static IEnumerable<object[]> Names() =>
        System.IO.Directory.GetFiles(Directory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).Select(n => new object[] { n! });

    public static GoldenCase Load(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, name + ".json")));
        var root = doc.RootElement.Clone();
        var wkt = new WKTReader(Geo.Factory.GeometryServices);
        NetTopologySuite.Geometries.Geometry Read(JsonElement e, string property) => Geo.Factory.CreateGeometry(wkt.Read(e.GetProperty(property).GetString()));
        static IEnumerable<JsonElement> Array(JsonElement root, string property) =>
            root.TryGetProperty(property, out var a) ? a.EnumerateArray() : [];

        var units = Array(root, "units").Select(u =>
        {
            var code = u.GetProperty("code").GetString()!;
            return new AdminUnit
            {
                Code = code,
                Name = u.GetProperty("name").GetString()!,
                Level = KemendagriCode.LevelOf(code),
                Kind = Enum.Parse<UnitKind>(u.GetProperty("kind").GetString()!),
                ParentCode = KemendagriCode.ParentOf(code),
                Geometry = Geo.AsMultiPolygon(Read(u, "wkt")),
                Population = u.TryGetProperty("population", out var p) ? p.GetInt64() : null,
                Households = u.TryGetProperty("households", out var h) ? h.GetInt64() : null,
            };
        }).ToArray();
        var towers = Array(root, "towers").Select(t => new Tower
        {
            Id = t.GetProperty("id").GetString()!,
            Location = (NetTopologySuite.Geometries.Point)Read(t, "wkt"),
            Technologies = t.GetProperty("technologies").EnumerateArray().Select(x => Enum.Parse<RadioTechnology>(x.GetString()!)).ToImmutableSortedSet(),
            RadiusMetres = t.TryGetProperty("radiusMetres", out var r)
                ? r.EnumerateObject().ToImmutableSortedDictionary(kv => Enum.Parse<RadioTechnology>(kv.Name), kv => kv.Value.GetDouble())
                : ImmutableSortedDictionary<RadioTechnology, double>.Empty,
            CoverageArea = t.TryGetProperty("coverageWkt", out _) ? Geo.AsMultiPolygon(Read(t, "coverageWkt")) : null,
        }).ToArray();
        var fibre = Array(root, "fibre").Select(f => new FibreRoute
        {
            Id = f.GetProperty("id").GetString()!,
            Geometry = Geo.AsMultiLineString(Read(f, "wkt")),
            Status = Enum.Parse<FibreStatus>(f.GetProperty("status").GetString()!),
        }).ToArray();
        var facilities = Array(root, "facilities").Select(f => new Facility
        {
            Id = f.GetProperty("id").GetString()!,
            Location = (NetTopologySuite.Geometries.Point)Read(f, "wkt"),
            Kind = Enum.Parse<FacilityKind>(f.GetProperty("kind").GetString()!),
            UnitCode = f.TryGetProperty("unitCode", out var c) ? c.GetString() : null,
        }).ToArray();
        var cells = Array(root, "cells").Select(c => new PopulationCell
        {
            Id = c.GetProperty("id").GetString()!,
            Geometry = Read(c, "wkt"),
            Population = c.GetProperty("population").GetInt32(),
            Households = c.GetProperty("households").GetInt32(),
        }).ToArray();

        var options = IndicatorOptions.Default;
        if (root.TryGetProperty("options", out var o))
        {
            options = JsonSerializer.Deserialize<IndicatorOptions>(o.GetRawText(), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        }
        var change = new DatasetChange
        {
            Source = "golden case " + name,
            Units = units,
            Towers = towers,
            FibreRoutes = fibre,
            Facilities = facilities,
            PopulationCells = cells,
        };
        return new GoldenCase(name, root.GetProperty("case").GetString()!, change, options, root.GetProperty("expect").EnumerateArray().ToArray());
    }

    /// <summary>Checks every expectation against a measurement and its aggregation; returns the failures (empty = all hold).</summary>
    public IReadOnlyList<string> Check(EngineMeasurement measurement, IReadOnlyList<UnitIndicators> units)
    {
        var failures = new List<string>();
        foreach (var e in Expectations)
        {
            object? actual;
            string what;
            if (e.TryGetProperty("leaf", out var leaf))
            {
                what = $"leaf {leaf.GetString()} {e.GetProperty("path").GetString()}";
                var m = measurement.Leaves.SingleOrDefault(l => l.Code == leaf.GetString());
                actual = m is null ? "<not measured>" : Resolve(m, e.GetProperty("path").GetString()!);
            }
            else if (e.TryGetProperty("unit", out var unit))
            {
                what = $"unit {unit.GetString()} {e.GetProperty("path").GetString()}";
                var u = units.SingleOrDefault(x => x.Code == unit.GetString());
                actual = u is null ? "<no such unit>" : Resolve(u, e.GetProperty("path").GetString()!);
            }
            else
            {
                what = $"unassigned {e.GetProperty("unassigned").GetString()}";
                actual = Resolve(measurement.Unassigned, e.GetProperty("unassigned").GetString()!);
            }
            var expected = e.GetProperty("value");
            if (!Matches(expected, actual, e.TryGetProperty("tolerance", out var t) ? t.GetDouble() : 0))
                failures.Add($"{Name}: {what}: expected {expected.GetRawText()}, got {Format(actual)}");
        }
        return failures;
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
    };

    private static bool Matches(JsonElement expected, object? actual, double tolerance) => expected.ValueKind switch
    {
        JsonValueKind.Null => actual is null,
        JsonValueKind.True or JsonValueKind.False => actual is bool b && b == expected.GetBoolean(),
        JsonValueKind.String => actual is not null && Format(actual) == expected.GetString(),
        JsonValueKind.Number => actual is not null and not string and not bool
                                && Math.Abs(Convert.ToDouble(actual, CultureInfo.InvariantCulture) - expected.GetDouble()) <= tolerance,
        _ => false,
    };

    /// <summary>Follows a dot-separated path of property names and enum map keys.</summary>
    private static object? Resolve(object? target, string path)
    {
        foreach (var segment in path.Split('.'))
        {
            if (target is null) return null;
            var type = target.GetType();
            var map = type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));
            if (map is not null && map.GetGenericArguments()[0].IsEnum)
            {
                var key = Enum.Parse(map.GetGenericArguments()[0], segment);
                var found = false;
                object? value = null;
                foreach (var item in (IEnumerable)target)
                {
                    var itemType = item.GetType();
                    if (Equals(itemType.GetProperty("Key")!.GetValue(item), key))
                    {
                        value = itemType.GetProperty("Value")!.GetValue(item);
                        found = true;
                    }
                }
                target = found ? value : Activator.CreateInstance(map.GetGenericArguments()[1]);
                continue;
            }
            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new InvalidOperationException($"{type.Name} has no property '{segment}' (path '{path}')");
            target = property.GetValue(target);
        }
        return target;
    }
}
