using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using NodaTime;
using Npgsql;
using Records.Domain;
using Records.Domain.Platform;
using Records.EventStore;
using Records.EventStore.Sequencing;
using Records.Projections;
using Records.Projections.Streams;

namespace Records.Api.Feeds;

/// <summary>
/// The provincial supervision platform (省级互联网医院监管平台) and what it receives, from <c>Records:Platform</c>:
/// <c>Endpoint</c> (no endpoint: no uploads), <c>PlatformId</c>, <c>Secret</c> (signs each upload as a webhook is
/// signed), <c>DataSets:{name}</c> = comma-separated event types or <c>prefix.*</c> patterns (the mapping; by default
/// <see cref="DefaultDataSets"/>), <c>ClearIdentifiers</c> (default false: patients pseudonymised), and the retry settings.
/// </summary>
public sealed record PlatformOptions(Uri Endpoint, string PlatformId, string InstitutionId, string? Secret, IReadOnlyDictionary<string, FeedScope> DataSets)
{
    /// <summary>
    /// REGULATION.md "What the regulator sees": licence and practice information, staff, the service itself
    /// (visits, prescriptions and their hand-off, consents, records, signatures), incidents and complaints, and who
    /// read patient data. Patient registration (real-name details) is not sent.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> DefaultDataSets { get; } = new Dictionary<string, string[]>
    {
        ["institution"] = ["institution.*"],
        ["staff"] = ["practitioner.*"],
        ["visits"] = ["consultation.*"],
        ["prescriptions"] = ["prescription.*"],
        ["consents"] = ["consent.*"],
        ["records"] = ["document.*", "signature.*"],
        ["incidents"] = ["adverse_event.*", "complaint.*"],
        ["access"] = ["record_access.*"],
    };

    public bool ClearIdentifiers { get; init; }

    /// <summary>Most records in one upload.</summary>
    public int BatchSize { get; init; } = 200;

    /// <summary>Attempts at one upload (server errors, timeouts) before it is given up and the next one goes.</summary>
    public int MaxAttempts { get; init; } = 10;

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The data set an event belongs to; null for an event the platform does not receive.</summary>
    public string? DataSetOf(RecordedEvent recorded) =>
        recorded.StreamType == PlatformUploader.StreamType ? null : DataSets.FirstOrDefault(d => d.Value.Allows(recorded)).Key;

    /// <summary>The options, or null when no endpoint is configured.</summary>
    public static PlatformOptions? From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Records:Platform");
        if (section["Endpoint"] is not { Length: > 0 } endpoint) return null;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new InvalidOperationException($"Records:Platform:Endpoint must be an http or https URL, not '{endpoint}'.");
        var configured = section.GetSection("DataSets").GetChildren()
            .ToDictionary(d => d.Key, d => (d.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var mapping = configured.Count > 0 ? configured : DefaultDataSets;
        var defaults = new PlatformOptions(uri, "", "", null, new Dictionary<string, FeedScope>());
        return new PlatformOptions(
            uri,
            section["PlatformId"] is { Length: > 0 } id ? id : "provincial-platform",
            configuration["Records:InstitutionId"] is { Length: > 0 } institution ? institution : "ih-demo",
            section["Secret"] is { Length: > 0 } secret ? secret : null,
            mapping.ToDictionary(d => d.Key, d => new FeedScope(d.Value, [], ClearIdentifiers: false)))
        {
            ClearIdentifiers = section.GetValue("ClearIdentifiers", false),
            BatchSize = section.GetValue("BatchSize", defaults.BatchSize),
            MaxAttempts = section.GetValue("MaxAttempts", defaults.MaxAttempts),
            FirstRetryDelay = section.GetValue("FirstRetryDelay", defaults.FirstRetryDelay),
            MaxRetryDelay = section.GetValue("MaxRetryDelay", defaults.MaxRetryDelay),
            RequestTimeout = section.GetValue("RequestTimeout", defaults.RequestTimeout),
        };
    }
}

/// <summary>
/// Pushes the regulator's data sets to the provincial platform as they happen. It follows the global log; each
/// upload carries the regulated events after the previous upload's last sequence number, as CloudEvents tagged with
/// their data set, numbered 1, 2, 3… so the platform can dedupe a repeat and see a gap. What it sends and what comes
/// back are events of its own stream (<c>platform-{id}</c>: <see cref="UploadSent"/>, <see cref="UploadAcknowledged"/>,
/// <see cref="UploadFailed"/>), which is also its checkpoint, and which the regulator view reads for indicator 17.
/// </summary>
/// <remarks>
/// The platform answers 2xx with <c>{"acknowledgement": "ref"}</c>. Server errors, timeouts and 408/429 are retried
/// with exponential backoff and jitter (the upload is sent again under the same number); another 4xx is a refusal, and
/// a refused upload, or one out of attempts, is given up so that the rest flows. One uploader leads per database.
/// </remarks>
public sealed class PlatformUploader : IAsyncDisposable
{
    public const string StreamType = "platform";
    private static readonly Domain.Actor Uploader = new("platform-uploader", Role.Service, RealNameVerified: false);

