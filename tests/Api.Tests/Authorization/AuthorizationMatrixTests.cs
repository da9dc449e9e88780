using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Records.Api.Demo;
using Records.Api.Identity;
using Records.Api.Schema;
using Records.Domain;

namespace Records.Api.Tests.Authorization;

/// <summary>The demo hospital without rate limits: the matrix sends each caller's request for every field in a burst.</summary>
public sealed class MatrixHostFixture : RecordsHostFixture
{
    protected override IEnumerable<string> MoreSettings =>
        ["--Records:Demo:Skip=false", "--Records:Demo:Load=true", "--Records:Limits:Burst=0", "--Records:Limits:AnonymousBurst=0"];
}

/// <summary>
/// Every role (and anonymous) against every root field of the records schema, on the demo hospital,
/// with the expected outcome written in <see cref="Matrix"/>. A field without a row fails
/// <see cref="Every_root_field_has_a_row"/>: whoever adds a field adds its row.
/// </summary>
public sealed class AuthorizationMatrixTests(MatrixHostFixture host) : IClassFixture<MatrixHostFixture>
{
    /// <summary>What a role gets from a field.</summary>
    public abstract record Expect;

    /// <summary>The field answers (a mutation may still be refused by the domain for another reason than who asks).</summary>
    public sealed record Allowed : Expect;

    /// <summary>A GraphQL error (or the payload's error) with this code, no data, and the attempt in the event log.</summary>
    public sealed record Refused(string Code) : Expect;

    /// <summary>
    /// The domain decides who may: the command is accepted (events written), or refused with a code, leaking nothing,
    /// the attempt recorded. The rule of every command mutation without a row of its own (see <see cref="CommandRows"/>).
    /// </summary>
    public sealed record Decided : Expect;

    /// <summary>
    /// How a root field is called: its arguments as written after the field's name, with the operation's variable
    /// definitions and variables if any. The selection is every field of the answer's type (see <see cref="Everything"/>),
    /// so a leak shows.
    /// </summary>
    public sealed record Probe(string Arguments = "", string VariableDefinitions = "", object? Variables = null);

    /// <summary>A root field ("Query.me"), how to call it, and one outcome per role in the order of <see cref="Roles"/>.</summary>
    public sealed record Row(string Field, Func<Actor, Probe> Probe, params Expect[] Cells);

    /// <summary>The columns of the matrix: one demo persona per role.</summary>
    private static readonly (Role Role, Actor Persona)[] Roles =
    [
        (Role.Patient, DemoPersonas.PatientZhang),
        (Role.Physician, DemoPersonas.DrLi),
        (Role.Pharmacist, DemoPersonas.PharmacistLiu),
        (Role.Nurse, DemoPersonas.NurseSun),
        (Role.QualityManager, DemoPersonas.QualityZhou),
        (Role.Regulator, DemoPersonas.Regulator),
        (Role.Legal, DemoPersonas.LegalHe),
        (Role.Integrator, DemoPersonas.PharmacyIntegrator),
        (Role.Administrator, DemoPersonas.Administrator),
    ];

    private static readonly Allowed A = new();

    private static Refused R(string code) => new(code);

    private const string NotReader = "access.role_not_allowed";
    private const string NotPharmacist = "prescription.reviewer_not_pharmacist";
    private const string Prescriber = "prescription.reviewer_is_prescriber";
    private const string UnknownWebhook = "feeds.unknown_webhook";
    private const string NoWebhook = "00000000-0000-0000-0000-000000000000";
    private static readonly Refused F = new("feeds.forbidden");

