using System.Text.Json;
using NodaTime;
using Records.Api.Hosting;
using Records.Domain;
using Records.Domain.ClinicalDocument;
using Records.EventStore;
using Records.GraphQL;
using Records.GraphQL.Types;
using Records.Projections.Access;
using Records.Projections.AsOf;
using Records.Projections.Streams;
using Records.Projections.Views;

namespace Records.Api.Schema;

/// <summary>
/// What legal staff (and quality managers, regulators in a case, patients for their own) read to settle a
/// dispute: a record as it stood at an instant, the change history of any record with actors and reasons,
/// who read a patient's data, and a document's seals. Each read is recorded against the patient first.
/// </summary>
public static class LegalQueries
{
    public static readonly IReadOnlySet<Role> LegalReaders = new HashSet<Role> { Role.Legal, Role.QualityManager, Role.Regulator, Role.Patient };

    /// <summary>The streams whose history is a patient's data, and so is read through the gate.</summary>
    private static readonly IReadOnlySet<string> PatientRecordTypes = new HashSet<string>
        { StreamTypes.Patient, StreamTypes.Consent, StreamTypes.Consultation, StreamTypes.Prescription, StreamTypes.Document };

    public static void AddTo(FieldsBuilder query, CommonTypes common, ReadTypes read)
    {
        var version = new ObjectType("DocumentVersionAsOf", t => t
            .Field("version", ScalarType.Int.NonNull())
            .Field("replaces", ScalarType.Int)
            .Field("contentHash", ScalarType.String.NonNull())
            .Field("authorId", ScalarType.ID.NonNull())
            .Field("writtenAt", read.Time.NonNull(), ReadTypes.Of<DocumentVersion>(v => v.At))
            .Field("signatureId", ScalarType.ID));
        var document = new ObjectType("DocumentAsOf", t => t
            .Field("documentId", ScalarType.ID.NonNull(), ReadTypes.Of<ClinicalDocumentState>(d => d.Id))
            .Field("patientId", ScalarType.ID.NonNull())
            .Field("kind", read.Enum<DocumentKind>().NonNull())
            .Field("currentVersion", ScalarType.Int, ReadTypes.Of<ClinicalDocumentState>(d => d.Current?.Version))
            .Field("versions", version.NonNull().List().NonNull())
            .Field("archived", ScalarType.Boolean.NonNull())
            .Field("sealed", ScalarType.Boolean.NonNull())
            .Field("sealedAt", read.Time), description: "A document as it stood at the instant asked, folded from its events.");
        var consultation = new ObjectType("ConsultationAsOf", t => t
            .Field("consultationId", ScalarType.ID.NonNull(), ReadTypes.Of<Records.Domain.Consultation.ConsultationState>(c => c.Id))
            .Field("status", ScalarType.String.NonNull(), ReadTypes.Of<Records.Domain.Consultation.ConsultationState>(c => c.Status.ToString()))
            .Field("kind", ScalarType.String.NonNull(), ReadTypes.Of<Records.Domain.Consultation.ConsultationState>(c => c.Kind.ToString()))
            .Field("subject", ScalarType.String.NonNull())
            .Field("doctorId", ScalarType.ID)
            .Field("diagnoses", read.Diagnosis.NonNull().List().NonNull()));
        var prescription = new ObjectType("PrescriptionAsOf", t => t
            .Field("prescriptionId", ScalarType.ID.NonNull(), ReadTypes.Of<Records.Domain.Prescription.PrescriptionState>(p => p.Id))
            .Field("status", ScalarType.String.NonNull(), ReadTypes.Of<Records.Domain.Prescription.PrescriptionState>(p => p.Status.ToString()))
            .Field("consultationId", ScalarType.ID.NonNull())
            .Field("prescriberId", ScalarType.ID.NonNull())
            .Field("reviewerId", ScalarType.ID)
            .Field("signingHash", ScalarType.String.NonNull()));
        var record = new ObjectType("RecordAsOf", t => t
            .Field("at", read.Time.NonNull())
            .Field("patientId", ScalarType.ID.NonNull(), ReadTypes.Of<RecordAsOf>(r => r.PatientId))
            .Field("name", ScalarType.String, ReadTypes.Of<RecordAsOf>(r => r.Pseudonymised ? null : r.Record.Patient.Name))
            .Field("consultations", consultation.NonNull().List().NonNull(), ReadTypes.Of<RecordAsOf>(r => r.Record.Consultations))
            .Field("prescriptions", prescription.NonNull().List().NonNull(), ReadTypes.Of<RecordAsOf>(r => r.Record.Prescriptions))
            .Field("documents", document.NonNull().List().NonNull(), ReadTypes.Of<RecordAsOf>(r => r.Record.Documents)),
            description: "A patient's whole record as it stood at an instant, from events alone.");
        var change = new ObjectType("RecordChange", t => t
            .Field("eventId", ScalarType.ID.NonNull(), ReadTypes.Of<RecordedEvent>(e => e.EventId))
            .Field("eventType", ScalarType.String.NonNull(), ReadTypes.Of<RecordedEvent>(e => e.EventType))
            .Field("version", read.Long.NonNull(), ReadTypes.Of<RecordedEvent>(e => e.Version))
            .Field("sequence", read.Long, ReadTypes.Of<RecordedEvent>(e => e.Sequence))
            .Field("recordedAt", read.Time.NonNull(), ReadTypes.Of<RecordedEvent>(e => e.RecordedAt))
            .Field("claimedAt", read.Time, ReadTypes.Of<RecordedEvent>(e => e.Metadata.ClaimedAt))
            .Field("actorId", ScalarType.ID, ReadTypes.Of<RecordedEvent>(e => e.Metadata.Actor?.Id))
            .Field("actorRole", ScalarType.String, ReadTypes.Of<RecordedEvent>(e => e.Metadata.Actor?.Role))
            .Field("reason", ScalarType.String, ReadTypes.Of<RecordedEvent>(ReasonOf), description: "The reason the event gives (an amendment's, a rejection's, a review's note).")
            .Field("hash", ScalarType.String.NonNull(), ReadTypes.Of<RecordedEvent>(e => Convert.ToHexStringLower(e.Hash)))
            .Field("previousHash", ScalarType.String.NonNull(), ReadTypes.Of<RecordedEvent>(e => Convert.ToHexStringLower(e.PreviousHash)))
            .Field("data", ScalarType.String.NonNull(), ReadTypes.Of<RecordedEvent>(e => e.Data), description: "The event's data as recorded (JSON)."),
            description: "One change of a record: what happened, who did it and why, and its place in the hash chain.");
        var seal = new ObjectType("SealEvent", t => t
            .Field("kind", ScalarType.String.NonNull(), description: "sealed, partSealed or unsealed.")
            .Field("at", read.Time.NonNull())
            .Field("disputeRef", ScalarType.String)
            .Field("sealingListHash", ScalarType.String)
            .Field("institutionSignatureId", ScalarType.ID)
            .Field("patientSideSignatureId", ScalarType.ID)
            .Field("contentHash", ScalarType.String)
            .Field("description", ScalarType.String)
            .Field("ground", ScalarType.String)
            .Field("resolutionRef", ScalarType.String)
            .Field("eventId", ScalarType.ID.NonNull())
            .Field("sequence", read.Long));

        var at = new InputValueDefinition("at", read.Time.NonNull());
        query
            .Field("recordAsOf", record.NonNull(), RecordAsOfAsync, [new("patientId", ScalarType.ID.NonNull()), at, .. ReadGate.AccessArguments(common)],
                "A patient's whole record as it stood at an instant.")
            .Field("documentAsOf", document.NonNull(), DocumentAsOfAsync, [new("documentId", ScalarType.ID.NonNull()), at, .. ReadGate.AccessArguments(common)],
                "A document as it stood at an instant (say, just before its amendment).")
            .Field("recordHistory", change.NonNull().List().NonNull(), RecordHistoryAsync,
                [new("recordType", ScalarType.String.NonNull()) { Description = "patient, consent, consultation, prescription, document, practitioner, ..." },
                 new("recordId", ScalarType.ID.NonNull()), .. ReadGate.AccessArguments(common)],
                "Every change of a record, in order, with its actor, reason and hashes.")
            .Field("accessHistory", read.AccessRecord.NonNull().List().NonNull(), AccessHistoryAsync,
                [new("patientId", ScalarType.ID.NonNull()), new("from", read.Time), new("to", read.Time), .. ReadGate.AccessArguments(common)],
                "Who read a patient's data, when, why, on what basis, and the review of each break-glass.")
            .Field("seals", seal.NonNull().List().NonNull(), SealsAsync, [new("documentId", ScalarType.ID.NonNull()), .. ReadGate.AccessArguments(common)],
                "A document's seals (封存) and unseals, with the dispute and the signatures of both parties.");
    }

