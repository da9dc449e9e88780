using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Records.GraphQL.Http;

namespace Records.GraphQL.Tests.Server;

/// <summary>A Kestrel app on a free loopback port serving <see cref="TestSchema"/> at /graphql.</summary>
internal sealed class TestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        Endpoint = new Uri(baseAddress, "/graphql");
        Client = new HttpClient();
    }

    /// <summary>The endpoint's http:// address.</summary>
    public Uri Endpoint { get; }

    /// <summary>The endpoint's ws:// address.</summary>
    public Uri WebSocketEndpoint => new UriBuilder(Endpoint) { Scheme = "ws" }.Uri;

    public HttpClient Client { get; }

    public static async Task<TestHost> StartAsync(GraphQLEndpointOptions? options = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        app.MapGraphQL("/graphql", TestSchema.Create(), options);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