    /// <summary>
    /// The matrix. Cells run in table order, refusals before allowances within a row, so a mutation that an
    /// allowed role carries out (changing its target) comes after every refusal on that target.
    /// </summary>
    public static readonly Row[] Matrix =
    [
        //                                                    patient    physician   pharmacist nurse          quality        regulator      legal          integrator     administrator
        new("Query.me", _ => new(),                           A,         A,          A,         A,             A,             A,             A,             A,             A),
        new("Query.patientRecord", _ => new("""(patientId: "pt-zhang", purpose: TREATMENT, reason: "authorization matrix")"""),
                                                              A,         A,          A,         A,             A,             A,             A,             R(NotReader),  R(NotReader)),
        // The read side (src/Api/Schema/*Queries.cs): clinicians without a care relationship give a break-glass reason, so every reader the gate admits reads.
        new("Query.patientHistory", _ => new("""(patientId: "pt-zhang", first: 3, reason: "authorization matrix")"""),
                                                              A,         A,          A,         A,             A,             R(NotReader),  A,             R(NotReader),  R(NotReader)),
        new("Query.myPatients", _ => new("(first: 5)"),       R(NotReader), A,       A,         A,             R(NotReader),  R(NotReader),  R(NotReader),  R(NotReader),  R(NotReader)),
        new("Query.consultation", _ => new("""(consultationId: "c-zhang-htn", reason: "authorization matrix")"""),
                                                              A,         A,          A,         A,             A,             R(NotReader),  A,             R(NotReader),  R(NotReader)),
        new("Query.prescriptionsToReview", _ => new("(first: 5)"),
                                                              R(NotReader), R(NotReader), A,    R(NotReader),  R(NotReader),  R(NotReader),  R(NotReader),  R(NotReader),  R(NotReader)),
        new("Query.document", _ => new("""(documentId: "doc-zhang-op", reason: "authorization matrix")"""),
                                                              A,         A,          A,         A,             A,             R(NotReader),  A,             R(NotReader),  R(NotReader)),
        new("Query.findings", _ => new(),                     R(NotReader), R(NotReader), R(NotReader), R(NotReader), A,          A,             R(NotReader),  R(NotReader),  R(NotReader)),
        new("Query.findingCounts", _ => new(),                R(NotReader), R(NotReader), R(NotReader), R(NotReader), A,          A,             R(NotReader),  R(NotReader),  R(NotReader)),
        new("Query.practitionerRegister", _ => new(),         R(NotReader), R(NotReader), R(NotReader), R(NotReader), A,          A,             R(NotReader),  R(NotReader),  R(NotReader)),
        new("Query.adverseEvents", _ => new(),                R(NotReader), R(NotReader), R(NotReader), R(NotReader), A,          A,             R(NotReader),  R(NotReader),  R(NotReader)),
        new("Query.trace", _ => new("""(prescriptionId: "rx-delivered", reason: "authorization matrix")"""),
                                                              R(NotReader), R(NotReader), R(NotReader), R(NotReader), A,          A,             A,             R(NotReader),  R(NotReader)),
        new("Query.recordAsOf", _ => new("""(patientId: "pt-zhang", at: "2030-01-01T00:00:00Z", reason: "authorization matrix")"""),
                                                              A,         R(NotReader), R(NotReader), R(NotReader), A,             A,             A,             R(NotReader),  R(NotReader)),
        new("Query.documentAsOf", _ => new("""(documentId: "doc-zhang-op", at: "2030-01-01T00:00:00Z", reason: "authorization matrix")"""),
                                                              A,         R(NotReader), R(NotReader), R(NotReader), A,             A,             A,             R(NotReader),  R(NotReader)),
        // A regulator reads a record's history inside a case (it names the patient).
        new("Query.recordHistory", _ => new("""(recordType: "document", recordId: "doc-zhang-op", case: "NX-matrix", reason: "authorization matrix")"""),
                                                              A,         R(NotReader), R(NotReader), R(NotReader), A,             A,             A,             R(NotReader),  R(NotReader)),
        new("Query.accessHistory", _ => new("""(patientId: "pt-zhang", reason: "authorization matrix")"""),
                                                              A,         R(NotReader), R(NotReader), R(NotReader), A,             A,             A,             R(NotReader),  R(NotReader)),
        new("Query.seals", _ => new("""(documentId: "doc-zhang-note", reason: "authorization matrix")"""),
                                                              A,         R(NotReader), R(NotReader), R(NotReader), A,             A,             A,             R(NotReader),  R(NotReader)),
        new("Query.myAccessLog", _ => new(),                  A,         R(NotReader), R(NotReader), R(NotReader), R(NotReader),  R(NotReader),  R(NotReader),  R(NotReader),  R(NotReader)),
        // A signature that does not exist: the pharmacist passes the role checks and is refused for the signature, so the prescription stays signed.
        new("Mutation.approvePrescription", _ => Input("ApprovePrescriptionInput",
                new { prescriptionId = "rx-awaiting-review", signatureId = "sig-matrix-missing" }),
                                                              R(NotPharmacist), R(Prescriber), A, R(NotPharmacist), R(NotPharmacist), R(NotPharmacist), R(NotPharmacist), R(NotPharmacist), R(NotPharmacist)),
        new("Mutation.rejectPrescription", _ => Input("RejectPrescriptionInput",
                new { prescriptionId = "rx-awaiting-review", reasons = new[] { "authorization matrix" } }),
                                                              R(NotPharmacist), R(Prescriber), A, R(NotPharmacist), R(NotPharmacist), R(NotPharmacist), R(NotPharmacist), R(NotPharmacist), R(NotPharmacist)),
        // Feeds: integrators use them within the grant their token carries (the matrix's tokens carry none), administrators
        // operate them; a webhook that is not the caller's is as unknown as a missing one.
        new("Query.webhooks", _ => new(),                     F,         F,          F,         F,             F,             F,             F,             F,             A),
        new("Query.webhookDeliveries", _ => new($"(webhookId: \"{NoWebhook}\")"),
                                                              F,         F,          F,         F,             F,             F,             F,             F,             R(UnknownWebhook)),
        new("Query.webhookDeadLetters", _ => new($"(webhookId: \"{NoWebhook}\")"),
                                                              F,         F,          F,         F,             F,             F,             F,             F,             R(UnknownWebhook)),
        new("Mutation.registerWebhook", _ => new("(input: $input)", "($input: RegisterWebhookInput!)",
                new { input = new { endpoint = "http://127.0.0.1:9/matrix-hook", eventTypes = new[] { "prescription.*" } } }),
                                                              F,         F,          F,         F,             F,             F,             F,             F,             A),
        new("Mutation.pauseWebhook", _ => new($"(webhookId: \"{NoWebhook}\")"),
                                                              F,         F,          F,         F,             F,             F,             F,             F,             R(UnknownWebhook)),
        new("Mutation.resumeWebhook", _ => new($"(webhookId: \"{NoWebhook}\")"),
                                                              F,         F,          F,         F,             F,             F,             F,             F,             R(UnknownWebhook)),
        new("Mutation.replayWebhook", _ => new($"(webhookId: \"{NoWebhook}\", after: \"0\")"),
                                                              F,         F,          F,         F,             F,             F,             F,             F,             R(UnknownWebhook)),
    ];

