using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Records.Api.Identity;
using Records.Domain;

namespace Records.Api.Tests.Writes;

/// <summary>
/// A client of the records schema's mutations over HTTP, as an app would be: it signs in as an actor,
/// sends <c>{command}(input: …)</c>, and keeps each person's ECDSA P-256 key to sign what the API shows it.
/// </summary>
public sealed class WriteApi(RecordsHostFixture host)
{
    public const string Payload = "clientMutationId recordId events { eventId eventType version hash sequence } error { code message rule { id source } }";

    public static readonly Actor Admin = new("admin-w", Role.Administrator, true);

    private readonly Dictionary<string, ECDsa> _keys = [];

    public RecordsHostFixture Host => host;

    public string TokenFor(Actor actor) =>
        host.Host.App.Services.GetRequiredService<TokenIssuer>().Issue(actor.Id, actor.Role, actor.RealNameVerified);

    /// <summary>Posts a GraphQL request as <paramref name="actor"/>; the status and the parsed body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(Actor? actor, string query, object? variables = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        return await SendAsync(actor, request);
    }

    /// <summary>Posts a raw body (for malformed requests).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PostRawAsync(Actor? actor, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return await SendAsync(actor, request);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(Actor? actor, HttpRequestMessage request)
    {
        if (actor is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(actor));
        var response = await host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static string MutationText(string command, string state = "") =>
        $"mutation($input: {command}Input!) {{ {Field(command)}(input: $input) {{ {Payload} {state} }} }}";

    public static string Field(string command) => char.ToLowerInvariant(command[0]) + command[1..];

    /// <summary>Sends command <paramref name="command"/> (its C# name) with <paramref name="input"/>; a new clientMutationId unless the input has one.</summary>
    public async Task<JsonElement> MutateAsync(Actor actor, string command, object input, string state = "")
    {
        var fields = JsonSerializer.SerializeToElement(input, JsonSerializerOptions.Web).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        fields.TryAdd("clientMutationId", Guid.NewGuid().ToString());
        var (status, body) = await PostAsync(actor, MutationText(command, state), new { input = fields });
        Assert.True(status == HttpStatusCode.OK && !body.TryGetProperty("errors", out _), $"{command}: {status} {body}");
        return body.GetProperty("data").GetProperty(Field(command));
    }

    /// <summary>Like <see cref="MutateAsync"/>, failing the test when the domain refuses.</summary>
    public async Task<JsonElement> AcceptedAsync(Actor actor, string command, object input, string state = "")
    {
        var payload = await MutateAsync(actor, command, input, state);
        Assert.True(payload.GetProperty("error").ValueKind == JsonValueKind.Null, $"{command} refused: {payload.GetProperty("error")}");
        Assert.NotEqual(0, payload.GetProperty("events").GetArrayLength());
        return payload;
    }

    /// <summary>Like <see cref="MutateAsync"/>, expecting the domain's refusal with <paramref name="code"/>; returns the error.</summary>
    public async Task<JsonElement> RefusedAsync(Actor actor, string command, object input, string code)
    {
        var payload = await MutateAsync(actor, command, input);
        var error = payload.GetProperty("error");
        Assert.True(error.ValueKind == JsonValueKind.Object, $"{command} was accepted: {payload}");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(0, payload.GetProperty("events").GetArrayLength());
        return error;
    }

    public static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    public static string Hash(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    /// <summary>The public half of the person's key, as the API takes it (SigningKeyInput).</summary>
    public object SigningKeyOf(Actor person)
    {
        var publicKey = KeyOf(person).ExportSubjectPublicKeyInfo();
        return new
        {
            fingerprint = Convert.ToHexStringLower(SHA256.HashData(publicKey)),
            algorithm = "ECDSA_P256_WITH_SHA256",
            publicKey = Convert.ToBase64String(publicKey),
            validFrom = "2025-01-01T00:00:00Z",
        };
    }

    /// <summary>Records <paramref name="signer"/>'s signature over <paramref name="hash"/> (a version of a record) through the API; the signature's id.</summary>
    public async Task<string> SignAsync(Actor signer, string streamType, string recordId, long version, string hash)
    {
        var value = KeyOf(signer).SignData(Convert.FromHexString(hash), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var signed = await AcceptedAsync(signer, "RecordSignature", new
        {
            subject = new { streamType, streamId = $"{streamType}-{recordId}", version },
            subjectHash = hash,
            algorithm = "ECDSA_P256_WITH_SHA256",
            keyFingerprint = Convert.ToHexStringLower(SHA256.HashData(KeyOf(signer).ExportSubjectPublicKeyInfo())),
            value = Convert.ToBase64String(value),
        });
        return signed.GetProperty("recordId").GetString()!;
    }

    private ECDsa KeyOf(Actor person)
    {
        lock (_keys)
        {
            if (!_keys.TryGetValue(person.Id, out var key)) _keys[person.Id] = key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return key;
        }
    }

    // The hospital's records, set up through the API.

    public async Task InstitutionAsync() => await MutateAsync(Admin, "RegisterInstitution", new
    {
        institutionId = RecordsHostFixture.InstitutionId, name = "测试互联网医院", licenceNumber = "LIC-W", physicalInstitution = "测试人民医院",
        provinceCode = "330000", subjects = new[] { "内科", "药学", "护理" },
    });

    /// <summary>A practitioner registered, enrolled, trained and holding a signing key.</summary>
    public async Task<Actor> PractitionerAsync(string profession, string scope)
    {
        var id = NewId(profession.ToLowerInvariant());
        await AcceptedAsync(Admin, "RegisterPractitioner", new
        {
            practitionerId = id, name = "医护 " + id, profession = profession.ToUpperInvariant(), title = "主治", grade = "INTERMEDIATE", nationalRegistryNumber = "NHC-" + id, practiceSince = "2010-07-01",
        });
        await AcceptedAsync(Admin, "Enrol", new { practitionerId = id, institutionId = RecordsHostFixture.InstitutionId, kind = "REGISTERED", scope = new[] { scope } });
        await AcceptedAsync(Admin, "RecordTraining", new { practitionerId = id, course = "互联网诊疗规范", passed = true, completedOn = "2026-01-15" });
        var actor = new Actor(id, Enum.Parse<Role>(profession, ignoreCase: true), true);
        await AcceptedAsync(actor, "RegisterSigningKey", new { practitionerId = id, key = SigningKeyOf(actor) });
        return actor;
    }

    public async Task<Actor> PatientAsync(string dateOfBirth = "1970-05-01")
    {
        var id = NewId("pt");
        await AcceptedAsync(Admin, "RegisterPatient", new
        {
            patientId = id, name = "患者 " + id, sex = "FEMALE", dateOfBirth, identityDocumentHash = Hash("身份证 " + id), contact = "+86 138 0000 0000",
        });
        var patient = new Actor(id, Role.Patient, true);
        await AcceptedAsync(patient, "GrantConsent", new
        {
            patientId = id, scope = "ONLINE_VISIT", formVersion = "v3", formTextHash = Hash("知情同意书 online"),
        });
        return patient;
    }

    /// <summary>A follow-up requested by the patient, taken by the doctor after real-name verification for it.</summary>
    public async Task<string> OpenFollowUpAsync(Actor patient, Actor doctor)
    {
        var visit = NewId("c");
        await AcceptedAsync(patient, "RequestConsultation", new
        {
            consultationId = visit, patientId = patient.Id, kind = "ONLINE_FOLLOW_UP", subject = "内科", complaint = "高血压复诊", firstVisit = false,
        });
        await AcceptedAsync(doctor, "VerifyRealName", new { practitionerId = doctor.Id, consultationId = visit, method = "人脸识别" });
        await AcceptedAsync(doctor, "AcceptConsultation", new { consultationId = visit });
        return visit;
    }
}
