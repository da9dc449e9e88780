using NodaTime;
using Records.Api.Hosting;
using Records.Domain;
using Records.Domain.Consultation;
using Records.GraphQL;
using Records.GraphQL.Execution;
using Records.GraphQL.Types;
using Records.Projections.Access;
using Records.Projections.Emr;
using Records.Projections.Traceability;
using Records.Projections.Views;

namespace Records.Api.Schema;

/// <summary>
/// What clinicians read, from the EMR and traceability views, each read of a patient's data recorded first:
/// a patient's history (Relay-paged), the patients in their care with their prescriptions (batched),
/// a consultation with its messages and evidence, the pharmacists' review queue, a document with its versions.
/// </summary>
public static class ClinicianQueries
{
    /// <summary>Who reads clinical records at all (the gate then asks for a care relationship, a reason or their own record).</summary>
    public static readonly IReadOnlySet<Role> ClinicalReaders =
        new HashSet<Role> { Role.Patient, Role.Physician, Role.Pharmacist, Role.Nurse, Role.QualityManager, Role.Legal };

    public static readonly IReadOnlySet<Role> CareTeam = new HashSet<Role> { Role.Physician, Role.Pharmacist, Role.Nurse };

    public static readonly IReadOnlySet<Role> Pharmacists = new HashSet<Role> { Role.Pharmacist };

    /// <summary>The prescription as the EMR view holds it.</summary>
    public static ObjectType PrescriptionRecord(ReadTypes read) => new("PrescriptionRecord", t => t
        .Field("prescriptionId", ScalarType.ID.NonNull())
        .Field("consultationId", ScalarType.ID)
        .Field("prescriberId", ScalarType.ID)
        .Field("drugs", ScalarType.String, description: "The prescribed lines as recorded (JSON).")
        .Field("status", ScalarType.String.NonNull())
        .Field("isActive", ScalarType.Boolean.NonNull(), description: "Signed and not yet dispensed, cancelled or expired.")
        .Field("draftedAt", read.Time)
        .Field("signedAt", read.Time)
        .Field("validUntil", read.Time)
        .Field("reviewerId", ScalarType.ID)
        .Field("pharmacyId", ScalarType.ID)
        .Field("dispensedAt", read.Time)
        .Field("deliveredAt", read.Time)
        .Field("endedAt", read.Time));