    private static readonly Decided D = new();

    // Before the rows made from it: static fields start in the order they are written.
    private static readonly GraphQL.Types.Schema Schema = RecordsSchema.Build();

    /// <summary>
    /// A row for every command mutation (src/Api/Schema/CommandMutations.cs) that has none in <see cref="Matrix"/>: each role
    /// sends the command with its required fields filled in (<see cref="Placeholder"/>, naming records that do not exist), and
    /// the domain decides (<see cref="Decided"/>). A command the domain adds is covered with no edit here.
    /// </summary>
    public static readonly Row[] CommandRows = Schema.Mutation!.Fields.Values
        .Where(f => !Matrix.Any(r => r.Field == "Mutation." + f.Name) && f.GetArgument("input")?.Type.Named is GraphQL.Types.InputObjectType)
        .Select(f =>
        {
            var input = f.GetArgument("input")!.Type;
            return new Row("Mutation." + f.Name, _ => Input(input.Named.Name, Placeholder(input)!), Enumerable.Repeat<Expect>(D, Roles.Length).ToArray());
        })
        .ToArray();

    /// <summary>Every row: the explicit matrix, then the command mutations' generic rows.</summary>
    public static IEnumerable<Row> AllRows => Matrix.Concat(CommandRows);

    /// <summary>A value for every required field of an input type; ids name records that do not exist.</summary>
    private static object? Placeholder(GraphQL.Types.GraphQLType type) => type.Named switch
    {
        _ when type is not GraphQL.Types.NonNullType => null,
        GraphQL.Types.InputObjectType input => input.Fields.Values.Where(f => f.IsRequired && f.Name != "clientMutationId")
            .ToDictionary(f => f.Name, f => Placeholder(f.Type)),
        _ when type.Nullable is GraphQL.Types.ListType => Array.Empty<object>(),
        GraphQL.Types.EnumType e => e.Values[0].Name,
        GraphQL.Types.ScalarType { Name: "ID" } => "matrix-missing",
        GraphQL.Types.ScalarType { Name: "Boolean" } => false,
        GraphQL.Types.ScalarType { Name: "Int" } => 1,
        GraphQL.Types.ScalarType { Name: "Instant" } => "2026-01-01T00:00:00Z",
        GraphQL.Types.ScalarType { Name: "LocalDate" } => "2000-01-01",
        GraphQL.Types.ScalarType { Name: "Duration" } => "PT1H",
        GraphQL.Types.ScalarType { Name: "Decimal" or "Long" } => "1",
        _ => "authorization matrix",
    };

