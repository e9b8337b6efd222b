using System.Reflection;
using GeoReadiness.Spatial.Indicators;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace GeoReadiness.Bench;

/// <summary>
/// Finds the product's PostGIS indicator engine by name and builds it from what the benchmark has (the store, a
/// data source, a connection string), so the harness builds and runs, with a clear "not available" line, before
/// that engine has landed.
/// </summary>
public static class EngineFactory
{
    public const string PostGis = "PostGisIndicatorEngine";

    public static Type? Find(string typeName) =>
        typeof(IIndicatorEngine).Assembly.GetTypes().FirstOrDefault(t =>
            t.Name == typeName && typeof(IIndicatorEngine).IsAssignableFrom(t) && !t.IsAbstract);

    /// <summary>Builds the engine from the first public constructor or static factory whose every parameter can be
    /// supplied from <paramref name="available"/> (by type), an optional default, or a null logger.</summary>
    public static async Task<IIndicatorEngine> CreateAsync(Type type, params object[] available)
    {
        var candidates = type.GetConstructors().Cast<MethodBase>()
            .Concat(type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m =>
                m.ReturnType == type || m.ReturnType == typeof(Task<>).MakeGenericType(type) || m.ReturnType == typeof(ValueTask<>).MakeGenericType(type)))
            .OrderByDescending(m => m.GetParameters().Count(p => Supply(p, available) is not null));
        var tried = new List<string>();
        foreach (var method in candidates)
        {
            var parameters = method.GetParameters();
            var args = new object?[parameters.Length];
            var ok = true;
            for (var i = 0; i < parameters.Length && ok; i++)
            {
                var p = parameters[i];
                var value = Supply(p, available);
                if (value is not null) args[i] = value;
                else if (typeof(ILogger).IsAssignableFrom(p.ParameterType)) args[i] = NullLogger.Instance;
                else if (p.ParameterType == typeof(CancellationToken)) args[i] = CancellationToken.None;
                else if (p.HasDefaultValue) args[i] = p.DefaultValue;
                else ok = false;
            }
            tried.Add(method.ToString() ?? method.Name);
            if (!ok) continue;
            var result = method is ConstructorInfo c ? c.Invoke(args) : method.Invoke(null, args);
            return result switch
            {
                IIndicatorEngine e => e,
                Task t => (IIndicatorEngine)await UnwrapAsync(t),
                _ => await UnwrapValueTaskAsync(result!),
            };
        }
        throw new InvalidOperationException($"cannot build {type.Name}: no constructor or factory could be supplied ({string.Join("; ", tried)})");
    }

    private static object? Supply(ParameterInfo p, object[] available) =>
        available.FirstOrDefault(a => p.ParameterType.IsInstanceOfType(a));

    private static async Task<object> UnwrapAsync(Task task)
    {
        await task;
        return task.GetType().GetProperty("Result")!.GetValue(task)!;
    }

    private static async Task<IIndicatorEngine> UnwrapValueTaskAsync(object valueTask)
    {
        var asTask = (Task)valueTask.GetType().GetMethod("AsTask")!.Invoke(valueTask, null)!;
        return (IIndicatorEngine)await UnwrapAsync(asTask);
    }

    /// <summary>A data source like the product's: NetTopologySuite mapping, no statement timeout.</summary>
    public static NpgsqlDataSource DataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.CommandTimeout = 0;
        builder.UseNetTopologySuite(handleOrdinates: NetTopologySuite.Geometries.Ordinates.XY);
        return builder.Build();
    }
}