    public static void AddTo(FieldsBuilder query, CommonTypes common, ReadTypes read, ObjectType prescription)
    {
        var timelineEntry = new ObjectType("TimelineEntry", t => t
            .Field("sequence", read.Long.NonNull())
            .Field("recordedAt", read.Time.NonNull())
            .Field("occurredAt", read.Time)
            .Field("eventId", ScalarType.ID.NonNull())
            .Field("streamId", ScalarType.ID.NonNull())
            .Field("streamVersion", read.Long.NonNull())
            .Field("eventType", ScalarType.String.NonNull())
            .Field("recordKind", ScalarType.String.NonNull())
            .Field("recordId", ScalarType.ID.NonNull())
            .Field("summary", ScalarType.String.NonNull()), description: "One event of one of the patient's records, in the order the log holds them.");
        var caredPatient = new ObjectType("CaredPatient", t => t
            .Field("patientId", ScalarType.ID.NonNull())
            .Field("basis", ScalarType.String.NonNull(), description: "The care relationship: patient, guardian, attending_physician, awaiting_review (any pharmacist), reviewing_pharmacist, dispensing_pharmacist.")
            .Field("since", read.Time.NonNull())
            .Field("until", read.Time, description: "When the relationship lapses; null while it is open-ended.")
            .Field("name", ScalarType.String, async ctx => (await CaredAsync(ctx)).Patient?.Name)
            .Field("sex", ScalarType.String, async ctx => (await CaredAsync(ctx)).Patient?.Sex)
            .Field("dateOfBirth", ScalarType.String, async ctx => (await CaredAsync(ctx)).Patient?.DateOfBirth?.ToString("yyyy-MM-dd", null))
            .Field("prescriptions", prescription.NonNull().List().NonNull(), async ctx => (await CaredAsync(ctx)).Prescriptions),
            description: "A patient in the reader's care now, with their data read (and recorded) for the whole page at once.");
        var message = new ObjectType("ConsultationMessage", t => t
            .Field("messageId", ScalarType.ID.NonNull())
            .Field("senderId", ScalarType.ID.NonNull())
            .Field("kind", read.Enum<MessageKind>().NonNull())
            .Field("text", ScalarType.String)
            .Field("contentRef", ScalarType.String)
            .Field("contentHash", ScalarType.String)
            .Field("postedAt", read.Time.NonNull())
            .Field("event", read.EventRef.NonNull()));
        var consultation = new ObjectType("ConsultationDetail", t => t
            .Field("consultationId", ScalarType.ID.NonNull(), ReadTypes.Of<ConsultationDetail>(c => c.Entry.ConsultationId))
            .Field("patientId", ScalarType.ID.NonNull())
            .Field("institutionId", ScalarType.ID, ReadTypes.Of<ConsultationDetail>(c => c.Entry.InstitutionId))
            .Field("kind", ScalarType.String, ReadTypes.Of<ConsultationDetail>(c => c.Entry.Kind))
            .Field("subject", ScalarType.String, ReadTypes.Of<ConsultationDetail>(c => c.Entry.Subject))
            .Field("firstVisit", ScalarType.Boolean, ReadTypes.Of<ConsultationDetail>(c => c.Entry.FirstVisit))
            .Field("status", ScalarType.String.NonNull(), ReadTypes.Of<ConsultationDetail>(c => c.Entry.Status))
            .Field("doctorId", ScalarType.ID, ReadTypes.Of<ConsultationDetail>(c => c.Entry.DoctorId))
            .Field("requestedAt", read.Time, ReadTypes.Of<ConsultationDetail>(c => c.Entry.RequestedAt))
            .Field("acceptedAt", read.Time, ReadTypes.Of<ConsultationDetail>(c => c.Entry.AcceptedAt))
            .Field("endedAt", read.Time, ReadTypes.Of<ConsultationDetail>(c => c.Entry.EndedAt))
            .Field("outcome", ScalarType.String, ReadTypes.Of<ConsultationDetail>(c => c.Entry.Outcome))
            .Field("messages", message.NonNull().List().NonNull(), ReadTypes.Of<ConsultationDetail>(c => c.Evidence?.Messages ?? []))
            .Field("evidence", read.OfflineEvidence.NonNull().List().NonNull(), ReadTypes.Of<ConsultationDetail>(c => c.Evidence?.Evidence ?? [])));
        var toReview = new ObjectType("PrescriptionToReview", t => t
            .Field("patientId", ScalarType.ID.NonNull())
            .Field("prescription", prescription.NonNull()));
        var version = new ObjectType("DocumentVersionEntry", t => t
            .Field("version", ScalarType.Int.NonNull())
            .Field("replaces", ScalarType.Int)
            .Field("contentHash", ScalarType.String)
            .Field("authorId", ScalarType.ID)
            .Field("reason", ScalarType.String, description: "Why it was amended (null for the first version).")
            .Field("writtenAt", read.Time)
            .Field("signatureId", ScalarType.ID)
            .Field("signerId", ScalarType.ID)
            .Field("signedAt", read.Time)
            .Field("eventId", ScalarType.ID)
            .Field("sequence", read.Long));
        var document = new ObjectType("DocumentDetail", t => t
            .Field("documentId", ScalarType.ID.NonNull())
            .Field("patientId", ScalarType.ID)
            .Field("consultationId", ScalarType.ID)
            .Field("kind", ScalarType.String)
            .Field("title", ScalarType.String)
            .Field("currentVersion", ScalarType.Int)
            .Field("signedVersion", ScalarType.Int)
            .Field("archived", ScalarType.Boolean.NonNull())
            .Field("sealed", ScalarType.Boolean.NonNull())
            .Field("versions", version.NonNull().List().NonNull()));

        var patientArgument = new InputValueDefinition("patientId", ScalarType.ID.NonNull());
        query
            .Field("patientHistory", read.Connection(timelineEntry).NonNull(), PatientHistoryAsync,
                [patientArgument, .. ReadTypes.Paging, .. ReadGate.AccessArguments(common)],
                "A patient's history from the EMR view, oldest first, Relay-paged. The read is recorded first.")
            .Field("myPatients", read.Connection(caredPatient).NonNull(), MyPatientsAsync, ReadTypes.Paging,
                "The patients in the reader's care now (physicians, pharmacists, nurses), by id, Relay-paged. " +
                "Each patient's data on a page is read (and recorded) in one batch.")
            .Field("consultation", consultation.NonNull(), ConsultationAsync,
                [new("consultationId", ScalarType.ID.NonNull()), .. ReadGate.AccessArguments(common)],
                "A consultation with its messages and the offline evidence it rests on.")
            .Field("prescriptionsToReview", read.Connection(toReview).NonNull(), PrescriptionsToReviewAsync, ReadTypes.Paging,
                "Pharmacists: signed prescriptions awaiting review, oldest signature first.")
            .Field("document", document.NonNull(), DocumentAsync,
                [new("documentId", ScalarType.ID.NonNull()), .. ReadGate.AccessArguments(common)],
                "A clinical document with every version (amendments with their reasons) and its signatures.");
    }

    private sealed record ConsultationDetail(string PatientId, ConsultationEntry Entry, ConsultationWithEvidence? Evidence);

    private sealed record CaredPatientNode(string PatientId, string Basis, Instant Since, Instant? Until);

    private sealed record CaredPatientData(PatientSummary? Patient, IReadOnlyList<PrescriptionEntry> Prescriptions);

    private static async ValueTask<object?> PatientHistoryAsync(ResolveContext ctx)
    {
        var patientId = ctx.Argument<string>("patientId")!;
        var page = ReadTypes.PageOf(ctx);
        return await ctx.AuditedAsync(patientId, "patient.history", ClinicalReaders,
            (_, _) => ctx.ViewAsync(ProjectionService.Emr, ct => ctx.Service<EmrQueries>().TimelineAsync(patientId, page, ct)));
    }

