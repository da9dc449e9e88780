using NodaTime;
using Records.Api.Access;
using Records.Api.Hosting;
using Records.Domain;
using Records.Domain.Consultation;
using Records.Domain.Practitioner;
using Records.Domain.Prescription;
using Records.GraphQL;
using Records.GraphQL.Types;
using Records.Projections.Regulator;
using Records.Projections.Traceability;
using Records.Projections.Views;

namespace Records.Api.Schema;

/// <summary>
/// What the regulator (and the hospital's quality managers) read: the indicators' findings and counts with
/// filters, the practitioner register, adverse events with their deadlines, all pseudonymised in the view;
/// and the evidence chain of a diagnosis or a prescription, whose read is recorded against its patient.
/// </summary>
public static class SupervisionQueries
{
    public static readonly IReadOnlySet<Role> Supervisors = new HashSet<Role> { Role.Regulator, Role.QualityManager };

    /// <summary>Who follows evidence chains: supervisors and legal staff (pseudonymised for a regulator outside a case).</summary>
    public static readonly IReadOnlySet<Role> Tracers = new HashSet<Role> { Role.Regulator, Role.QualityManager, Role.Legal };

    public static void AddTo(FieldsBuilder query, CommonTypes common, ReadTypes read)
    {
        var evidenceLink = new ObjectType("FindingEvidence", t => t
            .Field("eventId", ScalarType.ID.NonNull())
            .Field("sequence", read.Long.NonNull())
            .Field("eventType", ScalarType.String.NonNull()), description: "An event a finding rests on (never a patient's stream id).");
        var indicator = new ObjectType("Indicator", t => t.Field("number", ScalarType.Int.NonNull()).Field("name", ScalarType.String.NonNull()),
            description: "An indicator of REGULATION.md's numbered table.");
        var finding = new ObjectType("Finding", t => t
            .Field("id", ScalarType.ID.NonNull())
            .Field("indicator", indicator.NonNull())
            .Field("code", ScalarType.String.NonNull())
            .Field("message", ScalarType.String.NonNull())
            .Field("rule", common.Rule.NonNull(), ReadTypes.Of<Finding>(f => new { id = f.RuleId, source = f.RuleSource }))
            .Field("institutionId", ScalarType.ID)
            .Field("practitionerId", ScalarType.ID)
            .Field("patientRef", ScalarType.String, description: "The patient's pseudonym.")
            .Field("at", read.Time.NonNull())
            .Field("evidence", evidenceLink.NonNull().List().NonNull())
            .Field("overdue", ScalarType.Boolean.NonNull(), description: "Not done by its deadline as of the query's instant, not yet in the log."));
        var count = new ObjectType("FindingCount", t => t
            .Field("institutionId", ScalarType.ID)
            .Field("practitionerId", ScalarType.ID)
            .Field("indicator", indicator.NonNull())
            .Field("periodStart", read.Date.NonNull(), description: "The day or month (China time) counted.")
            .Field("count", ScalarType.Int.NonNull(), ReadTypes.Of<FindingCount>(c => (int)c.Count)));
        var enrolment = new ObjectType("RegisteredEnrolment", t => t
            .Field("institutionId", ScalarType.ID.NonNull())
            .Field("kind", ScalarType.String.NonNull())
            .Field("scope", ScalarType.String.NonNull().List().NonNull())
            .Field("enrolledAt", read.Time.NonNull())
            .Field("endedAt", read.Time));
        var registerEvent = new ObjectType("RegisterEvent", t => t
            .Field("at", read.Time.NonNull())
            .Field("kind", ScalarType.String.NonNull())
            .Field("detail", ScalarType.String.NonNull())
            .Field("event", evidenceLink.NonNull()));
        var registerEntry = new ObjectType("RegisteredPractitioner", t => t
            .Field("practitionerId", ScalarType.ID.NonNull())
            .Field("name", ScalarType.String.NonNull())
            .Field("profession", ScalarType.String.NonNull())
            .Field("title", ScalarType.String.NonNull())
            .Field("titleGrade", ScalarType.String.NonNull())
            .Field("registryNumber", ScalarType.String.NonNull())
            .Field("practiceSince", read.Date.NonNull())
            .Field("practiceYears", ScalarType.Int.NonNull())
            .Field("suspended", ScalarType.Boolean.NonNull())
            .Field("badPracticePoints", ScalarType.Int.NonNull())
            .Field("enrolments", enrolment.NonNull().List().NonNull())
            .Field("history", registerEvent.NonNull().List().NonNull()), description: "A practitioner in the qualification register.");
        var adverseEvent = new ObjectType("AdverseEventReport", t => t
            .Field("adverseEventId", ScalarType.ID.NonNull())
            .Field("institutionId", ScalarType.ID)
            .Field("patientRef", ScalarType.String, description: "The patient's pseudonym.")
            .Field("category", ScalarType.String.NonNull())
            .Field("severity", ScalarType.String.NonNull())
            .Field("occurredAt", read.Time.NonNull())
            .Field("recordedAt", read.Time.NonNull())
            .Field("deadline", read.Time, description: "When it had to be reported by; null with no reporting rule in force.")
            .Field("reportedAt", read.Time)
            .Field("status", read.Enum<DeadlineStatus>().NonNull())
            .Field("ruleId", ScalarType.String)
            .Field("ruleSource", ScalarType.String)
            .Field("evidence", evidenceLink.NonNull().List().NonNull()));

        var filter = new InputObjectType("FindingFilter", f => f
            .Field("institutionId", ScalarType.ID)
            .Field("practitionerId", ScalarType.ID)
            .Field("indicator", ScalarType.Int)
            .Field("ruleId", ScalarType.String)
            .Field("from", read.Time)
            .Field("to", read.Time)
            .Field("asOf", read.Time)
            .Field("limit", ScalarType.Int), description: "Which findings (all optional): from inclusive, to exclusive; asOf also shows deadlines it has passed.");
        var period = read.Enum<CountPeriod>();

        query
            .Field("findings", finding.NonNull().List().NonNull(),
                ctx => SupervisedAsync(ctx, "regulator.findings", (q, ct) => q.FindingsAsync(FilterOf(ctx), ct)),
                [new("filter", filter)], "Regulators and quality managers: the indicators' findings, patients by pseudonym.")
            .Field("findingCounts", count.NonNull().List().NonNull(),
                ctx => SupervisedAsync(ctx, "regulator.finding_counts", (q, ct) => q.CountsAsync(FilterOf(ctx), ctx.Argument<CountPeriod?>("period") ?? CountPeriod.Month, ct)),
                [new("filter", filter), new("period", period)], "How many findings per institution, practitioner, indicator and day or month.")
            .Field("practitionerRegister", registerEntry.NonNull().List().NonNull(),
                ctx => SupervisedAsync(ctx, "regulator.practitioner_register",
                    (q, ct) => q.RegisterAsync(ctx.Argument<string>("practitionerId"), ctx.Argument<string>("institutionId"), ctx.Argument<Instant?>("asOf"), ct)),
                [new("practitionerId", ScalarType.ID), new("institutionId", ScalarType.ID), new("asOf", read.Time)],
                "The qualification register, with each practitioner's history.")
            .Field("adverseEvents", adverseEvent.NonNull().List().NonNull(),
                ctx => SupervisedAsync(ctx, "regulator.adverse_events",
                    (q, ct) => q.AdverseEventsAsync(ctx.Argument<string>("institutionId"), ctx.Argument<Instant?>("asOf"), ct)),
                [new("institutionId", ScalarType.ID), new("asOf", read.Time)], "Adverse events with their reporting deadlines (met, late, overdue, pending).")
            .Field("trace", Trace(read).NonNull(), TraceAsync,
                [new("diagnosisId", ScalarType.ID), new("prescriptionId", ScalarType.ID), .. ReadGate.AccessArguments(common)],
                "The evidence chain of a diagnosis or of a prescription (give exactly one id), from the traceability view. " +
                "A regulator sees the patient's pseudonym unless they name a case and a reason.");
    }