    private sealed record RecordAsOf(Instant At, string PatientId, bool Pseudonymised, PatientRecordAsOf Record);

    private static async ValueTask<object?> RecordAsOfAsync(ResolveContext ctx)
    {
        var patientId = ctx.Argument<string>("patientId")!;
        var at = ctx.Argument<Instant>("at");
        return await ctx.AuditedAsync(patientId, "patient.record_as_of", LegalReaders, async (disclosure, _) =>
        {
            var record = await ctx.ViewAsync(ProjectionService.Emr, ct => ctx.Service<AsOfRecords>().PatientAsync(patientId, at, ct))
                ?? throw new GraphQLError($"Patient {disclosure.Id(patientId)} was not registered at {at}.", "read.not_found");
            return new RecordAsOf(at, disclosure.Id(patientId), disclosure.Pseudonymised, record);
        });
    }

    private static async ValueTask<object?> DocumentAsOfAsync(ResolveContext ctx)
    {
        var documentId = ctx.Argument<string>("documentId")!;
        var at = ctx.Argument<Instant>("at");
        return await ctx.AuditedRecordAsync(StreamTypes.Document, documentId, "document.as_of", LegalReaders, async (_, disclosure, ct) =>
            await ctx.Service<AsOfRecords>().DocumentAsync(documentId, at, ct) is { } document
                ? document with { PatientId = disclosure.Id(document.PatientId) }
                : throw new GraphQLError($"Document {documentId} did not exist at {at}.", "read.not_found"));
    }

