using System.Text.Json;
using Records.Api.Demo;
using Records.Api.Tests.Reads;
using Records.Api.Tests.Schema;
using Records.Domain;

namespace Records.Api.Tests.Access;

/// <summary>
/// Reads of a record by its id, through GraphQL on the demo hospital: a caller without rights gets the same answer
/// (code and message) for a record that is not theirs and for one that does not exist, and the attempt is in the
/// access log either way; only a caller the gate lets read learns that a record does not exist, after the read is recorded.
/// </summary>
public sealed class ByIdReadTests(DemoHostFixture host) : IClassFixture<DemoHostFixture>
{
    private readonly GraphQLClient _client = new(host);

    /// <summary>Each by-id field of the schema: its name, a query naming the record as <c>{0}</c>, an existing id of Zhang's and one that names nothing.</summary>
    public static readonly TheoryData<string, string, string, string> Fields = new()
    {
        { "consultation", """{ consultation(consultationId: "{0}") { consultationId } }""", "c-zhang-htn", "c-none" },
        { "document", """{ document(documentId: "{0}") { documentId } }""", "doc-zhang-op", "doc-none" },
        { "documentAsOf", """{ documentAsOf(documentId: "{0}", at: "2030-01-01T00:00:00Z") { kind } }""", "doc-zhang-op", "doc-none" },
        { "seals", """{ seals(documentId: "{0}") { kind } }""", "doc-zhang-note", "doc-none" },
        { "recordHistory", """{ recordHistory(recordType: "document", recordId: "{0}") { eventType } }""", "doc-zhang-op", "doc-none" },
        { "trace", """{ trace(prescriptionId: "{0}") { __typename } }""", "rx-delivered", "rx-none" },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task Another_patient_gets_the_same_refusal_for_a_record_not_theirs_and_for_one_that_does_not_exist(string field, string query, string existing, string missing)
    {
        var (notTheirs, notTheirsRecorded) = await RefusalAsync(DemoPersonas.PatientLi, query.Replace("{0}", existing));
        var (none, noneRecorded) = await RefusalAsync(DemoPersonas.PatientLi, query.Replace("{0}", missing));

        Assert.Equal(notTheirs, none);
        Assert.NotEqual("read.not_found", none.Code);
        Assert.True(notTheirsRecorded, $"{field}: the refused read of a record not theirs is not in the access log");
        Assert.True(noneRecorded, $"{field}: the refused read of a record that does not exist is not in the access log");
    }

    [Theory]
    [InlineData("""{ consultation(consultationId: "{0}") { consultationId } }""", "c-zhang-htn", "c-none")]
    [InlineData("""{ document(documentId: "{0}") { documentId } }""", "doc-zhang-op", "doc-none")]
    public async Task A_clinician_without_a_care_relationship_or_a_reason_gets_the_same_refusal_either_way(string query, string existing, string missing)
    {
        // Dr Wang has no consultation with Zhang: without a break-glass reason he reads neither, and cannot tell which exists.
        var (notInCare, _) = await RefusalAsync(DemoPersonas.DrWang, query.Replace("{0}", existing));
        var (none, recorded) = await RefusalAsync(DemoPersonas.DrWang, query.Replace("{0}", missing));

        Assert.Equal("access.break_glass_reason_required", notInCare.Code);
        Assert.Equal(notInCare, none);
        Assert.True(recorded);
    }

    [Fact]
    public async Task A_reader_with_rights_learns_that_a_record_does_not_exist_only_after_the_read_is_recorded()
    {
        var before = await LastEventIdAsync();
        var body = await _client.PostAsync(DemoPersonas.DrWang, """{ document(documentId: "doc-none", reason: "夜班会诊，查看病历") { documentId } }""");

        Assert.Equal("read.not_found", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").ValueKind);
        await using var command = host.Admin.CreateCommand("""
            select data->>'resource', data->>'breakGlassReason' from eventstore.events
            where id > $1 and actor_id = $2 and event_type = 'record_access.read.v1'
            """);
        command.Parameters.Add(new() { Value = before });
        command.Parameters.Add(new() { Value = DemoPersonas.DrWang.Id });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the read of a record that does not exist is not in the access log");
        Assert.Equal(("document", "夜班会诊，查看病历"), (reader.GetString(0), reader.GetString(1)));
    }

    /// <summary>The refusal's code and message, and whether a refused read by <paramref name="actor"/> was recorded for it.</summary>
    private async Task<((string Code, string Message) Refusal, bool Recorded)> RefusalAsync(Actor actor, string query)
    {
        var before = await LastEventIdAsync();
        var body = await _client.PostAsync(actor, query);
        Assert.True(body.TryGetProperty("errors", out var errors), $"expected a refusal, got {body}");
        var error = errors[0];
        var refusal = (error.GetProperty("extensions").GetProperty("code").GetString()!, error.GetProperty("message").GetString()!);

        await using var command = host.Admin.CreateCommand(
            "select exists (select 1 from eventstore.events where id > $1 and actor_id = $2 and stream_type = 'command_rejection' and data->>'code' = $3)");
        command.Parameters.Add(new() { Value = before });
        command.Parameters.Add(new() { Value = actor.Id });
        command.Parameters.Add(new() { Value = refusal.Item1 });
        return (refusal, (bool)(await command.ExecuteScalarAsync())!);
    }

    private async Task<long> LastEventIdAsync()
    {
        await using var command = host.Admin.CreateCommand("select coalesce(max(id), 0) from eventstore.events");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