    private static async ValueTask<object?> SupervisedAsync<T>(ResolveContext ctx, string resource, Func<RegulatorQueries, CancellationToken, Task<T>> query)
    {
        await ctx.AuthorizeAsync(resource, Supervisors);
        return await ctx.ViewAsync(ProjectionService.Regulator, ct => query(ctx.Service<RegulatorQueries>(), ct));
    }

    private static FindingFilter FilterOf(ResolveContext ctx)
    {
        var input = ctx.Argument<IReadOnlyDictionary<string, object?>>("filter") ?? new Dictionary<string, object?>();
        T? Get<T>(string name) => input.GetValueOrDefault(name) is T value ? value : default;
        return new FindingFilter
        {
            InstitutionId = Get<string>("institutionId"),
            PractitionerId = Get<string>("practitionerId"),
            Indicator = input.GetValueOrDefault("indicator") is { } indicator ? Convert.ToInt32(indicator, System.Globalization.CultureInfo.InvariantCulture) : null,
            RuleId = Get<string>("ruleId"),
            From = input.GetValueOrDefault("from") as Instant?,
            To = input.GetValueOrDefault("to") as Instant?,
            AsOf = input.GetValueOrDefault("asOf") as Instant?,
            Limit = input.GetValueOrDefault("limit") is { } limit ? Convert.ToInt32(limit, System.Globalization.CultureInfo.InvariantCulture) : 1000,
        };
    }

