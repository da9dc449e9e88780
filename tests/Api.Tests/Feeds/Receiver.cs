using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Records.Api.Tests.Feeds;

/// <summary>
/// A webhook endpoint on loopback (Kestrel) whose answers the test scripts: a status code, or
/// silence past the dispatcher's timeout. It keeps every request it got.
/// </summary>
internal sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Receiver(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>What to answer next (status code, or 0 for no answer); when empty, 200.</summary>
    public ConcurrentQueue<int> Script { get; } = new();

    /// <summary>Bodies answered 500 whatever the script says (an event this receiver cannot take).</summary>
    public Func<string, bool> Refuses { get; set; } = _ => false;

    /// <summary>Every request: its headers of interest and body, in arrival order, with what was answered.</summary>
    public ConcurrentQueue<(string Id, long Timestamp, string Signature, string ContentType, byte[] Body, int Answered)> Requests { get; } = new();

    public IReadOnlyList<string> DeliveredIds => Requests.Where(r => r.Answered is >= 200 and < 300).Select(r => r.Id).ToList();

    /// <summary>The ids of the CloudEvents in accepted requests, one by one or batched, in arrival order.</summary>
    public IReadOnlyList<string> DeliveredEventIds => Requests.Where(r => r.Answered is >= 200 and < 300).SelectMany(r => EventIds(r.Body)).ToList();

    public static IReadOnlyList<string> EventIds(byte[] body)
    {
        using var json = System.Text.Json.JsonDocument.Parse(body);
        var root = json.RootElement;
        return root.ValueKind == System.Text.Json.JsonValueKind.Array
            ? root.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList()
            : [root.GetProperty("id").GetString()!];
    }

    /// <param name="acknowledge">Answer a success as the provincial platform does, with <c>{"acknowledgement": "ack-N"}</c>.</param>
    public static async Task<Receiver> StartAsync(bool acknowledge = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        Receiver? receiver = null;
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var answer = receiver!.Script.TryDequeue(out var scripted) ? scripted : 200;
            if (receiver.Refuses(System.Text.Encoding.UTF8.GetString(body.ToArray()))) answer = 500;
            receiver.Requests.Enqueue((context.Request.Headers["webhook-id"].ToString(), long.Parse(context.Request.Headers["webhook-timestamp"].ToString()),
                context.Request.Headers["webhook-signature"].ToString(), context.Request.ContentType ?? "", body.ToArray(), answer));
            if (answer == 0) await Task.Delay(TimeSpan.FromSeconds(6), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return acknowledge && answer is >= 200 and < 300
                ? Results.Json(new { acknowledgement = $"ack-{receiver.Requests.Count}" }, statusCode: answer)
                : Results.StatusCode(answer == 0 ? 504 : answer);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new Receiver(app, new Uri(address.TrimEnd('/') + "/hook"));
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
