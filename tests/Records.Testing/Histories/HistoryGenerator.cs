using NodaTime;
using Records.Domain;
using Records.Domain.ClinicalDocument;
using Records.Domain.Consent;
using Records.Domain.Consultation;
using Records.Domain.Institution;
using Records.Domain.Patient;
using Records.Domain.Practitioner;
using Records.Domain.Prescription;
using Records.Domain.RecordAccess;
using Records.Domain.Serialization;
using Records.Domain.Signature;

namespace Records.Testing.Histories;

/// <summary>The size and mix of a generated history. The same options and seed give the same history.</summary>
public sealed record HistoryOptions
{
    public int Seed { get; init; } = 1;

    public int Institutions { get; init; } = 2;

    /// <summary>Physicians per institution (pharmacists are a third of that, at least one).</summary>
    public int PhysiciansPerInstitution { get; init; } = 5;

    public int Patients { get; init; } = 100;

    /// <summary>The first patient's number: ids derive from it, so histories with disjoint numbers can share a log.</summary>
    public int FirstPatient { get; init; } = 1;

    /// <summary>Each patient has 1 to this many consultations.</summary>
    public int MaxConsultationsPerPatient { get; init; } = 3;

    /// <summary>Share of patients under 6, who have a guardian.</summary>
    public double ChildShare { get; init; } = 0.15;

    /// <summary>Share of record reads made without a care relationship, by break-glass.</summary>
    public double BreakGlassShare { get; init; } = 0.1;

    /// <summary>How many patients' stories run interleaved in the log at once.</summary>
    public int Interleaving { get; init; } = 32;

    public Instant Start { get; init; } = Instant.FromUtc(2026, 3, 2, 1, 0);
}

/// <summary>
/// One command's worth of events for one stream, with who appended them. <see cref="Lane"/> orders
/// steps that depend on each other: 0 for the hospital's set-up (append it first), else the
/// patient's number; steps of different lanes are independent and may be appended in parallel.
/// </summary>
public sealed record HistoryStep(string StreamType, string RecordId, IReadOnlyList<IDomainEvent> Events, Actor Actor, string InstitutionId, string? PurposeOfUse, int Lane)
{
    /// <summary>The event store's stream id: <c>type-id</c>, as <c>StreamRef</c> names it.</summary>
    public string StreamId => $"{StreamType}-{RecordId}";
}

/// <summary>
/// Realistic Internet-hospital histories from the domain's events: institutions, practitioners
/// (registered, enrolled, real-name verified per consultation), patients (some under 6 with a
/// guardian), consents, consultations (advice, follow-ups resting on offline evidence, remote
/// consultations), diagnoses, prescriptions through review, hand-off, dispensing and delivery,
/// documents amended, signed, archived and sometimes sealed, and record reads with and without a
/// care relationship. Events are written as the deciders would accept them; no decider runs.
/// </summary>
public sealed class HistoryGenerator
{
    private static readonly (string Icd10, string Text)[] ChronicConditions =
    [
        ("I10", "Essential hypertension"), ("E11.9", "Type 2 diabetes without complications"), ("J45.9", "Asthma"),
        ("K21.0", "Gastro-oesophageal reflux with oesophagitis"), ("M81.0", "Postmenopausal osteoporosis"), ("E78.5", "Hyperlipidaemia"),
    ];

    private static readonly (string Drug, string Strength)[] Drugs =
    [
        ("Amlodipine", "5 mg"), ("Metformin", "500 mg"), ("Salbutamol", "100 µg"), ("Omeprazole", "20 mg"), ("Alendronate", "70 mg"), ("Atorvastatin", "20 mg"),
    ];

    private readonly HistoryOptions _options;
    private readonly Random _random;
    private readonly List<Clinician> _physicians = [];
    private readonly List<Clinician> _pharmacists = [];
    private readonly List<string> _institutions = [];

    public HistoryGenerator(HistoryOptions options)
    {
        if (options.Patients < 1 || options.Institutions < 1 || options.PhysiciansPerInstitution < 1 || options.MaxConsultationsPerPatient < 1)
            throw new ArgumentException("A history needs at least one institution, physician, patient and consultation.", nameof(options));
        _options = options;
        _random = new Random(options.Seed);
    }

    private sealed record Clinician(string Id, string InstitutionId, Profession Profession);

