using NodaTime;
using Records.Domain;
using Records.Domain.AdverseEvent;
using Records.Domain.ClinicalDocument;
using Records.Domain.Consent;
using Records.Domain.Consultation;
using Records.Domain.Institution;
using Records.Domain.Patient;
using Records.Domain.Practitioner;
using Records.Domain.Prescription;
using Records.Domain.RecordAccess;
using Records.Domain.Signature;
using Records.Projections.Regulator;
using Records.Projections.Streams;

namespace Records.Projections.Tests.Regulator;

/// <summary>How a visit goes: by default a clean online follow-up that breaks no rule; each indicator's test changes one thing.</summary>
internal sealed record VisitPlan
{
    public ConsultationKind Kind { get; init; } = ConsultationKind.OnlineFollowUp;
    public bool FirstVisit { get; init; }
    public string? FirstVisitPilot { get; init; }
    public LocalDate PatientBorn { get; init; } = new(1970, 3, 1);
    public ConsentScope? Consent { get; init; } = ConsentScope.OnlineVisit;
    public bool ConsentSigned { get; init; } = true;
    public string? Doctor { get; init; }
    public bool Verify { get; init; } = true;
    public bool DoctorRealNameVerifiedOnLogin { get; init; } = true;
    public IReadOnlyList<string> EvidenceIcd10 { get; init; } = ["I10"];
    public string DiagnosisIcd10 { get; init; } = "I10.x01";
    public bool ChildSafeguards { get; init; }
    public Duration ReplyAfter { get; init; } = Duration.FromMinutes(4);
    public bool ConditionChange { get; init; }
    public bool Terminate { get; init; }
    public bool Diagnose { get; init; } = true;
    public bool Prescribe { get; init; } = true;
    public string? Prescriber { get; init; }
    public Role PrescriberRole { get; init; } = Role.Physician;
    public IReadOnlyList<PrescriptionLine> Lines { get; init; } = [Hospital.Amlodipine];
    public bool Emergency { get; init; }
    public string? LongerSupplyReason { get; init; }
    public string? PrescriptionSigner { get; init; }
    public Duration SignerClockSkew { get; init; }
    public Instant? ValidUntil { get; init; }
    public string? Reviewer { get; init; }
    public Duration ReviewAfter { get; init; } = Duration.FromMinutes(4);
    public bool SupplyBeforeApproval { get; init; }
    public bool SupplyBeforeSigning { get; init; }
    public bool Complete { get; init; } = true;
    public Duration? RecordSignedAfter { get; init; } = Duration.FromMinutes(30);
}

/// <summary>What a visit left in the log.</summary>
internal sealed record VisitIds(string Consultation, string Patient, string? Prescription, string? Document);

/// <summary>
/// One Internet hospital's history, written as domain events straight to the log (not through deciders: the
/// regulator must also catch histories a decider would refuse, such as events imported from a pharmacy).
/// </summary>
internal sealed class Hospital(RegulatorHarness harness)
{
    /// <summary>Monday 2 November 2026, 09:00 in China.</summary>
    public static readonly Instant Monday = Instant.FromUtc(2026, 11, 2, 1, 0);

    public static readonly PrescriptionLine Amlodipine = new("氨氯地平片", DrugClass.Ordinary, "片剂", "5mg", 7, "片", "5mg qd", 7);