    private static async ValueTask<object?> MyPatientsAsync(ResolveContext ctx)
    {
        var actor = ctx.ActorOf();
        await ctx.AuthorizeAsync("patient.care_list", CareTeam);
        var (forward, size, from) = ReadTypes.PageOf(ctx).Resolve(KeyCursor.Decode);
        var now = ctx.Service<IClock>().GetCurrentInstant();
        var relationships = await ctx.ViewAsync(ProjectionService.Access, ct => ctx.Service<AccessQueries>().CouldSeeAtAsync(actor.Id, actor.Role, now, ct));
        var patients = relationships.GroupBy(v => v.PatientId, StringComparer.Ordinal)
            .Select(g => new CaredPatientNode(g.Key, g.First().Role, g.Min(v => v.ValidFrom), g.Any(v => v.ValidUntil is null) ? null : g.Max(v => v.ValidUntil)))
            .Where(p => from is not { } cursor || (forward ? string.CompareOrdinal(p.PatientId, cursor.Key) > 0 : string.CompareOrdinal(p.PatientId, cursor.Key) < 0));
        var ordered = (forward ? patients.OrderBy(p => p.PatientId, StringComparer.Ordinal) : patients.OrderByDescending(p => p.PatientId, StringComparer.Ordinal))
            .Take(size + 1).ToList();
        var page = Page.Of(ordered, size, forward, from is not null, p => new KeyCursor(Instant.MinValue, p.PatientId).Encode());
        // The whole page's keys go to the loader at once, so it fetches them in one batch (node resolvers then read its cache).
        await CaredLoader(ctx).LoadManyAsync(page.Edges.Select(e => e.Node.PatientId));
        return page;
    }

    /// <summary>
    /// A cared-for patient's data, through one loader for the whole page: one recorded read per patient, then the
    /// patients and all their prescriptions in one query each.
    /// </summary>
    private static async Task<CaredPatientData> CaredAsync(ResolveContext ctx)
    {
        var node = (CaredPatientNode)ctx.Source!;
        return await CaredLoader(ctx).LoadAsync(node.PatientId)
            ?? throw new GraphQLError($"Your read of patient {node.PatientId}'s data was refused; it has been recorded.", "access.refused");
    }

    private static DataLoader<string, CaredPatientData> CaredLoader(ResolveContext ctx) =>
        ctx.DataLoader<string, CaredPatientData>("caredPatient", async (ids, ct) =>
        {
            var refusals = await ctx.AuditEachAsync(ids, "patient.prescriptions", CareTeam, ct);
            var allowed = ids.Where(id => !refusals.ContainsKey(id)).ToList();
            var emr = ctx.Service<EmrQueries>();
            var (patients, prescriptions) = await ctx.ViewAsync(ProjectionService.Emr, async c =>
                (await emr.PatientsAsync(allowed, c), await emr.PrescriptionsOfPatientsAsync(allowed, c)));
            return allowed.ToDictionary(id => id, id => new CaredPatientData(patients.GetValueOrDefault(id), [.. prescriptions[id]]));
        });

    private static async ValueTask<object?> ConsultationAsync(ResolveContext ctx)
    {
        var consultationId = ctx.Argument<string>("consultationId")!;
        return await ctx.AuditedRecordAsync(StreamTypes.Consultation, consultationId, "consultation", ClinicalReaders, async (patientId, _, _) =>
        {
            var entry = (await ctx.ViewAsync(ProjectionService.Emr, ct => ctx.Service<EmrQueries>().ConsultationsAsync(patientId, ct)))
                .Single(c => c.ConsultationId == consultationId);
            var evidence = await ctx.ViewAsync(ProjectionService.Traceability, ct => ctx.Service<TraceabilityQueries>().ConsultationAsync(consultationId, ct));
            return new ConsultationDetail(patientId, entry, evidence);
        });
    }

    private static async ValueTask<object?> PrescriptionsToReviewAsync(ResolveContext ctx)
    {
        await ctx.AuthorizeAsync("prescription.review_queue", Pharmacists);
        var request = ReadTypes.PageOf(ctx);
        var page = await ctx.ViewAsync(ProjectionService.Emr, ct => ctx.Service<EmrQueries>().AwaitingReviewAsync(request, ct));
        var refusals = await ctx.AuditEachAsync([.. page.Edges.Select(e => e.Node.PatientId)], "prescription.review_queue", Pharmacists, ctx.CancellationToken);
        return refusals.Count == 0 ? page : throw SchemaContext.ErrorOf(refusals.Values.First());
    }

    private static async ValueTask<object?> DocumentAsync(ResolveContext ctx)
    {
        var documentId = ctx.Argument<string>("documentId")!;
        return await ctx.AuditedRecordAsync(StreamTypes.Document, documentId, "document", ClinicalReaders,
            async (_, _, _) => await ctx.ViewAsync(ProjectionService.Emr, ct => ctx.Service<EmrQueries>().DocumentAsync(documentId, ct)));
    }
}
