using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace GeoReadiness.Api.Infrastructure;

/// <summary>Configuration section <c>GeoReadiness:Api</c>: the keys that may change data.</summary>
public sealed class ApiKeySettings
{
    public const string Section = "GeoReadiness:Api";

    /// <summary>
    /// Accepted keys (e.g. <c>GeoReadiness__Api__Keys__0=…</c>). Empty: every endpoint that changes data answers 401,
    /// reads stay open.
    /// </summary>
    public string[] Keys { get; set; } = [];
}

/// <summary>
/// The <c>X-API-Key</c> header scheme guarding the endpoints that change data (profiles, questionnaires, later
/// scenarios and jobs). Keys are compared by their SHA-256 in constant time, so neither the comparison time nor a log
/// line reveals a key; the principal names the key only by a short fingerprint.
/// </summary>
public sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<ApiKeySettings> settings,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-API-Key";
    public const string WritePolicy = "write";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
            return Task.FromResult(AuthenticateResult.NoResult());
        var offered = SHA256.HashData(Encoding.UTF8.GetBytes(values[0]!));
        var match = false;
        foreach (var key in settings.CurrentValue.Keys)
        {
            if (string.IsNullOrEmpty(key)) continue;
            match |= CryptographicOperations.FixedTimeEquals(offered, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }
        if (!match) return Task.FromResult(AuthenticateResult.Fail($"the {HeaderName} header does not hold a key this server accepts"));
        var fingerprint = Convert.ToHexStringLower(offered)[..8];
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-key:" + fingerprint)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var hasKeys = settings.CurrentValue.Keys.Any(k => !string.IsNullOrEmpty(k));
        var offered = Request.Headers.ContainsKey(HeaderName);
        var detail = !hasKeys
            ? $"This endpoint changes data and needs an API key, but this server has none configured (set {ApiKeySettings.Section}:Keys, e.g. the environment variable GeoReadiness__Api__Keys__0)."
            : offered
                ? $"The {HeaderName} header does not hold a key this server accepts."
                : $"This endpoint changes data: send an API key in the {HeaderName} header.";
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Title = "API key required", Detail = detail },
        });
    }
}

public static class ApiKeyExtensions
{
    /// <summary>The API-key scheme and the <see cref="ApiKeyHandler.WritePolicy"/> policy that write endpoints require.</summary>
    public static WebApplicationBuilder AddApiKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiKeySettings>().BindConfiguration(ApiKeySettings.Section);
        builder.Services.AddAuthentication(ApiKeyHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, _ => { });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyHandler.WritePolicy, p => p.AddAuthenticationSchemes(ApiKeyHandler.SchemeName).RequireAuthenticatedUser());
        builder.Services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((doc, _, _) =>
            {
                doc.Components ??= new OpenApiComponents();
                doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                doc.Components.SecuritySchemes[ApiKeyHandler.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyHandler.HeaderName,
                    Description = $"Endpoints that change data need a key configured in {ApiKeySettings.Section}:Keys.",
                };
                return Task.CompletedTask;
            });
            // Only the endpoints that require the key say so, so that clients know which calls need it.
            o.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any(a => a.Policy == ApiKeyHandler.WritePolicy))
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyHandler.SchemeName, context.Document)] = [] });
                }
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>Requires a valid <c>X-API-Key</c> on the endpoint (401 ProblemDetails otherwise).</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(ApiKeyHandler.WritePolicy);
}