    /// <summary>The history's steps in the order to append them (set-up first, then the patients' stories interleaved).</summary>
    public IEnumerable<HistoryStep> Generate()
    {
        foreach (var step in SetUp()) yield return step;
        var active = new List<IEnumerator<HistoryStep>>();
        var nextPatient = _options.FirstPatient;
        var lastPatient = _options.FirstPatient + _options.Patients - 1;
        while (active.Count > 0 || nextPatient <= lastPatient)
        {
            while (active.Count < _options.Interleaving && nextPatient <= lastPatient)
                active.Add(PatientStory(nextPatient++).GetEnumerator());
            var pick = _random.Next(active.Count);
            if (active[pick].MoveNext()) yield return active[pick].Current;
            else active.RemoveAt(pick);
        }
    }

    private IEnumerable<HistoryStep> SetUp()
    {
        var at = _options.Start - Duration.FromDays(30);
        var admin = new Actor("admin-1", Role.Administrator, true);
        for (var i = 1; i <= _options.Institutions; i++)
        {
            var institution = $"inst-{i}";
            _institutions.Add(institution);
            yield return Step("institution", institution, admin, institution, null, 0,
                new InstitutionRegistered(institution, $"Internet Hospital {i}", $"LIC-{i:D4}", $"People's Hospital {i}", "640000",
                    ["internal_medicine", "paediatrics"], at),
                new ServiceTermsPublished(Duration.FromHours(24), [], at),
                new ConnectedToPlatform("NX-PLATFORM", at));
            var pharmacists = Math.Max(1, _options.PhysiciansPerInstitution / 3);
            for (var p = 1; p <= _options.PhysiciansPerInstitution + pharmacists; p++)
            {
                var profession = p <= _options.PhysiciansPerInstitution ? Profession.Physician : Profession.Pharmacist;
                var clinician = new Clinician($"{(profession == Profession.Physician ? "dr" : "ph")}-{i}-{p}", institution, profession);
                (profession == Profession.Physician ? _physicians : _pharmacists).Add(clinician);
                yield return Step("practitioner", clinician.Id, admin, institution, null, 0,
                    new PractitionerRegistered(clinician.Id, $"Clinician {i}-{p}", profession, profession == Profession.Physician ? "Attending physician" : "Pharmacist",
                        p % 3 == 0 ? TitleGrade.AssociateSenior : TitleGrade.Intermediate, $"NRN{i:D2}{p:D5}", new LocalDate(2010 + p % 8, 7, 1), at),
                    new PractitionerEnrolled(institution, EnrolmentKind.Registered, ["internal_medicine", "paediatrics"], at),
                    new SigningKeyRegistered(new SigningKey($"fp-{clinician.Id}", SignatureAlgorithm.EcdsaP256WithSha256, "MFkw", at, null)));
            }
        }
    }