    private readonly PostgresEventStore _store;
    private readonly DomainStore _domain;
    private readonly HttpClient _http;
    private readonly Pseudonymizer _pseudonymizer;
    private readonly PlatformOptions _options;
    private readonly IClock _clock;
    private readonly Action<Exception>? _onError;
    private readonly FeedScope _payloadScope;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _running;

    public PlatformUploader(PostgresEventStore store, HttpClient http, Pseudonymizer pseudonymizer, PlatformOptions options, IClock clock, Action<Exception>? onError = null)
    {
        _store = store;
        _domain = new DomainStore(store);
        _http = http;
        _pseudonymizer = pseudonymizer;
        _options = options;
        _clock = clock;
        _onError = onError;
        _payloadScope = new FeedScope(["*"], [], options.ClearIdentifiers);
    }

    public StreamRef Stream => new(StreamType, _options.PlatformId);

    public void Start() => _running ??= Task.Run(() => RunAsync(_stopping.Token));

    // Lost the database, or another uploader wrote the stream: start again from the stream.
    private Task RunAsync(CancellationToken stopping) => ChannelListener.LeadUntilStoppedAsync(
        _store.DataSource, Sequencer.SequencedChannel, AdvisoryLocks.PlatformLeader, TimeSpan.FromSeconds(1), LeadAsync,
        e => e is NpgsqlException or ConcurrencyException, _onError, TimeSpan.FromSeconds(1), stopping);

    private async Task LeadAsync(ChannelListener listener, CancellationToken stopping)
    {
        var (state, version) = await _domain.LoadAsync<PlatformUploadState, IPlatformEvent>(Stream, PlatformUploadState.Initial, PlatformUploadState.Evolve,
            cancellationToken: stopping);
        var scanned = state.ThroughSequence; // past unregulated events too, so they are not read again while idle
        while (!stopping.IsCancellationRequested)
        {
            listener.Reset();
            if (state.Pending is { } pending)
            {
                var records = await RecordsAsync(pending.AfterSequence, pending.ThroughSequence, stopping);
                (state, version) = await AttemptAsync(state, version, pending, records, stopping);
                continue;
            }

            var (batch, through) = await NextBatchAsync(Math.Max(scanned, state.ThroughSequence), stopping);
            scanned = through;
            if (batch.Count == 0)
            {
                await listener.WaitAsync(TimeSpan.FromSeconds(5), stopping);
                continue;
            }

            var sent = new UploadSent(_options.PlatformId, state.LastUploadNumber + 1, state.ThroughSequence, through,
                batch.GroupBy(r => r.DataSet).Select(g => new DataSetCount(g.Key, g.Count())).ToList(),
                batch.Min(r => r.Event.RecordedAt), _clock.GetCurrentInstant());
            (state, version) = await AppendAsync(state, version, sent, stopping);
        }
    }

    /// <summary>Sends the pending upload once, records what came back, and waits out the backoff after a retryable failure.</summary>
    private async Task<(PlatformUploadState, long)> AttemptAsync(
        PlatformUploadState state, long version, UploadSent pending, List<(string DataSet, RecordedEvent Event)> records, CancellationToken stopping)
    {
        var attempt = state.FailedAttempts + 1;
        var (acknowledgement, failure, refused) = await PostAsync(pending, records, stopping);
        if (acknowledgement is not null)
            return await AppendAsync(state, version, new UploadAcknowledged(_options.PlatformId, pending.UploadNumber, acknowledgement, _clock.GetCurrentInstant()), stopping);

        var givenUp = refused || attempt >= _options.MaxAttempts;
        var result = await AppendAsync(state, version, new UploadFailed(_options.PlatformId, pending.UploadNumber, attempt, failure!, givenUp, _clock.GetCurrentInstant()), stopping);
        if (!givenUp) await Task.Delay(Backoff.Of(attempt, _options.FirstRetryDelay, _options.MaxRetryDelay), stopping);
        return result;
    }