    private readonly Dictionary<string, long> _versions = [];
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];
    private int _next;

    public string Id => $"ih-{_tag}";
    public string Doctor => $"dr-{_tag}";
    public string Pharmacist => $"ph-{_tag}";
    public string DoctorKey => $"key-{_tag}";

    /// <summary>The log's time as this history has written it.</summary>
    public Instant Now { get; private set; } = Monday;

    public static async Task<Hospital> OpenAsync(RegulatorHarness harness, string province = "370000")
    {
        var h = new Hospital(harness);
        await h.Append("institution", h.Id, new InstitutionRegistered(h.Id, "济南互联网医院", "LIC-1", "济南市第一医院", province, ["内科"], h.Now));
        await h.Append("institution", h.Id, new ServiceTermsPublished(Duration.FromMinutes(30), [new Fee("图文问诊", 2000)], h.Now));
        await h.RegisterPractitionerAsync(h.Doctor, Profession.Physician, new LocalDate(2010, 7, 1), ["内科"]);
        await h.Append("practitioner", h.Doctor, new SigningKeyRegistered(new SigningKey(h.DoctorKey, SignatureAlgorithm.EcdsaP256WithSha256, "pk", Monday - Duration.FromDays(365), null)));
        await h.RegisterPractitionerAsync(h.Pharmacist, Profession.Pharmacist, new LocalDate(2012, 7, 1), ["药学"]);
        return h;
    }

    public async Task RegisterPractitionerAsync(string id, Profession profession, LocalDate since, IReadOnlyList<string> scope, TitleGrade grade = TitleGrade.Intermediate)
    {
        await Append("practitioner", id, new PractitionerRegistered(id, $"医师{id}", profession, "主治医师", grade, $"REG-{id}", since, Now));
        await Append("practitioner", id, new PractitionerEnrolled(Id, EnrolmentKind.Registered, scope, Now));
    }

    public async Task<string> PatientAsync(LocalDate born, ConsentScope? consent = null, bool consentSigned = true)
    {
        var patient = NewId("pt");
        await Append("patient", patient, new PatientRegistered(patient, "张三" + patient, Sex.Female, born, new string('a', 64), "138", Now, []));
        if (consent is { } scope)
        {
            var consentId = NewId("cs");
            await Append("consent", consentId, new ConsentGranted(consentId, patient, scope, "v1", new string('b', 64), null, patient, false,
                consentSigned ? NewId("sig") : null, Now, []), patient, Role.Patient);
        }

        return patient;
    }

    public async Task<VisitIds> VisitAsync(VisitPlan plan)
    {
        var patient = await PatientAsync(plan.PatientBorn, plan.Consent, plan.ConsentSigned);
        var c = NewId("cn");
        var doctor = plan.Doctor ?? Doctor;
        var start = Later(Duration.FromMinutes(1));
        await Append("consultation", c, new ConsultationRequested(c, patient, Id, plan.Kind, "内科", "血压控制", plan.FirstVisit, plan.FirstVisitPilot, patient, start, []), patient, Role.Patient);
        await Append("consultation", c, new ConsultationAccepted(doctor, At(start, 1), []), doctor);
        if (plan.Verify) await Append("practitioner", doctor, new RealNameVerified(c, "face", At(start, 2)), doctor);
        if (plan.ChildSafeguards) await Append("consultation", c, new ChildSafeguardsAttested("guardian-1", "ped-1", doctor, At(start, 2)), doctor);
        foreach (var icd in plan.EvidenceIcd10)
        {
            await Append("consultation", c, new OfflineEvidenceAttached(EvidenceKind.OutpatientRecord, "mr-1", new string('c', 64), "济南市第一医院",
                [new Diagnosis(icd, "高血压")], patient, At(start, 3)), patient, Role.Patient);
        }

        await Append("consultation", c, new MessagePosted(NewId("msg"), doctor, MessageKind.Text, "您好", null, null, start + plan.ReplyAfter, []), doctor,
            verified: plan.DoctorRealNameVerifiedOnLogin);
        if (plan.ConditionChange) await Append("consultation", c, new ConditionChangeFlagged("胸痛加重", false, doctor, At(start, 5)), doctor);
        if (plan.Terminate) await Append("consultation", c, new ConsultationTerminated("病情变化", "济南市第一医院急诊", doctor, At(start, 6)), doctor);
        if (plan.Diagnose) await Append("consultation", c, new DiagnosisRecorded(new Diagnosis(plan.DiagnosisIcd10, "原发性高血压"), doctor, At(start, 7), []), doctor,
            verified: plan.DoctorRealNameVerifiedOnLogin);

        string? rx = null;
        if (plan.Prescribe) rx = await PrescribeAsync(plan, c, patient, doctor, start);
        if (plan.Complete) await Append("consultation", c, new ConsultationCompleted("继续用药", doctor, At(start, 30), []), doctor);

        string? document = null;
        if (plan.RecordSignedAfter is { } after)
        {
            document = NewId("doc");
            await Append("document", document, new DocumentCreated(document, patient, c, DocumentKind.OutpatientRecord, "门诊病历", new string('d', 64), doctor,
                At(start, 30), At(start, 31), []), doctor);
            await Append("document", document, new DocumentSigned(1, NewId("sig"), doctor, At(start, 30) + after, []), doctor);
        }

        return new VisitIds(c, patient, rx, document);
    }

    private async Task<string> PrescribeAsync(VisitPlan plan, string c, string patient, string doctor, Instant start)
    {
        var rx = NewId("rx");
        var prescriber = plan.Prescriber ?? doctor;
        var signer = plan.PrescriptionSigner ?? prescriber;
        var signature = NewId("sig");
        var signedAt = At(start, 10);
        await Append("prescription", rx, new PrescriptionDrafted(rx, c, patient, prescriber, [new Diagnosis(plan.DiagnosisIcd10, "原发性高血压")], plan.Lines,
            plan.Emergency, plan.LongerSupplyReason, new string('e', 64), At(start, 9), []), prescriber, plan.PrescriberRole);
        if (plan.SupplyBeforeSigning) await Append("prescription", rx, new PrescriptionHandedOff("pharmacy-1", At(start, 9), []), "pharmacy-system", Role.Integrator);
        await Append("signature", signature, new SignatureRecorded(signature, signer, new SubjectRef("prescription", $"prescription-{rx}", 1), new string('e', 64),
            SignatureAlgorithm.EcdsaP256WithSha256, DoctorKey, "sig", signedAt, signedAt - plan.SignerClockSkew, []), signer);
        await Append("prescription", rx, new PrescriptionSigned(signature, signedAt, plan.ValidUntil ?? Records.Domain.ChinaTime.StartOf(Records.Domain.ChinaTime.DateOf(signedAt).PlusDays(1)), []),
            prescriber, plan.PrescriberRole);
        if (plan.SupplyBeforeApproval) await Append("prescription", rx, new PrescriptionDispensed("pharmacy-1", signedAt + Duration.FromMinutes(1), []), "pharmacy-system", Role.Integrator);
        var reviewer = plan.Reviewer ?? Pharmacist;
        await Append("prescription", rx, new PrescriptionApproved(reviewer, NewId("sig"), signedAt + plan.ReviewAfter, []), reviewer, Role.Pharmacist);
        if (!plan.SupplyBeforeApproval) await Append("prescription", rx, new PrescriptionDispensed("pharmacy-1", signedAt + plan.ReviewAfter + Duration.FromMinutes(5), []), "pharmacy-system", Role.Integrator);
        return rx;
    }

    /// <summary>Any later event moves the log's time; here a patient's contact change, <paramref name="after"/> from the latest.</summary>
    public async Task TimePassesAsync(Duration after)
    {
        var patient = await PatientAsync(new LocalDate(1990, 1, 1));
        await Append("patient", patient, new ContactChanged("139", Later(after)));
    }

    public async Task<string> ReadAsync(string patient, string reader, Role role, bool careRelationship, string? reason, string resource = "emr/doc-1")
    {
        var access = NewId("ac");
        await Append("access", access, new PatientDataRead(access, patient, reader, role, resource, PurposeOfUse.Treatment, careRelationship, reason, Later(Duration.FromMinutes(1)), []),
            reader, role);
        return access;
    }

    public Task Append(string type, string id, IDomainEvent e, string? actor = null, Role role = Role.Physician, bool verified = true) =>
        AppendAll(type, id, [e], actor, role, verified);

    public async Task AppendAll(string type, string id, IReadOnlyList<IDomainEvent> events, string? actor = null, Role role = Role.Physician, bool verified = true)
    {
        var stream = new StreamRef(type, id);
        var version = _versions.GetValueOrDefault(stream.StreamId);
        var meta = new CommandMeta(new Domain.Actor(actor ?? "admin-1", actor is null ? Role.Administrator : role, verified), Now, Guid.NewGuid());
        var result = await harness.Domain.AppendAsync(stream, version, events, meta, new CommandCircumstances { InstitutionId = Id });
        _versions[stream.StreamId] = result.LastVersion;
    }

    public string NewId(string prefix) => $"{prefix}-{_tag}-{++_next}";

    /// <summary>Moves this history's time on and returns it.</summary>
    public Instant Later(Duration by)
    {
        Now += by;
        return Now;
    }

    private Instant At(Instant start, int minutes)
    {
        var at = start + Duration.FromMinutes(minutes);
        if (at > Now) Now = at;
        return at;
    }

    public Task<IReadOnlyList<Finding>> FindingsAsync(int? indicator = null, Instant? asOf = null) =>
        harness.Queries.FindingsAsync(new FindingFilter { InstitutionId = Id, Indicator = indicator, AsOf = asOf });
}
