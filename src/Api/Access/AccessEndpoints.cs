using Records.Api.Identity;
using Records.Domain;
using Records.Domain.RecordAccess;

namespace Records.Api.Access;

/// <summary>HTTP reads of patient data, each through <see cref="AuditedReads"/> (the GraphQL schema will call the same gate).</summary>
public static class AccessEndpoints
{
    public static void MapAccess(this WebApplication app)
    {
        // GET /patients/{id}/record?purpose=treatment&reason=...&case=...
        app.MapGet("/patients/{patientId}/record", async (string patientId, string? purpose, string? reason, string? @case, HttpContext context,
            AuditedReads reads, PatientRecords records, CancellationToken ct) =>
        {
            if (RecordsClaims.ToActor(context.User) is not { } actor) return Results.Unauthorized();
            if (!Enum.TryParse<PurposeOfUse>(purpose ?? nameof(PurposeOfUse.Treatment), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Results.BadRequest(new { code = "request.invalid_purpose", message = $"'{purpose}' is not a purpose of use: {string.Join(", ", Enum.GetNames<PurposeOfUse>())}." });
            }

            var read = await reads.ReadAsync(actor, new ReadRequest(patientId, PatientRecords.Resource, parsed, reason, @case),
                (disclosure, token) => records.LoadAsync(patientId, disclosure, token), ct);
            return read.Refusal switch
            {
                null => Results.Ok(new { record = read.Data, access = new { eventId = read.AccessEventId, pseudonymised = read.Pseudonymised } }),
                { Code: "access.audit_unavailable" } r => Results.Json(Body(r), statusCode: StatusCodes.Status503ServiceUnavailable),
                var r => Results.Json(Body(r), statusCode: StatusCodes.Status403Forbidden),
            };
        }).RequireAuthorization();
    }

    private static object Body(Rejection r) => new { code = r.Code, message = r.Message, rule = r.Rule };
}
