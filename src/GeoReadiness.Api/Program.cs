using GeoReadiness.Api.Cohorts;
using GeoReadiness.Api.Forecasts;
using GeoReadiness.Api.Health;
using GeoReadiness.Api.Hosting;
using GeoReadiness.Api.Indicators;
using GeoReadiness.Api.Infrastructure;
using GeoReadiness.Api.Readiness;
using GeoReadiness.Api.Scenarios;
using GeoReadiness.Api.Units;

var builder = WebApplication.CreateBuilder(args);
builder.AddApiConventions();
builder.AddApiKeys();
builder.AddSpatialStore();
builder.AddIndicators();
builder.AddReadiness();
builder.AddScenarios();
builder.AddForecasts();

var app = builder.Build();
app.UseApiConventions();
app.MapHealth();
app.MapUnits();
app.MapIndicators();
app.MapReadiness();
app.MapProfiles();
app.MapQuestionnaires();
app.MapScenarios();
app.MapRuns();
app.MapForecasts();
app.MapCohorts();
app.Run();

/// <summary>Entry point; public so that tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
