using System.Text.Json;
using System.Text.Json.Serialization;
using NetTopologySuite.IO.Converters;

namespace GeoReadiness.Api.Infrastructure;

public static class ApiConventions
{
    /// <summary>JSON (camelCase, enums as camelCase strings, NTS geometry as GeoJSON), ProblemDetails for every error, OpenAPI.</summary>
    public static WebApplicationBuilder AddApiConventions(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            o.SerializerOptions.Converters.Add(new GeoJsonConverterFactory());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "GeoReadiness API";
            doc.Info.Description = "Smart-city readiness of Indonesian regions, from the ground up: the administrative hierarchy "
                + "(province → kabupaten/kota → kecamatan → desa/kelurahan/nagari) with fibre, towers, facilities and population.";
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication UseApiConventions(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();   // /openapi/v1.json
        Scalar.AspNetCore.ScalarEndpointRouteBuilderExtensions.MapScalarApiReference(app, "/docs");
        return app;
    }
}
