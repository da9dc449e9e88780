using NodaTime;
using Records.Domain;
using Records.Domain.ClinicalDocument;
using Records.Domain.Consultation;
using Records.Domain.Patient;
using Records.Domain.Practitioner;
using Records.Domain.Prescription;
using Records.Domain.RecordAccess;
using Records.Domain.Serialization;
using Records.Domain.Signature;
using PostgresEventStore = Records.EventStore.PostgresEventStore;
using Records.Testing.Histories;

namespace Records.Projections.Tests.Views;

/// <summary>
/// A small hand-written history whose every fact the tests can name: a follow-up of hypertension by
/// dr-1 at inst-1 (verified for it), resting on an offline record, diagnosed, written up, amended,
/// signed over version 2 (and a stray signature over version 1's content claiming version 2),
/// prescribed, reviewed by ph-1, handed off, dispensed, delivered; dr-1 suspended afterwards; reads
/// by the doctor, by an outsider with break-glass (unreviewed) and by another outsider (reviewed).
/// </summary>
internal sealed class Scenario(PostgresEventStore store)
{
    public static readonly Instant T0 = Instant.FromUtc(2026, 5, 4, 2, 0);

    public const string Patient = "pat-s", Doctor = "dr-1", Pharmacist = "ph-1", Institution = "inst-1", Consultation = "con-s", Document = "doc-s",
        Prescription = "rx-s", Outsider = "dr-9", Other = "dr-8";

    public static readonly Diagnosis Hypertension = new("I10.x01", "Essential hypertension, grade 1");

    public static readonly string Version1Hash = Hex("v1"), Version2Hash = Hex("v2"), EvidenceHash = Hex("evidence");

    public static Instant At(int minutes) => T0 + Duration.FromMinutes(minutes);

