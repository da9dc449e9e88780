using System.Net;
using System.Text;
using System.Text.Json;

namespace Records.Api.Tests.Writes;

/// <summary>
/// Bad requests to the mutations through HTTP: each is answered with a coded error and a sentence, never a
/// 500, and writes nothing (the event log holds as many events after as before).
/// </summary>
public sealed class BadInputTests(RecordsHostFixture host) : IClassFixture<RecordsHostFixture>, IAsyncLifetime
{
    private readonly WriteApi _api = new(host);
    private Domain.Actor _patient = null!;

    public async Task InitializeAsync()
    {
        await _api.InstitutionAsync();
        _patient = await _api.PatientAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private object ValidContactChange => new { clientMutationId = Guid.NewGuid().ToString(), patientId = _patient.Id, contact = "+86 1" };

    /// <summary>Sends the request and checks: not a 500, the first error has <paramref name="code"/> and a message, no data, nothing written.</summary>
    private async Task<JsonElement> AssertRefusedAsync(Func<Task<(HttpStatusCode Status, JsonElement Body)>> send, string code,
        HttpStatusCode status = HttpStatusCode.OK)
    {
        var before = await EventCountAsync();
        var (actual, body) = await send();

        Assert.Equal(status, actual);
        var error = body.GetProperty("errors")[0];
        Assert.True(code == error.GetProperty("extensions").GetProperty("code").GetString(), $"expected {code}: {body}");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.True(!body.TryGetProperty("data", out var data) || data.ValueKind == JsonValueKind.Null, $"data in a refused request: {body}");
        Assert.Equal(before, await EventCountAsync());
        return error;
    }

    private Task<JsonElement> AssertInputRefusedAsync(string command, object input, string code) =>
        AssertRefusedAsync(() => _api.PostAsync(WriteApi.Admin, WriteApi.MutationText(command), new { input }), code);

    private async Task<long> EventCountAsync()
    {
        await using var command = host.Admin.CreateCommand("select count(*) from eventstore.events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Malformed_json_is_a_400_bad_request()
    {
        await AssertRefusedAsync(() => _api.PostRawAsync(WriteApi.Admin, """{"query": "mutation { changeContact(input: {"""), "BAD_REQUEST", HttpStatusCode.BadRequest);
        await AssertRefusedAsync(() => _api.PostRawAsync(WriteApi.Admin, """{"query": "{ me { id } }", "variables": "not an object"}"""), "BAD_REQUEST",
            HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_variable_of_the_wrong_type_is_bad_user_input()
    {
        var error = await AssertInputRefusedAsync("RequestConsultation", new
        {
            clientMutationId = Guid.NewGuid().ToString(), patientId = _patient.Id, kind = "ONLINE_FOLLOW_UP", subject = "内科", complaint = "复诊", firstVisit = "no",
        }, "BAD_USER_INPUT");

        Assert.Contains("firstVisit", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_literal_of_the_wrong_type_fails_validation()
    {
        await AssertRefusedAsync(() => _api.PostAsync(WriteApi.Admin,
            $$"""mutation { changeContact(input: {clientMutationId: "{{Guid.NewGuid()}}", patientId: "{{_patient.Id}}", contact: 42}) { clientMutationId } }"""),
            "GRAPHQL_VALIDATION_FAILED");
    }

    [Fact]
    public async Task An_unknown_input_field_is_bad_user_input()
    {
        var error = await AssertInputRefusedAsync("ChangeContact",
            new { clientMutationId = Guid.NewGuid().ToString(), patientId = _patient.Id, contact = "+86", nickname = "x" }, "BAD_USER_INPUT");

        Assert.Contains("nickname", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_unknown_argument_or_field_fails_validation()
    {
        await AssertRefusedAsync(() => _api.PostAsync(WriteApi.Admin,
            "mutation($input: ChangeContactInput!) { changeContact(input: $input, force: true) { clientMutationId } }", new { input = ValidContactChange }),
            "GRAPHQL_VALIDATION_FAILED");
        await AssertRefusedAsync(() => _api.PostAsync(WriteApi.Admin, "mutation($input: ChangeContactInput!) { changeContact(input: $input) { secret } }",
            new { input = ValidContactChange }), "GRAPHQL_VALIDATION_FAILED");
        await AssertRefusedAsync(() => _api.PostAsync(WriteApi.Admin, "mutation($input: ChangeContactInput!) { deletePatient(input: $input) { clientMutationId } }",
            new { input = ValidContactChange }), "GRAPHQL_VALIDATION_FAILED");
    }

    [Fact]
    public async Task A_missing_required_field_or_a_null_one_is_bad_user_input()
    {
        var missing = await AssertInputRefusedAsync("ChangeContact", new { clientMutationId = Guid.NewGuid().ToString(), patientId = _patient.Id }, "BAD_USER_INPUT");
        Assert.Contains("contact", missing.GetProperty("message").GetString());

        await AssertInputRefusedAsync("ChangeContact", new { clientMutationId = Guid.NewGuid().ToString(), patientId = _patient.Id, contact = (string?)null },
            "BAD_USER_INPUT");
        await AssertInputRefusedAsync("ChangeContact", new { patientId = _patient.Id, contact = "+86" }, "BAD_USER_INPUT");
        await AssertRefusedAsync(() => _api.PostAsync(WriteApi.Admin, WriteApi.MutationText("ChangeContact")), "BAD_USER_INPUT");
    }

    [Fact]
    public async Task An_invalid_client_mutation_id_is_a_coded_error()
    {
        await AssertInputRefusedAsync("ChangeContact", new { clientMutationId = "not-a-uuid", patientId = _patient.Id, contact = "+86" },
            "request.invalid_client_mutation_id");
    }

    [Fact]
    public async Task An_invalid_record_id_is_a_coded_error()
    {
        await AssertInputRefusedAsync("ChangeContact", new { clientMutationId = Guid.NewGuid().ToString(), patientId = "../pt 1", contact = "+86" },
            "request.invalid_record_id");
        await AssertInputRefusedAsync("RegisterPatient", new
        {
            clientMutationId = Guid.NewGuid().ToString(), patientId = new string('p', 65), name = "x", sex = "MALE", dateOfBirth = "1980-01-01",
            identityDocumentHash = WriteApi.Hash("x"), contact = "+86",
        }, "request.invalid_record_id");
    }

    [Theory]
    [InlineData("1980-13-01")]
    [InlineData("01/02/1980")]
    [InlineData("1980-01-01T00:00:00Z")]
    public async Task A_date_that_does_not_parse_is_bad_user_input_naming_the_form(string date)
    {
        var error = await AssertInputRefusedAsync("RegisterPatient", new
        {
            clientMutationId = Guid.NewGuid().ToString(), name = "x", sex = "MALE", dateOfBirth = date, identityDocumentHash = WriteApi.Hash("x"), contact = "+86",
        }, "BAD_USER_INPUT");

        Assert.Contains("ISO 8601 date", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-11-22 09:30:00")]
    [InlineData("2026-11-22T09:30:00+08:00")]
    public async Task An_instant_that_does_not_parse_is_bad_user_input_naming_the_form(string instant)
    {
        var error = await AssertInputRefusedAsync("RecordAdverseEvent", new
        {
            clientMutationId = Guid.NewGuid().ToString(), category = "MEDICAL_INCIDENT", severity = "MILD", description = "x", occurredAt = instant,
        }, "BAD_USER_INPUT");

        Assert.Contains("ISO 8601 instant in UTC", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_instant_literal_that_does_not_parse_fails_validation()
    {
        await AssertRefusedAsync(() => _api.PostAsync(WriteApi.Admin, $$"""
            mutation { recordAdverseEvent(input: {clientMutationId: "{{Guid.NewGuid()}}", category: MEDICAL_INCIDENT, severity: MILD, description: "x", occurredAt: "soon"}) { clientMutationId } }
            """), "GRAPHQL_VALIDATION_FAILED");
    }

    [Theory]
    [InlineData("replyLimit", "P1M")]
    [InlineData("replyLimit", "30 minutes")]
    public async Task A_duration_that_does_not_parse_is_bad_user_input(string field, string value)
    {
        var input = new Dictionary<string, object?>
        {
            ["clientMutationId"] = Guid.NewGuid().ToString(), ["institutionId"] = RecordsHostFixture.InstitutionId, ["fees"] = Array.Empty<object>(), [field] = value,
        };

        var error = await AssertInputRefusedAsync("PublishServiceTerms", input, "BAD_USER_INPUT");

        Assert.Contains("ISO 8601 duration", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_decimal_long_or_enum_that_does_not_parse_is_bad_user_input()
    {
        await AssertInputRefusedAsync("TakePayment", new { clientMutationId = Guid.NewGuid().ToString(), prescriptionId = "rx-1", amount = "12,50", paymentRef = "P" },
            "BAD_USER_INPUT");
        await AssertInputRefusedAsync("PublishServiceTerms", new
        {
            clientMutationId = Guid.NewGuid().ToString(), institutionId = RecordsHostFixture.InstitutionId, replyLimit = "PT30M",
            fees = new[] { new { service = "x", amountFen = "20 yuan" } },
        }, "BAD_USER_INPUT");
        await AssertInputRefusedAsync("RegisterPatient", new
        {
            clientMutationId = Guid.NewGuid().ToString(), name = "x", sex = "female", dateOfBirth = "1980-01-01", identityDocumentHash = WriteApi.Hash("x"), contact = "+86",
        }, "BAD_USER_INPUT");
    }

    [Fact]
    public async Task An_oversized_body_is_a_413()
    {
        var before = await EventCountAsync();
        var (status, _) = await _api.PostAsync(WriteApi.Admin, WriteApi.MutationText("ChangeContact"),
            new { input = new { clientMutationId = Guid.NewGuid().ToString(), patientId = _patient.Id, contact = new string('x', 2 * 1024 * 1024) } });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task A_document_nested_too_deep_is_refused()
    {
        var deepValue = new string('[', 200) + new string(']', 200);
        await AssertRefusedAsync(() => _api.PostAsync(WriteApi.Admin,
            $$"""mutation { changeContact(input: {clientMutationId: "{{Guid.NewGuid()}}", patientId: "{{_patient.Id}}", contact: {{deepValue}}}) { clientMutationId } }"""),
            "MAX_DEPTH_EXCEEDED");

        var deepSelection = "{ __schema { types { fields { type " + string.Concat(Enumerable.Repeat("{ ofType ", 14)) + "{ name }" + new string('}', 14) + " } } } }";
        await AssertRefusedAsync(() => _api.PostAsync(WriteApi.Admin, deepSelection), "MAX_DEPTH_EXCEEDED");
    }

    [Fact]
    public async Task A_document_asking_too_much_is_refused_before_anything_runs()
    {
        var aliases = string.Join(" ", Enumerable.Range(0, 40).Select(i =>
            $$"""m{{i}}: changeContact(input: {clientMutationId: "{{Guid.NewGuid()}}", patientId: "{{_patient.Id}}", contact: "+86 {{i}}"}) { clientMutationId }"""));

        await AssertRefusedAsync(() => _api.PostAsync(WriteApi.Admin, $"mutation {{ {aliases} }}"), "MAX_ALIASES_EXCEEDED");

        // Lists within lists: each level multiplies the cost by the list size the host assumes.
        await AssertRefusedAsync(() => _api.PostAsync(WriteApi.Admin, "{ __schema { types { fields { args { type { fields { args { name } } } } } } } }"),
            "MAX_COST_EXCEEDED");
    }

    [Fact]
    public async Task One_bad_field_in_a_document_stops_the_whole_document()
    {
        await AssertRefusedAsync(() => _api.PostAsync(WriteApi.Admin, $$"""
            mutation {
              good: changeContact(input: {clientMutationId: "{{Guid.NewGuid()}}", patientId: "{{_patient.Id}}", contact: "+86 good"}) { clientMutationId }
              bad: changeContact(input: {clientMutationId: "{{Guid.NewGuid()}}", patientId: "{{_patient.Id}}", contact: "+86", unknown: 1}) { clientMutationId }
            }
            """), "GRAPHQL_VALIDATION_FAILED");
    }

    [Fact]
    public async Task A_mutation_over_get_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            "/graphql?query=" + Uri.EscapeDataString($$"""mutation { changeContact(input: {clientMutationId: "{{Guid.NewGuid()}}", patientId: "{{_patient.Id}}", contact: "+86"}) { clientMutationId } }"""));
        request.Headers.Authorization = new("Bearer", _api.TokenFor(WriteApi.Admin));
        var before = await EventCountAsync();

        var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("mutation { x }", Encoding.UTF8, "text/plain") };
        request.Headers.Authorization = new("Bearer", _api.TokenFor(WriteApi.Admin));

        var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}
