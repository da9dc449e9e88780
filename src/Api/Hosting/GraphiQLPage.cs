using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;
using NodaTime;
using Records.Api.Demo;
using Records.Api.Identity;

namespace Records.Api.Hosting;

/// <summary>
/// GraphiQL for people with a browser: a GET of the GraphQL path that asks for HTML gets the page
/// (bundled at build time into wwwroot/graphiql, see Records.Api.csproj), everything else goes on
/// to the GraphQL endpoint. While the demo hospital is loaded, /graphiql/personas lists the demo
/// personas, each with a token valid for an hour, so the page can sign in as any of them.
/// </summary>
public static class GraphiQLPage
{
    public const string Assets = "/graphiql";

    /// <summary>How long a token handed out by the page lives.</summary>
    public static readonly Duration PersonaTokenLifetime = Duration.FromHours(1);

    /// <summary>A demo persona as the page offers it.</summary>
    public sealed record Persona(string Id, string Role, string Shows, string Token);

    /// <summary>Serves the page at <paramref name="graphQLPath"/> for browsers, and its files; before authentication, as the page itself is public.</summary>
    public static void UseGraphiQL(this WebApplication app, string graphQLPath, bool demoEnabled)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "wwwroot", "graphiql");
        if (!File.Exists(Path.Combine(folder, "index.html")))
            throw new InvalidOperationException($"GraphiQL is not in {folder}: build src/Api (it runs npm ci in src/Api/GraphiQL and copies the page).");
        var files = new PhysicalFileProvider(folder);

        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path.Equals(graphQLPath, StringComparison.OrdinalIgnoreCase)
                && !context.Request.Query.ContainsKey("query") && WantsHtml(context.Request))
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.Headers.CacheControl = "no-cache";
                await context.Response.SendFileAsync(files.GetFileInfo("index.html"), context.RequestAborted);
                return;
            }
            await next(context);
        });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = Assets });

        if (demoEnabled)
        {
            app.MapGet(Assets + "/personas", (TokenIssuer tokens) => DemoPersonas.All.Select(p => new Persona(p.Actor.Id, RecordsClaims.RoleName(p.Actor.Role), p.Shows,
                tokens.Issue(p.Actor.Id, p.Actor.Role, p.Actor.RealNameVerified, lifetime: PersonaTokenLifetime))));
        }
    }

    /// <summary>A browser's navigation: HTML is acceptable and preferred over JSON (GraphQL clients ask for JSON).</summary>
    private static bool WantsHtml(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        double Quality(string type) => accept.Where(a => a.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        var html = Quality("text/html");
        return html > 0 && html >= Math.Max(Quality("application/json"), Quality("application/graphql-response+json"));
    }
}