    private static async ValueTask<object?> RecordHistoryAsync(ResolveContext ctx)
    {
        var type = ctx.Argument<string>("recordType")!;
        var id = ctx.Argument<string>("recordId")!;
        var stream = new StreamRef(type, id).StreamId;
        async Task<IReadOnlyList<RecordedEvent>> Load(CancellationToken ct)
        {
            var events = new List<RecordedEvent>();
            await foreach (var e in ctx.Service<PostgresEventStore>().ReadStreamAsync(stream, cancellationToken: ct)) events.Add(e);
            return events.Count > 0 ? events : throw ReadGate.NotFound(type, id);
        }
        if (!PatientRecordTypes.Contains(type))
        {
            await ctx.AuthorizeAsync("record.history", LegalReaders);
            return await Load(ctx.CancellationToken);
        }
        return type == StreamTypes.Patient
            ? await ctx.AuditedAsync(id, "record.history", LegalReaders, (_, ct) => Load(ct), identifying: true)
            : await ctx.AuditedRecordAsync(type, id, "record.history", LegalReaders, (_, _, ct) => Load(ct), identifying: true);
    }

    private static async ValueTask<object?> AccessHistoryAsync(ResolveContext ctx)
    {
        var patientId = ctx.Argument<string>("patientId")!;
        return await ctx.AuditedAsync(patientId, "patient.access_log", LegalReaders, async (disclosure, _) =>
            (await ctx.ViewAsync(ProjectionService.Access, ct => ctx.Service<AccessQueries>().ReadsOfPatientAsync(patientId, ctx.Argument<Instant?>("from"), ctx.Argument<Instant?>("to"), ct)))
                .Select(r => r with { PatientId = disclosure.Id(r.PatientId) }).ToList());
    }

    private static async ValueTask<object?> SealsAsync(ResolveContext ctx)
    {
        var documentId = ctx.Argument<string>("documentId")!;
        return await ctx.AuditedRecordAsync(StreamTypes.Document, documentId, "document.seals", LegalReaders, async (_, _, ct) =>
        {
            var store = ctx.Service<DomainStore>();
            var seals = new List<SealEntry>();
            await foreach (var e in ctx.Service<PostgresEventStore>().ReadStreamAsync(new StreamRef(StreamTypes.Document, documentId).StreamId, cancellationToken: ct))
            {
                var entry = store.Deserialize(e) switch
                {
                    DocumentSealed s => new SealEntry("sealed", s.SealedAt, e) with
                    {
                        DisputeRef = s.DisputeRef, SealingListHash = s.SealingListHash,
                        InstitutionSignatureId = s.InstitutionSignatureId, PatientSideSignatureId = s.PatientSideSignatureId,
                    },
                    CompletedPartSealed p => new SealEntry("partSealed", p.SealedAt, e) { ContentHash = p.ContentHash, Description = p.Description },
                    DocumentUnsealed u => new SealEntry("unsealed", u.UnsealedAt, e) { Ground = u.Ground.ToString(), ResolutionRef = u.ResolutionRef },
                    _ => null,
                };
                if (entry is not null) seals.Add(entry);
            }
            return seals;
        });
    }

    private sealed record SealEntry(string Kind, Instant At, RecordedEvent Event)
    {
        public string? DisputeRef { get; init; }
        public string? SealingListHash { get; init; }
        public string? InstitutionSignatureId { get; init; }
        public string? PatientSideSignatureId { get; init; }
        public string? ContentHash { get; init; }
        public string? Description { get; init; }
        public string? Ground { get; init; }
        public string? ResolutionRef { get; init; }
        public Guid EventId => Event.EventId;
        public long? Sequence => Event.Sequence;
    }

    /// <summary>The reason an event gives, under the names the domain's events use for one.</summary>
    private static string? ReasonOf(RecordedEvent e)
    {
        using var data = JsonDocument.Parse(e.Data);
        foreach (var name in (string[])["reason", "reasons", "note", "breakGlassReason"])
        {
            if (!data.RootElement.TryGetProperty(name, out var value)) continue;
            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Array => string.Join("; ", value.EnumerateArray().Select(v => v.ToString())),
                _ => null,
            };
        }
        return null;
    }
}