    private static async ValueTask<object?> TraceAsync(ResolveContext ctx)
    {
        var diagnosisId = ctx.Argument<string>("diagnosisId");
        var prescriptionId = ctx.Argument<string>("prescriptionId");
        if ((diagnosisId is null) == (prescriptionId is null))
            throw new GraphQLError("Give exactly one of diagnosisId and prescriptionId.", "request.one_id");
        var traces = ctx.Service<TraceabilityQueries>();
        if (diagnosisId is not null)
        {
            // A diagnosis's id is its recording event's id: one that is not a UUID names no diagnosis, like one not recorded.
            var trace = Guid.TryParse(diagnosisId, out var id) ? await ctx.ViewAsync(ProjectionService.Traceability, ct => traces.DiagnosisAsync(id, ct)) : null;
            return await ctx.AuditedRecordAsync("diagnosis", diagnosisId, "trace.diagnosis", Tracers, _ => Task.FromResult(trace?.Consultation.PatientId),
                (_, disclosure, _) => Task.FromResult(trace! with { Consultation = Disclose(trace.Consultation, disclosure) }));
        }
        var prescription = await ctx.ViewAsync(ProjectionService.Traceability, ct => traces.PrescriptionAsync(prescriptionId!, ct));
        return await ctx.AuditedRecordAsync(StreamTypes.Prescription, prescriptionId!, "trace.prescription", Tracers, _ => Task.FromResult(prescription?.Consultation.PatientId),
            (_, disclosure, _) => Task.FromResult(prescription! with { Consultation = Disclose(prescription.Consultation, disclosure) }));
    }

    private static ConsultationLink Disclose(ConsultationLink consultation, Disclosure disclosure) =>
        consultation with { PatientId = disclosure.Id(consultation.PatientId) };