    /// <summary>A Relay mutation's <c>input</c> argument, with a fresh client mutation id.</summary>
    private static Probe Input(string inputType, object input)
    {
        var fields = JsonSerializer.SerializeToElement(input).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        fields["clientMutationId"] = Guid.NewGuid().ToString();
        return new("(input: $input)", $"($input: {inputType}!)", new { input = fields });
    }

    /// <summary>The operation calling <paramref name="field"/> ("Query.me") as <paramref name="probe"/> says.</summary>
    private static (string Query, object? Variables) Operation(string field, Probe probe)
    {
        var (root, name) = (field[..field.IndexOf('.')], field[(field.IndexOf('.') + 1)..]);
        var type = (root == "Query" ? Schema.Query : Schema.Mutation)!.GetField(name)!.Type.Named;
        return ($"{root.ToLowerInvariant()}{probe.VariableDefinitions} {{ {name}{probe.Arguments} {Everything(type, depth: 3)} }}", probe.Variables);
    }

    /// <summary>
    /// A selection of every field of <paramref name="type"/> that needs no argument, objects <paramref name="depth"/>
    /// levels down (then their type name only); nothing for a leaf type.
    /// </summary>
    private static string Everything(GraphQL.Types.NamedType type, int depth) => type switch
    {
        GraphQL.Types.ObjectType o when depth > 0 => "{ __typename " + string.Join(" ", o.Fields.Values
            .Where(f => !f.Arguments.Any(a => a.Type is GraphQL.Types.NonNullType))
            .Select(f => f.Name + " " + Everything(f.Type.Named, depth - 1))) + " }",
        { IsLeafType: true } => "",
        _ => "{ __typename }",
    };

    [Fact]
    public void Every_root_field_has_a_row()
    {
        var fields = Schema.Query!.Fields.Keys.Select(f => "Query." + f)
            .Concat(Schema.Mutation?.Fields.Keys.Select(f => "Mutation." + f) ?? [])
            .ToHashSet();
        var rows = AllRows.Select(r => r.Field).ToList();

        Assert.True(fields.Except(rows).Order().ToList() is [], $"Fields without a row in the authorization matrix: {string.Join(", ", fields.Except(rows).Order())}");
        Assert.True(rows.Except(fields).ToList() is [], $"Rows for fields the schema no longer has: {string.Join(", ", rows.Except(fields))}");
        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.All(AllRows, row => Assert.True(row.Cells.Length == Roles.Length, $"{row.Field} has {row.Cells.Length} cells; it needs one per role ({Roles.Length})."));
    }