    /// <summary>One patient: registration, consent, consultations with their records, and reads of the record.</summary>
    private IEnumerable<HistoryStep> PatientStory(int number)
    {
        var random = new Random(unchecked(_options.Seed * 1_000_003 + number));
        var at = _options.Start + Duration.FromMinutes(random.Next(0, 60 * 24 * 60));
        Instant Later(int minMinutes, int maxMinutes) => at += Duration.FromMinutes(random.Next(minMinutes, maxMinutes + 1));
        var patientId = $"pat-{number}";
        var child = random.NextDouble() < _options.ChildShare;
        var patientActor = new Actor(patientId, Role.Patient, true);
        var institution = _institutions[random.Next(_institutions.Count)];
        var born = child ? LocalDate.FromDateTime(_options.Start.ToDateTimeUtc()).PlusYears(-random.Next(1, 6)) : new LocalDate(1940 + random.Next(0, 60), 1 + random.Next(12), 1 + random.Next(28));
        var patientEvents = new List<IDomainEvent>
        {
            new PatientRegistered(patientId, $"Patient {number}", (Sex)random.Next(2), born, Hex(number, "id"), $"+86 139 {number:D8}", at, []),
        };
        string? guardianId = null;
        if (child)
        {
            guardianId = $"grd-{number}";
            patientEvents.Add(new GuardianAssigned(new Guardian(guardianId, $"Guardian of {number}", "mother"), at));
        }
        yield return Step("patient", patientId, patientActor, institution, null, number, [.. patientEvents]);

        var grantor = guardianId ?? patientId;
        var consentId = $"cns-{number}";
        yield return Step("consent", consentId, new Actor(grantor, Role.Patient, true), institution, null, number,
            new ConsentGranted(consentId, patientId, ConsentScope.OnlineVisit, "2026.1", Hex(1, "form"), null, grantor, child, null, Later(1, 5), []));

        var condition = ChronicConditions[random.Next(ChronicConditions.Length)];
        var doctors = _physicians.Where(d => d.InstitutionId == institution).ToList();
        var careTeam = new List<string>();
        var consultations = random.Next(1, _options.MaxConsultationsPerPatient + 1);
        for (var c = 1; c <= consultations; c++)
        {
            var consultationId = $"con-{number}-{c}";
            var doctor = doctors[random.Next(doctors.Count)];
            var doctorActor = new Actor(doctor.Id, Role.Physician, true);
            careTeam.Add(doctor.Id);
            var kind = random.Next(10) switch { < 2 => ConsultationKind.OnlineAdvice, 2 => ConsultationKind.RemoteConsultation, _ => ConsultationKind.OnlineFollowUp };
            var subject = child ? "paediatrics" : "internal_medicine";
            if (kind == ConsultationKind.RemoteConsultation)
            {
                var written = $"cns-{number}-{c}-remote";
                var signature = $"sig-{written}";
                var terms = CanonicalHash.Of(new ConsentTerms(written, patientId, ConsentScope.RemoteConsultation, "2026.1", Hex(2, "form"), consultationId));
                var consentAt = Later(1, 30);
                yield return Step("signature", signature, new Actor(grantor, Role.Patient, true), institution, null, number,
                    new SignatureRecorded(signature, grantor, new SubjectRef("consent", written, 1), terms, SignatureAlgorithm.EcdsaP256WithSha256, $"fp-{grantor}", "MEUC", consentAt, consentAt, []));
                yield return Step("consent", written, new Actor(grantor, Role.Patient, true), institution, null, number,
                    new ConsentGranted(written, patientId, ConsentScope.RemoteConsultation, "2026.1", Hex(2, "form"), consultationId, grantor, child, signature, consentAt, []));
            }

            var requested = Later(60, 60 * 24 * 20);
            yield return Step("consultation", consultationId, patientActor, institution, null, number,
                new ConsultationRequested(consultationId, patientId, institution, kind, subject, $"Follow-up of {condition.Text.ToLowerInvariant()}",
                    FirstVisit: kind == ConsultationKind.OnlineAdvice, null, grantor, requested, []));
            yield return Step("practitioner", doctor.Id, doctorActor, institution, null, number, new RealNameVerified(consultationId, "face", Later(1, 20)));
            yield return Step("consultation", consultationId, doctorActor, institution, null, number, new ConsultationAccepted(doctor.Id, Later(0, 2), []));

            var consultationEvents = new List<IDomainEvent>();
            if (kind == ConsultationKind.OnlineFollowUp)
            {
                consultationEvents.Add(new OfflineEvidenceAttached(EvidenceKind.OutpatientRecord, $"HIS-{number}-{c}", Hex(number * 10 + c, "evidence"),
                    $"People's Hospital {institution[^1]}", [new Diagnosis(condition.Icd10, condition.Text)], grantor, Later(1, 10)));
            }
            if (child) consultationEvents.Add(new ChildSafeguardsAttested(guardianId!, doctor.Id, doctor.Id, Later(1, 5)));
            for (var m = 1; m <= random.Next(1, 4); m++)
            {
                var fromPatient = m % 2 == 1;
                consultationEvents.Add(new MessagePosted($"msg-{consultationId}-{m}", fromPatient ? grantor : doctor.Id, MessageKind.Text,
                    fromPatient ? "My readings were high this week." : "Please keep taking your medicine and measure twice a day.", null, null, Later(1, 30), []));
            }
            yield return Step("consultation", consultationId, doctorActor, institution, null, number, [.. consultationEvents]);

            var diagnosed = kind != ConsultationKind.OnlineAdvice;
            if (diagnosed)
            {
                var diagnosis = new Diagnosis(condition.Icd10 + (random.Next(3) == 0 ? "01" : ""), condition.Text);
                var notes = new List<IDomainEvent> { new DiagnosisRecorded(diagnosis, doctor.Id, Later(1, 10), []) };
                if (random.Next(4) == 0) notes.Add(new RiskAssessed((RiskLevel)random.Next(3), "Stable; review in three months.", doctor.Id, Later(1, 5)));
                yield return Step("consultation", consultationId, doctorActor, institution, null, number, [.. notes]);

                foreach (var step in DocumentSteps(random, number, c, patientId, consultationId, doctor, institution, () => Later(1, 30))) yield return step;
                if (random.Next(10) < 7)
                {
                    foreach (var step in PrescriptionSteps(random, number, c, patientId, consultationId, doctor, diagnosis, institution, () => Later(1, 60))) yield return step;
                }
            }
            yield return Step("consultation", consultationId, doctorActor, institution, null, number,
                random.Next(20) == 0
                    ? new ConsultationTerminated("Condition changed: needs an in-person visit", "People's Hospital emergency department", doctor.Id, Later(1, 10))
                    : new ConsultationCompleted("Advice given; continue treatment.", doctor.Id, Later(1, 10), []));

            foreach (var step in Reads(random, number, patientId, institution, careTeam, () => Later(1, 60 * 24))) yield return step;
        }
    }