    /// <summary>The evidence chains: a union of a diagnosis's and a prescription's.</summary>
    private static UnionType Trace(ReadTypes read)
    {
        var consultation = new ObjectType("TracedConsultation", t => t
            .Field("consultationId", ScalarType.ID.NonNull())
            .Field("patientId", ScalarType.ID.NonNull(), description: "The patient's id, or their pseudonym for a regulator outside a case.")
            .Field("institutionId", ScalarType.ID.NonNull())
            .Field("kind", read.Enum<ConsultationKind>().NonNull())
            .Field("firstVisit", ScalarType.Boolean.NonNull())
            .Field("requested", read.EventRef.NonNull())
            .Field("accepted", read.EventRef));
        var practitioner = new ObjectType("PractitionerAtMoment", t => t
            .Field("practitionerId", ScalarType.ID.NonNull())
            .Field("registered", ScalarType.Boolean.NonNull())
            .Field("profession", read.Enum<Profession>())
            .Field("title", ScalarType.String)
            .Field("practiceSince", read.Date)
            .Field("enrolmentHere", read.Enum<EnrolmentKind>())
            .Field("scope", ScalarType.String.NonNull().List().NonNull())
            .Field("suspended", ScalarType.Boolean.NonNull())
            .Field("realNameVerifiedForConsultation", ScalarType.Boolean.NonNull())
            .Field("registration", read.EventRef)
            .Field("enrolment", read.EventRef)
            .Field("verification", read.EventRef), description: "A practitioner as they stood just before the act.");
        var signature = new ObjectType("SignatureLink", t => t
            .Field("signatureId", ScalarType.ID.NonNull())
            .Field("signerId", ScalarType.ID.NonNull())
            .Field("subjectType", ScalarType.String.NonNull())
            .Field("subjectId", ScalarType.ID.NonNull())
            .Field("subjectVersion", read.Long.NonNull())
            .Field("subjectHash", ScalarType.String.NonNull())
            .Field("expectedHash", ScalarType.String.NonNull())
            .Field("coversExactly", ScalarType.Boolean.NonNull(), description: "The signed hash is the signing hash of the version it names.")
            .Field("algorithm", ScalarType.String.NonNull())
            .Field("keyFingerprint", ScalarType.String.NonNull())
            .Field("event", read.EventRef.NonNull()));
        var documentVersion = new ObjectType("TracedDocumentVersion", t => t
            .Field("documentId", ScalarType.ID.NonNull())
            .Field("version", ScalarType.Int.NonNull())
            .Field("contentHash", ScalarType.String.NonNull())
            .Field("signingHash", ScalarType.String.NonNull())
            .Field("event", read.EventRef.NonNull())
            .Field("signatures", signature.NonNull().List().NonNull()));
        var message = new ObjectType("TracedMessage", t => t
            .Field("messageId", ScalarType.ID.NonNull())
            .Field("senderId", ScalarType.ID.NonNull())
            .Field("kind", read.Enum<MessageKind>().NonNull())
            .Field("contentHash", ScalarType.String)
            .Field("postedAt", read.Time.NonNull())
            .Field("event", read.EventRef.NonNull()));
        var diagnosisTrace = new ObjectType("DiagnosisTrace", t => t
            .Field("diagnosisId", ScalarType.ID.NonNull())
            .Field("diagnosis", read.Diagnosis.NonNull())
            .Field("diagnosedAt", read.Time.NonNull())
            .Field("event", read.EventRef.NonNull())
            .Field("consultation", consultation.NonNull())
            .Field("evidence", read.OfflineEvidence.NonNull().List().NonNull())
            .Field("messagesBefore", message.NonNull().List().NonNull())
            .Field("doctor", practitioner.NonNull())
            .Field("documents", documentVersion.NonNull().List().NonNull()), description: "A diagnosis back to its consultation, evidence, doctor and signed documents.")
        {
            IsTypeOf = (value, _) => value is DiagnosisTrace,
        };
        var step = new ObjectType("PrescriptionStep", t => t
            .Field("eventType", ScalarType.String.NonNull())
            .Field("actorId", ScalarType.ID)
            .Field("event", read.EventRef.NonNull()));
        var prescriptionTrace = new ObjectType("PrescriptionTrace", t => t
            .Field("prescriptionId", ScalarType.ID.NonNull())
            .Field("status", read.Enum<PrescriptionStatus>().NonNull())
            .Field("signingHash", ScalarType.String.NonNull())
            .Field("diagnoses", read.Diagnosis.NonNull().List().NonNull())
            .Field("consultation", consultation.NonNull())
            .Field("consultationDiagnosisIds", ScalarType.ID.NonNull().List().NonNull())
            .Field("prescriber", practitioner.NonNull())
            .Field("reviewer", practitioner)
            .Field("signatures", signature.NonNull().List().NonNull())
            .Field("steps", step.NonNull().List().NonNull()), description: "A prescription through review, hand-off, dispensing and delivery.")
        {
            IsTypeOf = (value, _) => value is PrescriptionTrace,
        };
        return new UnionType("Trace", [diagnosisTrace, prescriptionTrace]);
    }
}
