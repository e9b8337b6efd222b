using GeoReadiness.Spatial.Demo;

namespace GeoReadiness.Spatial.Tests.Demo;

/// <summary>The default demo data set, generated once for all demo tests, in memory and rendered to bytes.</summary>
public sealed class DemoFixture
{
    public DemoDataset Data { get; } = DemoGenerator.Generate(new DemoOptions());

    private IReadOnlyList<(string Path, byte[] Content)>? _files;

    public IReadOnlyList<(string Path, byte[] Content)> Files => _files ??= DemoFiles.Render(Data);
}

[CollectionDefinition(Name)]
public sealed class DemoCollection : ICollectionFixture<DemoFixture>
{
    public const string Name = "demo data";
}

/// <summary>A temporary directory removed on dispose.</summary>
public sealed class DemoTempDir : IDisposable
{
    public DemoTempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gr-demo-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