    [Fact]
    public async Task Anonymous_callers_get_401_on_every_field()
    {
        foreach (var row in AllRows)
        {
            var (status, body) = await SendAsync(null, Operation(row.Field, row.Probe(DemoPersonas.PatientZhang)));
            Assert.True(status == HttpStatusCode.Unauthorized, $"{row.Field}: anonymous got {(int)status}");
            Assert.Equal("auth.missing_token", body.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Every_role_gets_its_expected_outcome_on_every_field()
    {
        var failures = new List<string>();
        foreach (var row in AllRows)
        {
            var cells = Roles.Zip(row.Cells).OrderBy(c => c.Second is Allowed).ToList();
            foreach (var ((role, persona), expected) in cells)
            {
                if (await CheckAsync(row, persona, expected) is { } failure) failures.Add($"{row.Field} as {role}: {failure}");
            }
        }

        Assert.True(failures is [], "Cells that do not hold:\n" + string.Join("\n", failures));
    }

    /// <summary>Why the cell does not hold, or null when it does.</summary>
    private async Task<string?> CheckAsync(Row row, Actor persona, Expect expected)
    {
        var field = row.Field[(row.Field.IndexOf('.') + 1)..];
        var before = await LastEventIdAsync();
        var (status, body) = await SendAsync(persona, Operation(row.Field, row.Probe(persona)));
        if (status != HttpStatusCode.OK) return $"HTTP {(int)status}: {body}";

        var value = body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty(field, out var v) ? v : default;
        var codes = Codes(body, value).ToList();
        switch (expected)
        {
            case Allowed:
                if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return $"no data: {body}";
                return codes.FirstOrDefault(IsRefusal) is { } refusal ? $"refused with {refusal}" : null;
            case Refused(var code):
                if (!codes.Contains(code)) return $"expected {code}, got {body}";
                if (Leaks(value)) return $"refused but answered with data: {value}";
                return await RecordedAsync(before, persona.Id, code) ? null : $"refused with {code} but no refusal by {persona.Id} was recorded";
            case Decided:
                if (value.ValueKind != JsonValueKind.Object) return $"no payload: {body}";
                if (value.GetProperty("error").ValueKind == JsonValueKind.Null) return null;
                var refused = value.GetProperty("error").GetProperty("code").GetString()!;
                if (Leaks(value)) return $"refused with {refused} but answered with data: {value}";
                return await RecordedAsync(before, persona.Id, refused) ? null : $"refused with {refused} but no refusal by {persona.Id} was recorded";
            default:
                throw new ArgumentOutOfRangeException(nameof(expected));
        }
    }

    /// <summary>The codes of the response's GraphQL errors and of a mutation payload's own error.</summary>
    private static IEnumerable<string> Codes(JsonElement body, JsonElement value)
    {
        if (body.TryGetProperty("errors", out var errors))
            foreach (var error in errors.EnumerateArray())
                if (error.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("code", out var code)) yield return code.GetString()!;
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("error", out var payloadError) && payloadError.ValueKind == JsonValueKind.Object)
            yield return payloadError.GetProperty("code").GetString()!;
    }

    /// <summary>A code that says who asks may not: any the matrix expects somewhere, or a domain's role refusal.</summary>
    private static bool IsRefusal(string code) =>
        code.EndsWith(".role_not_allowed", StringComparison.Ordinal) || Matrix.SelectMany(r => r.Cells).OfType<Refused>().Any(r => r.Code == code);

    /// <summary>
    /// A refused field answers null, or a payload holding nothing but its type, the caller's mutation id, the record id the
    /// caller named (or its mutation id made) and the error.
    /// </summary>
    private static bool Leaks(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().Any(p => p.Name is not ("__typename" or "clientMutationId" or "recordId" or "error")
                && p.Value.ValueKind != JsonValueKind.Null && !(p.Value.ValueKind == JsonValueKind.Array && p.Value.GetArrayLength() == 0))
            : value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(Actor? actor, (string Query, object? Variables) operation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query = operation.Query, variables = operation.Variables }), Encoding.UTF8, "application/json"),
        };
        if (actor is not null)
        {
            var token = host.Host.App.Services.GetRequiredService<TokenIssuer>().Issue(actor.Id, actor.Role, actor.RealNameVerified);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await host.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<long> LastEventIdAsync()
    {
        await using var command = host.Admin.CreateCommand("select coalesce(max(id), 0) from eventstore.events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Whether a refusal of <paramref name="actorId"/> with <paramref name="code"/> was appended after event <paramref name="after"/>.</summary>
    private async Task<bool> RecordedAsync(long after, string actorId, string code)
    {
        await using var command = host.Admin.CreateCommand(
            "select exists (select 1 from eventstore.events where id > $1 and actor_id = $2 and stream_type = 'command_rejection' and data->>'code' = $3)");
        command.Parameters.Add(new() { Value = after });
        command.Parameters.Add(new() { Value = actorId });
        command.Parameters.Add(new() { Value = code });
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