    private async Task<(PlatformUploadState, long)> AppendAsync(PlatformUploadState state, long version, IPlatformEvent e, CancellationToken stopping)
    {
        var meta = new CommandMeta(Uploader, _clock.GetCurrentInstant(), Guid.CreateVersion7());
        await _domain.AppendAsync(Stream, version, [e], meta, new CommandCircumstances { InstitutionId = _options.InstitutionId }, stopping);
        return (PlatformUploadState.Evolve(state, e), version + 1);
    }

    /// <summary>The regulated events after <paramref name="after"/>, up to a batch, and how far the log was read.</summary>
    private async Task<(List<(string DataSet, RecordedEvent Event)> Batch, long Through)> NextBatchAsync(long after, CancellationToken stopping)
    {
        var batch = new List<(string, RecordedEvent)>();
        var through = after;
        for (var read = 0; batch.Count < _options.BatchSize && read < 20 * _options.BatchSize;)
        {
            var events = await _store.ReadAllAsync(through, _options.BatchSize, stopping);
            if (events.Count == 0) break;
            foreach (var recorded in events)
            {
                if (batch.Count == _options.BatchSize) break;
                if (_options.DataSetOf(recorded) is { } dataSet) batch.Add((dataSet, recorded));
                through = recorded.Sequence!.Value;
                read++;
            }
        }

        return (batch, through);
    }

    /// <summary>The regulated events of a range already announced, to send it again.</summary>
    private async Task<List<(string DataSet, RecordedEvent Event)>> RecordsAsync(long after, long through, CancellationToken stopping)
    {
        var records = new List<(string, RecordedEvent)>();
        for (var position = after; position < through;)
        {
            var events = await _store.ReadAllAsync(position, (int)Math.Min(_options.BatchSize, through - position), stopping);
            if (events.Count == 0) break;
            foreach (var recorded in events)
                if (_options.DataSetOf(recorded) is { } dataSet) records.Add((dataSet, recorded));
            position = events[^1].Sequence!.Value;
        }

        return records;
    }

    private async Task<(string? Acknowledgement, string? Failure, bool Refused)> PostAsync(
        UploadSent upload, List<(string DataSet, RecordedEvent Event)> records, CancellationToken stopping)
    {
        var body = Body(upload, records);
        var id = $"{upload.PlatformId}-{upload.UploadNumber}";
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("upload-id", id);
        if (_options.Secret is { } secret)
        {
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSignature.Sign(secret, id, timestamp, body));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                var answer = await response.Content.ReadAsStringAsync(timeout.Token);
                return AcknowledgementIn(answer) is { } acknowledgement
                    ? (acknowledgement, null, false)
                    : (null, $"the platform answered {status} without an acknowledgement", false);
            }

            var retryable = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
            return (null, $"the platform answered {status}", !retryable);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !stopping.IsCancellationRequested))
        {
            return (null, e is OperationCanceledException ? $"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s" : e.Message, false);
        }
    }

    private static string? AcknowledgementIn(string answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("acknowledgement", out var ack)
                   && ack.ValueKind == JsonValueKind.String && ack.GetString() is { Length: > 0 } reference
                ? reference
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>{"platformId", "uploadNumber", "after", "through", "records": [{"dataSet", "event": CloudEvent}]}</c>.</summary>
    private byte[] Body(UploadSent upload, List<(string DataSet, RecordedEvent Event)> records)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("platformId", upload.PlatformId);
            writer.WriteString("institutionId", _options.InstitutionId);
            writer.WriteNumber("uploadNumber", upload.UploadNumber);
            writer.WriteNumber("after", upload.AfterSequence);
            writer.WriteNumber("through", upload.ThroughSequence);
            writer.WriteStartArray("records");
            foreach (var (dataSet, recorded) in records)
            {
                writer.WriteStartObject();
                writer.WriteString("dataSet", dataSet);
                writer.WritePropertyName("event");
                CloudEvent.Write(writer, recorded, _payloadScope, _pseudonymizer);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            if (_running is not null) await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }
}

/// <summary>Runs the <see cref="PlatformUploader"/> for the life of the host.</summary>
public sealed class PlatformUploadService(PostgresEventStore store, Pseudonymizer pseudonymizer, PlatformOptions options, IClock clock, ILogger<PlatformUploadService> logger)
    : IHostedService, IAsyncDisposable
{
    private readonly HttpClient _http = new();
    private PlatformUploader? _uploader;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _uploader = new PlatformUploader(store, _http, pseudonymizer, options, clock,
            e => logger.LogWarning(e, "The platform uploader stopped on {Error}; it starts again from its stream", e.Message));
        _uploader.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_uploader is not null) await _uploader.DisposeAsync();
        _uploader = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _http.Dispose();
    }
}
