using Npgsql;
using Records.Api.Hosting;
using Records.Testing;

namespace Records.Api.Tests;

/// <summary>The real host (Kestrel on 127.0.0.1, a free port) on a test database, with a known signing key, without the demo.</summary>
public class RecordsHostFixture : EventStoreDatabase
{
    public const string SigningKey = "records-test-signing-key-0123456789abcdef";
    public const string InstitutionId = "ih-test";

    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "records-api-tests", Guid.NewGuid().ToString("N"));

    public RecordsHost Host { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Settings beyond the defaults, for fixtures that need others.</summary>
    protected virtual IEnumerable<string> MoreSettings => [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var app = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Username = AppLogin, Password = AppPassword };
        Host = await RecordsHost.BuildAsync(
        [
            "--urls=http://127.0.0.1:0",
            $"--ConnectionStrings:Records={app.ConnectionString}",
            $"--ConnectionStrings:RecordsAdmin={AdminConnectionString}",
            $"--Records:DataDirectory={_dataFolder}",
            $"--Records:Identity:SigningKey={SigningKey}",
            $"--Records:InstitutionId={InstitutionId}",
            "--Records:Demo:Skip=true",
            "--Records:Feeds:Webhooks:AllowPrivateNetworks=true", // the tests' receivers listen on the loopback address
            "--Logging:LogLevel:Default=Warning",
            .. MoreSettings,
        ]);
        await Host.App.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri(Host.App.Urls.First()) };
    }

    public override async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.App.StopAsync();
        await Host.DisposeAsync();
        if (Directory.Exists(_dataFolder)) Directory.Delete(_dataFolder, recursive: true);
        await base.DisposeAsync();
    }
}
