using Records.Api.Hosting;
using Records.EventStore;

var builder = WebApplication.CreateBuilder(args);
using var startupLogging = LoggerFactory.Create(logging => logging.AddConsole());
var database = await RecordsDatabase.OpenAsync(builder.Configuration, startupLogging.CreateLogger("Records"), CancellationToken.None);
builder.Services.AddSingleton(database);
builder.Services.AddSingleton(new PostgresEventStore(database.App));
builder.Services.AddHostedService<SequencerService>();

var app = builder.Build();
app.MapGet("/health", async (PostgresEventStore store, CancellationToken cancellationToken) =>
    Results.Ok(new { status = "healthy", globalSequence = await store.ReadHeadAsync(cancellationToken) }));

await app.RunAsync();
await database.DisposeAsync();
