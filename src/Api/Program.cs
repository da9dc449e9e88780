using Npgsql;
using Records.EventStore.Postgres;

var builder = WebApplication.CreateBuilder(args);

// Embedded default: with no connection string, a private PostgreSQL cluster under .records/.
EmbeddedPostgres? embedded = null;
var connectionString = builder.Configuration.GetConnectionString("Records");
if (string.IsNullOrEmpty(connectionString))
{
    var folder = builder.Configuration["Records:DataDirectory"] ?? Path.Combine(Directory.GetCurrentDirectory(), ".records", "postgres");
    Console.WriteLine($"No connection string configured: starting a private PostgreSQL cluster in {folder}");
    embedded = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(folder));
    connectionString = embedded.ConnectionString();
}

var app = builder.Build();
app.MapGet("/health", async () =>
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    return Results.Ok(new { status = "healthy" });
});

app.Lifetime.ApplicationStopped.Register(() => embedded?.DisposeAsync().AsTask().GetAwaiter().GetResult());
await app.RunAsync();
