using Microsoft.Extensions.Configuration;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Records.Api.Hosting;
using Records.Api.Commands;
using Records.Domain;
using Records.Domain.Prescription;

namespace Records.Api.Tests.Hosting;

public sealed class HostHealthTests(RecordsHostFixture host) : IClassFixture<RecordsHostFixture>
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        var response = await host.Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static string Check(JsonElement body, string check) => body.GetProperty("checks").GetProperty(check).GetProperty("status").GetString()!;

    private static long Unnumbered(JsonElement body) =>
        body.GetProperty("checks").GetProperty("sequencer").GetProperty("data").GetProperty("unnumberedEvents").GetInt64();

    /// <summary>Readiness settles within seconds (views are built in the background, the sequencer catches up).</summary>
    private async Task<(HttpStatusCode Status, JsonElement Body)> SettledAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var answer = await GetAsync("/health/ready");
            if ((answer.Status == HttpStatusCode.OK && Unnumbered(answer.Body) == 0) || DateTime.UtcNow > deadline) return answer;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Live_says_the_process_answers_and_health_keeps_its_shape()
    {
        var (live, liveBody) = await GetAsync("/health/live");
        var (health, healthBody) = await GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, live);
        Assert.Equal("ready", liveBody.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, health);
        Assert.Equal("healthy", healthBody.GetProperty("status").GetString());
        Assert.True(healthBody.TryGetProperty("globalSequence", out _));
    }

    [Fact]
    public void No_settings_file_is_watched_for_changes()
    {
        // A watcher of the content root would see every write of an embedded cluster's data folder beneath it.
        var files = ((IConfigurationRoot)host.Host.App.Configuration).Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, $"{f.Source.Path} is watched"));
    }

    [Fact]
    public async Task Ready_checks_the_database_and_the_sequencer_and_answers_503_when_the_sequencer_is_stopped()
    {
        var (ready, body) = await SettledAsync();
        Assert.True(ready == HttpStatusCode.OK, body.ToString());
        Assert.Equal("ok", Check(body, "database"));
        Assert.Equal("ok", Check(body, "sequencer"));
        Assert.Equal("ok", Check(body, "projections"));
        var tailReads = body.GetProperty("checks").GetProperty("sequencer").GetProperty("data").GetProperty("logTailReads").GetInt64();
        Assert.InRange(tailReads, 0, host.Host.App.Services.GetRequiredService<Records.EventStore.LogTail>().LogReads); // the tail's own count, as it stood

        var sequencer = host.Host.App.Services.GetRequiredService<SequencerService>();
        await sequencer.StopAsync(CancellationToken.None);
        try
        {
            // A refused command is recorded as an event (of the host's own stream type, which views skip).
            var meta = new CommandMeta(new Actor("pt-health", Role.Patient, true), NodaTime.SystemClock.Instance.GetCurrentInstant(), Guid.NewGuid());
            await host.Host.App.Services.GetRequiredService<CommandExecutor>().RefuseAsync("rx-health", new RejectPrescription(meta, ["probe"]),
                new Rejection("probe.refused", "A probe of readiness."));
            var (stopped, stoppedBody) = await GetAsync("/health/ready");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, stopped);
            Assert.Equal("not ready", stoppedBody.GetProperty("status").GetString());
            Assert.Equal("failing", Check(stoppedBody, "sequencer"));
            var data = stoppedBody.GetProperty("checks").GetProperty("sequencer").GetProperty("data");
            Assert.False(data.GetProperty("running").GetBoolean());
            Assert.Equal(1, Unnumbered(stoppedBody));
        }
        finally
        {
            await sequencer.StartAsync(CancellationToken.None);
        }

        var (again, againBody) = await SettledAsync();
        Assert.True(again == HttpStatusCode.OK, againBody.ToString());
        Assert.Equal(0, Unnumbered(againBody));
    }
}

/// <summary>A view stopped on an event it cannot apply makes the host not ready, naming the view and the event.</summary>
public sealed class PoisonedViewHealthTests(RecordsHostFixture host) : IClassFixture<RecordsHostFixture>
{
    [Fact]
    public async Task A_poisoned_view_makes_the_host_not_ready()
    {
        // The views are built in the background on a first start: poison them once they follow the log.
        var started = DateTime.UtcNow.AddSeconds(60);
        while ((await host.Http.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < started) await Task.Delay(100);

        var appended = await host.Host.App.Services.GetRequiredService<Records.EventStore.PostgresEventStore>().AppendAsync(
            "patient-pt-poison", "patient", Records.EventStore.ExpectedVersion.NoStream,
            [new Records.EventStore.EventData("patient.registered.v1", "{\"name\": [\"not\", \"a\", \"name\"]}"u8.ToArray())], new Records.EventStore.EventMetadata());

        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement body;
        HttpResponseMessage response;
        do
        {
            await Task.Delay(100);
            response = await host.Http.GetAsync("/health/ready");
            body = await response.Content.ReadFromJsonAsync<JsonElement>();
        }
        while (!body.GetProperty("checks").GetProperty("projections").GetProperty("description").GetString()!.Contains("stopped") && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var projections = body.GetProperty("checks").GetProperty("projections");
        Assert.Equal("failing", projections.GetProperty("status").GetString());
        Assert.Contains(appended.Events[0].EventId.ToString(), projections.GetProperty("description").GetString());
        Assert.Contains(projections.GetProperty("data").EnumerateObject(), view => view.Value.GetProperty("state").GetString() == "failed");
    }
}
