using System.Diagnostics;
using Microsoft.Extensions.Logging.Console;
using Records.Api.Identity;

namespace Records.Api.Hosting;

/// <summary>
/// The host's logs: the console, as lines for a person (Records:Logging:Format=simple, the default in
/// Development) or one JSON object a line for a log collector (json, the default elsewhere); and one
/// line per request saying who asked what and how it went.
/// </summary>
public static class HostLogging
{
    /// <summary>The category of the request lines.</summary>
    public const string RequestCategory = "Records.Requests";

    /// <summary>Asks ASP.NET Core for a request activity (ids only, nothing recorded), once per process.</summary>
    private static readonly Lazy<ActivityListener> RequestActivities = new(() =>
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    });

    public static void AddHostLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        // The request line below replaces ASP.NET Core's own, whose lines and scope carry the full path and query
        // (patients' ids); without a logger enabled there, the scope is not made.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        // ASP.NET Core then makes each request's activity (its W3C trace id, or the caller's traceparent) only for a listener.
        _ = RequestActivities.Value;
        AddConsole(builder.Logging, builder.Configuration, builder.Environment);
    }

    /// <summary>The logs written before the host is built (opening the database), in the same format and levels.</summary>
    public static ILoggerFactory StartupLogging(WebApplicationBuilder builder) => LoggerFactory.Create(logging =>
    {
        logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        AddConsole(logging, builder.Configuration, builder.Environment);
    });

    private static void AddConsole(ILoggingBuilder logging, IConfiguration configuration, IHostEnvironment environment)
    {
        var format = configuration["Records:Logging:Format"] is { Length: > 0 } configured
            ? configured.ToLowerInvariant()
            : environment.IsDevelopment() ? "simple" : "json";
        switch (format)
        {
            case "json":
                logging.AddJsonConsole(o =>
                {
                    o.IncludeScopes = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                });
                break;
            case "simple":
                logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss ";
                    o.ColorBehavior = LoggerColorBehavior.Default;
                });
                break;
            default:
                throw new InvalidOperationException($"Records:Logging:Format is '{format}'; use 'json' or 'simple'.");
        }
    }

    /// <summary>
    /// Logs one line per request, after it is answered: method, the route it matched (its template,
    /// so no id in the path reaches the log) or else the path, status, duration, trace id and the
    /// actor's id. Never the query string, the body or a header.
    /// </summary>
    public static void UseRequestLog(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(RequestCategory);
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            var failed = false;
            try
            {
                await next(context);
            }
            catch
            {
                failed = true; // the server answers 500 after this middleware
                throw;
            }
            finally
            {
                if (log.IsEnabled(LogLevel.Information))
                {
                    var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
                    log.LogInformation("{Method} {Path} answered {StatusCode} in {DurationMs:0.0} ms (trace {TraceId}, actor {ActorId})",
                        context.Request.Method, route is null ? context.Request.Path.Value : "/" + route.TrimStart('/'), failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode,
                        Stopwatch.GetElapsedTime(started).TotalMilliseconds, Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier,
                        RecordsClaims.ToActor(context.User)?.Id ?? "anonymous");
                }
            }
        });
    }
}