    public async Task WriteAsync()
    {
        var doctor = new Actor(Doctor, Role.Physician, true);
        var pharmacist = new Actor(Pharmacist, Role.Pharmacist, true);
        await Append("practitioner", Doctor, doctor,
            new PractitionerRegistered(Doctor, "Dr Li", Profession.Physician, "Attending physician", TitleGrade.Intermediate, "NRN1", new LocalDate(2015, 7, 1), At(-600)),
            new PractitionerEnrolled(Institution, EnrolmentKind.Registered, ["internal_medicine"], At(-600)),
            new RealNameVerified("con-other", "face", At(-300)));
        await Append("practitioner", Pharmacist, pharmacist,
            new PractitionerRegistered(Pharmacist, "Ph Wang", Profession.Pharmacist, "Pharmacist", TitleGrade.Intermediate, "NRN2", new LocalDate(2012, 7, 1), At(-600)),
            new PractitionerEnrolled(Institution, EnrolmentKind.Filed, ["pharmacy"], At(-600)));
        await Append("patient", Patient, new Actor(Patient, Role.Patient, true),
            new PatientRegistered(Patient, "Zhang San", Sex.Male, new LocalDate(1960, 3, 1), Hex("id"), "+86 139", At(0), []));
        await Append("consultation", Consultation, new Actor(Patient, Role.Patient, true),
            new ConsultationRequested(Consultation, Patient, Institution, ConsultationKind.OnlineFollowUp, "internal_medicine", "Blood pressure review", false, null, Patient, At(1), []));
        await Append("practitioner", Doctor, doctor, new RealNameVerified(Consultation, "face", At(2)));
        await Append("consultation", Consultation, doctor,
            new ConsultationAccepted(Doctor, At(3), []),
            new OfflineEvidenceAttached(EvidenceKind.OutpatientRecord, "HIS-42", EvidenceHash, "People's Hospital 1", [new Diagnosis("I10", "Hypertension")], Patient, At(4)),
            new MessagePosted("m-1", Patient, MessageKind.Text, "Readings 150/95", null, null, At(5), []),
            new MessagePosted("m-2", Doctor, MessageKind.Text, "Keep measuring", null, null, At(6), []),
            new DiagnosisRecorded(Hypertension, Doctor, At(7), []),
            new MessagePosted("m-3", Patient, MessageKind.Text, "Thank you", null, null, At(8), []));
        await Append("document", Document, doctor,
            new DocumentCreated(Document, Patient, Consultation, DocumentKind.OutpatientRecord, "Outpatient record", Version1Hash, Doctor, At(9), At(9), []),
            new DocumentAmended(2, 1, Version2Hash, "Dosage corrected", Doctor, At(10), []));
        var version2 = new DocumentVersion(2, 1, Version2Hash, Doctor, At(10), null).SigningHash(Document);
        var version1 = new DocumentVersion(1, null, Version1Hash, Doctor, At(9), null).SigningHash(Document);
        await Append("signature", "sig-doc", doctor,
            new SignatureRecorded("sig-doc", Doctor, new SubjectRef("document", Document, 2), version2, SignatureAlgorithm.EcdsaP256WithSha256, "fp-1", "MEUC", At(11), At(11), []));
        await Append("signature", "sig-stray", doctor,
            new SignatureRecorded("sig-stray", Doctor, new SubjectRef("document", Document, 2), version1, SignatureAlgorithm.EcdsaP256WithSha256, "fp-1", "MEUC", At(11), At(11), []));
        await Append("document", Document, doctor, new DocumentSigned(2, "sig-doc", Doctor, At(11), []), new DocumentArchived(Doctor, At(12)));

        var lines = new List<PrescriptionLine> { new("Amlodipine", DrugClass.Ordinary, "tablet", "5 mg", 28, "tablet", "once daily", 28) };
        var signingHash = CanonicalHash.Of(new PrescriptionContent(Prescription, Consultation, Patient, Doctor, [Hypertension], lines, false, null));
        await Append("prescription", Prescription, doctor,
            new PrescriptionDrafted(Prescription, Consultation, Patient, Doctor, [Hypertension], lines, false, null, signingHash, At(13), []));
        await Append("signature", "sig-rx", doctor,
            new SignatureRecorded("sig-rx", Doctor, new SubjectRef("prescription", Prescription, 1), signingHash, SignatureAlgorithm.EcdsaP256WithSha256, "fp-1", "MEUC", At(14), At(14), []));
        await Append("prescription", Prescription, doctor, new PrescriptionSigned("sig-rx", At(14), At(14) + Duration.FromDays(1), []));
        await Append("signature", "sig-review", pharmacist,
            new SignatureRecorded("sig-review", Pharmacist, new SubjectRef("prescription", Prescription, 2), signingHash, SignatureAlgorithm.EcdsaP256WithSha256, "fp-2", "MEUC", At(15), At(15), []));
        await Append("prescription", Prescription, pharmacist, new PrescriptionApproved(Pharmacist, "sig-review", At(15), []));
        await Append("prescription", Prescription, pharmacist, new PrescriptionHandedOff("pharmacy-1", At(16), []), new PrescriptionDispensed(Pharmacist, At(17), []));
        await Append("prescription", Prescription, new Actor("courier", Role.Service, true), new PrescriptionDelivered("SF1", At(18), []));
        await Append("consultation", Consultation, doctor, new ConsultationCompleted("Continue treatment", Doctor, At(20), []));
        await Append("practitioner", Doctor, doctor, new PractitionerSuspended("Under review", At(30)));

        await Append("record_access", "acc-1", doctor,
            new PatientDataRead("acc-1", Patient, Doctor, Role.Physician, "emr.timeline", PurposeOfUse.Treatment, true, null, At(5), []));
        await Append("record_access", "acc-2", new Actor(Outsider, Role.Physician, true),
            new PatientDataRead("acc-2", Patient, Outsider, Role.Physician, "emr.timeline", PurposeOfUse.Emergency, false, "Unconscious in the ED", At(40), []));
        await Append("record_access", "acc-3", new Actor(Other, Role.Physician, true),
            new PatientDataRead("acc-3", Patient, Other, Role.Physician, "emr.prescriptions", PurposeOfUse.Emergency, false, "Adverse reaction", At(41), []));
        await Append("record_access", "acc-3", new Actor("qm-1", Role.QualityManager, true), new BreakGlassReviewed("qm-1", true, "Confirmed by the ward", At(50)));
    }

    private Task Append(string type, string id, Actor actor, params IDomainEvent[] events) =>
        HistoryWriter.AppendStepAsync(store, new HistoryStep(type, id, events, actor, Institution, null, 1));

    private static string Hex(string what) => CanonicalHash.Sha256Hex(System.Text.Encoding.UTF8.GetBytes(what));
}
