using System.Diagnostics;
using System.Globalization;
using GeoReadiness.Spatial.Demo;

namespace GeoReadiness.Cli.Commands;

/// <summary><c>georeadiness demo generate [--out DIR] [--seed N]</c>: writes the synthetic demo data set.</summary>
public sealed class DemoGenerateCommand : ICliCommand
{
    public string Name => "demo generate";
    public string Summary => "write the synthetic demo data set (shapefiles, questionnaire, manifest)";
    public string Usage => $"""
        usage: georeadiness demo generate [--out DIR] [--seed N]

          Generates the synthetic demo data set — a kabupaten modelled on Padang Pariaman with kecamatan, nagari,
          population cells, facilities, fibre and towers, and the national provinces and kab/kota with a
          questionnaire — and writes it below DIR (default data/shapefiles) with manifest.json and README.md.
          The same seed (default {DemoOptions.DefaultSeed}) always gives byte-identical files.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("out", "seed");
        if (args.Positionals.Count > 0) throw new CliUsageException($"unexpected argument '{args.Positionals[0]}'");
        var outDir = args.Option("out") ?? Path.Combine("data", "shapefiles");
        var seed = args.Option("seed") is { } s
            ? (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new CliUsageException($"--seed expects a whole number, got '{s}'"))
            : DemoOptions.DefaultSeed;
        cancellationToken.ThrowIfCancellationRequested();

        var clock = Stopwatch.StartNew();
        var data = DemoGenerator.Generate(new DemoOptions { Seed = seed });
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<DemoLayerFile> files;
        try
        {
            files = DemoFiles.Write(data, outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"cannot write to '{outDir}': {e.Message}");
        }
        var f = DemoFigures.Of(data);
        var inv = CultureInfo.InvariantCulture;
        context.Out.WriteLine(string.Create(inv, $"demo data set (seed {seed}, generator {data.GeneratorVersion}) written to {Path.GetFullPath(outDir)} in {clock.Elapsed.TotalSeconds:F1} s"));
        foreach (var file in files) context.Out.WriteLine(string.Create(inv, $"  {file.Path,-40} {file.Layer,-11} {file.Records,6}"));
        context.Out.WriteLine(string.Create(inv, $"  13.05: {f.KabupatenAreaKm2:F1} km², {f.Population:N0} people, {f.Households:N0} households; planned fibre {f.PlannedFibreKm:F3} km"));
        return Task.FromResult(0);
    }
}