    private IEnumerable<HistoryStep> DocumentSteps(Random random, int number, int c, string patientId, string consultationId, Clinician doctor, string institution, Func<Instant> later)
    {
        var documentId = $"doc-{number}-{c}";
        var doctorActor = new Actor(doctor.Id, Role.Physician, true);
        var created = later();
        var version = new DocumentVersion(1, null, Hex(number * 100 + c, "v1"), doctor.Id, created, null);
        yield return Step("document", documentId, doctorActor, institution, null, number,
            new DocumentCreated(documentId, patientId, consultationId, DocumentKind.OutpatientRecord, "Outpatient record", version.ContentHash, doctor.Id, created, created, []));
        if (random.Next(3) == 0)
        {
            var amendedAt = later();
            version = new DocumentVersion(2, 1, Hex(number * 100 + c, "v2"), doctor.Id, amendedAt, null);
            yield return Step("document", documentId, doctorActor, institution, null, number,
                new DocumentAmended(2, 1, version.ContentHash, "Corrected the dosage note", doctor.Id, amendedAt, []));
        }
        var signatureId = $"sig-{documentId}-v{version.Version}";
        var signedAt = later();
        yield return Step("signature", signatureId, doctorActor, institution, null, number,
            new SignatureRecorded(signatureId, doctor.Id, new SubjectRef("document", documentId, version.Version), version.SigningHash(documentId),
                SignatureAlgorithm.EcdsaP256WithSha256, $"fp-{doctor.Id}", "MEUCIQ", signedAt, signedAt, []));
        var closing = new List<IDomainEvent> { new DocumentSigned(version.Version, signatureId, doctor.Id, signedAt, []), new DocumentArchived(doctor.Id, later()) };
        if (random.Next(40) == 0)
        {
            closing.Add(new DocumentSealed($"dispute-{number}", Hex(number, "sealing"), $"sig-inst-{number}", $"sig-pat-{number}", later(), []));
        }
        yield return Step("document", documentId, doctorActor, institution, null, number, [.. closing]);
    }

