using GeoReadiness.Spatial.Demo;

namespace GeoReadiness.Spatial.Tests.Demo;

[Collection(DemoCollection.Name)]
public sealed class DemoRegenciesTests(DemoFixture fixture)
{
    [Fact]
    public void TheCodeListIsTheGeneratedNationalLayersKabKota()
    {
        var list = DemoRegencies.National();

        Assert.Equal(514, list.Count);
        Assert.Equal(
            fixture.Data.Regencies.OrderBy(r => r.Code, StringComparer.Ordinal).Select(r => (r.Code, r.ParentCode, r.Kind)),
            list.Select(r => (r.Code, (string?)r.ProvinceCode, r.Kind)));
    }
}
