using GeoReadiness.Spatial.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace GeoReadiness.Spatial.Tests.Storage;

/// <summary>
/// A fact of the store contract suite. The suite's methods are inherited by one class per backend, so whether a
/// test can run depends on the concrete class, not on the method: the discoverer looks at the class the test is
/// discovered in. A class marked <see cref="RequiresPostGisAttribute"/> is skipped without <c>PG_CONN</c> outside
/// CI (like <see cref="PostGisFactAttribute"/>); a fact with <see cref="RequiresSharedData"/> is skipped when
/// ../shared/data is absent outside CI. Under <c>CI=true</c> nothing is skipped, so a missing database or data
/// directory fails the run.
/// </summary>
[XunitTestCaseDiscoverer("GeoReadiness.Spatial.Tests.Storage.StoreFactDiscoverer", "GeoReadiness.Spatial.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreFactAttribute : FactAttribute
{
    /// <summary>The test reads real boundaries from <see cref="TestEnvironment.SharedDataDirectory"/>.</summary>
    public bool RequiresSharedData { get; set; }
}

/// <summary>Marks a test class whose store needs PostGIS; see <see cref="StoreFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class RequiresPostGisAttribute : Attribute;

public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public const string NoSharedDataReason = "../shared/data is absent: real-boundary tests need it (under CI=true this test fails instead)";

    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var reason = SkipReason(testMethod, factAttribute);
        return reason is null
            ? base.CreateTestCase(discoveryOptions, testMethod, factAttribute)
            : new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason);
    }

    private static string? SkipReason(ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        if (TestEnvironment.PostGisRequired) return null; // CI: run everything, fail loudly on what is missing
        if (NoPostGisReason(testMethod) is { } noPostGis) return noPostGis;
        if (factAttribute.GetNamedArgument<bool>(nameof(StoreFactAttribute.RequiresSharedData)) && TestEnvironment.SharedDataDirectory is null)
            return NoSharedDataReason;
        return null;
    }

    /// <summary>Why a test of a class marked <see cref="RequiresPostGisAttribute"/> cannot run here, or null.</summary>
    internal static string? NoPostGisReason(ITestMethod testMethod) =>
        TestEnvironment.PostGisConnectionString is null && testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostGisAttribute)).Any()
            ? TestEnvironment.NoPostGisReason
            : null;
}

/// <summary>A theory of a store suite: skipped like <see cref="StoreFactAttribute"/> in a class that needs PostGIS.</summary>
[XunitTestCaseDiscoverer("GeoReadiness.Spatial.Tests.Storage.StoreTheoryDiscoverer", "GeoReadiness.Spatial.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreTheoryAttribute : TheoryAttribute;

public sealed class StoreTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute)
    {
        var reason = TestEnvironment.PostGisRequired ? null : StoreFactDiscoverer.NoPostGisReason(testMethod);
        return reason is null
            ? base.Discover(discoveryOptions, testMethod, theoryAttribute)
            : [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)];
    }
}