    private IEnumerable<HistoryStep> PrescriptionSteps(
        Random random, int number, int c, string patientId, string consultationId, Clinician doctor, Diagnosis diagnosis, string institution, Func<Instant> later)
    {
        var prescriptionId = $"rx-{number}-{c}";
        var doctorActor = new Actor(doctor.Id, Role.Physician, true);
        var (drug, strength) = Drugs[random.Next(Drugs.Length)];
        var lines = new List<PrescriptionLine> { new(drug, DrugClass.Ordinary, "tablet", strength, 7, "tablet", "once daily", 7) };
        var content = new PrescriptionContent(prescriptionId, consultationId, patientId, doctor.Id, [diagnosis], lines, false, null);
        var signingHash = CanonicalHash.Of(content);
        var drafted = later();
        yield return Step("prescription", prescriptionId, doctorActor, institution, null, number,
            new PrescriptionDrafted(prescriptionId, consultationId, patientId, doctor.Id, [diagnosis], lines, false, null, signingHash, drafted, []));
        var prescriberSignature = $"sig-{prescriptionId}-prescriber";
        var signedAt = later();
        yield return Step("signature", prescriberSignature, doctorActor, institution, null, number,
            new SignatureRecorded(prescriberSignature, doctor.Id, new SubjectRef("prescription", prescriptionId, 1), signingHash,
                SignatureAlgorithm.EcdsaP256WithSha256, $"fp-{doctor.Id}", "MEUCIQ", signedAt, signedAt, []));
        var validUntil = ChinaTime.StartOf(ChinaTime.DateOf(signedAt).PlusDays(1)); // valid on the (China) day written
        yield return Step("prescription", prescriptionId, doctorActor, institution, null, number, new PrescriptionSigned(prescriberSignature, signedAt, validUntil, []));
        if (random.Next(12) == 0)
        {
            yield return Step("prescription", prescriptionId, doctorActor, institution, null, number, new PrescriptionCancelled(doctor.Id, "Patient prefers to collect in person", later()));
            yield break;
        }

        var pharmacists = _pharmacists.Where(p => p.InstitutionId == institution).ToList();
        var pharmacist = pharmacists[random.Next(pharmacists.Count)];
        var pharmacistActor = new Actor(pharmacist.Id, Role.Pharmacist, true);
        if (random.Next(15) == 0)
        {
            yield return Step("prescription", prescriptionId, pharmacistActor, institution, null, number,
                new PrescriptionRejected(pharmacist.Id, ["Dose exceeds the usual range"], later(), []));
            yield break;
        }
        var reviewSignature = $"sig-{prescriptionId}-review";
        var approvedAt = later();
        yield return Step("signature", reviewSignature, pharmacistActor, institution, null, number,
            new SignatureRecorded(reviewSignature, pharmacist.Id, new SubjectRef("prescription", prescriptionId, 2), signingHash,
                SignatureAlgorithm.EcdsaP256WithSha256, $"fp-{pharmacist.Id}", "MEUCIQ", approvedAt, approvedAt, []));
        yield return Step("prescription", prescriptionId, pharmacistActor, institution, null, number, new PrescriptionApproved(pharmacist.Id, reviewSignature, approvedAt, []));
        var stages = random.Next(4); // some stay approved, handed off or dispensed at the end of the history
        if (stages >= 1)
        {
            yield return Step("prescription", prescriptionId, pharmacistActor, institution, null, number, new PrescriptionHandedOff($"pharmacy-{institution}", later(), []));
        }
        if (stages >= 2)
        {
            yield return Step("prescription", prescriptionId, pharmacistActor, institution, null, number, new PrescriptionDispensed(pharmacist.Id, later(), []));
        }
        if (stages >= 3)
        {
            yield return Step("prescription", prescriptionId, new Actor("courier-1", Role.Service, true), institution, null, number,
                new PrescriptionDelivered($"SF{number:D9}{c}", later(), []));
        }
    }

    /// <summary>Reads of the record: by the care team, by the patient, and now and then by break-glass (some reviewed).</summary>
    private IEnumerable<HistoryStep> Reads(Random random, int number, string patientId, string institution, List<string> careTeam, Func<Instant> later)
    {
        for (var r = 1; r <= random.Next(1, 3); r++)
        {
            var accessId = $"acc-{number}-{careTeam.Count}-{r}";
            var at = later();
            if (random.NextDouble() < _options.BreakGlassShare)
            {
                var outsider = _physicians[random.Next(_physicians.Count)];
                var reader = new Actor(outsider.Id, Role.Physician, true);
                var events = new List<IDomainEvent>
                {
                    new PatientDataRead(accessId, patientId, outsider.Id, Role.Physician, "emr.timeline", PurposeOfUse.Emergency, false,
                        "Unconscious patient brought to the emergency department", at, []),
                };
                yield return Step("record_access", accessId, reader, institution, "Emergency", number, [.. events]);
                if (random.Next(2) == 0)
                {
                    yield return Step("record_access", accessId, new Actor("qm-1", Role.QualityManager, true), institution, null, number,
                        new BreakGlassReviewed("qm-1", random.Next(5) != 0, "Emergency access confirmed by the ward", later()));
                }
            }
            else if (r % 2 == 1)
            {
                var doctor = careTeam[random.Next(careTeam.Count)];
                yield return Step("record_access", accessId, new Actor(doctor, Role.Physician, true), institution, "Treatment", number,
                    new PatientDataRead(accessId, patientId, doctor, Role.Physician, "emr.timeline", PurposeOfUse.Treatment, true, null, at, []));
            }
            else
            {
                yield return Step("record_access", accessId, new Actor(patientId, Role.Patient, true), institution, "PatientRequest", number,
                    new PatientDataRead(accessId, patientId, patientId, Role.Patient, "emr.prescriptions", PurposeOfUse.PatientRequest, true, null, at, []));
            }
        }
    }

    private static HistoryStep Step(string streamType, string recordId, Actor actor, string institution, string? purpose, int lane, params IDomainEvent[] events) =>
        new(streamType, recordId, events, actor, institution, purpose, lane);

    /// <summary>A stable SHA-256-shaped hex string standing for a document's content.</summary>
    private static string Hex(int number, string what) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{what}:{number}")));
}
