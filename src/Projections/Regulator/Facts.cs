using NodaTime;
using Records.Domain.AdverseEvent;
using Records.Domain.ClinicalDocument;
using Records.Domain.Consent;
using Records.Domain.Consultation;
using Records.Domain.Practitioner;

namespace Records.Projections.Regulator;

// What the view remembers of each record between batches, stored as JSON in its `facts` table: only what
// the indicators need, with the events that showed each fact so that findings can link to them.

internal abstract class Facts
{
    /// <summary>The keys of other records' facts that this record's events read (its visit, doctor, patient...), to load with it.</summary>
    public virtual IEnumerable<string> References() => [];
}

internal sealed class InstitutionFacts : Facts
{
    public string Id { get; set; } = "";
    public string ProvinceCode { get; set; } = "";
    public Duration? ReplyLimit { get; set; }
}

internal sealed class PatientFacts : Facts
{
    public override IEnumerable<string> References() => ConsentIds.Select(id => $"consent:{id}");

    public string Id { get; set; } = "";
    public LocalDate DateOfBirth { get; set; }
    public List<string> ConsentIds { get; set; } = [];
}

internal sealed class ConsentFacts : Facts
{
    public override IEnumerable<string> References() => [$"patient:{PatientRef}"];

    public string Id { get; set; } = "";
    public string PatientRef { get; set; } = "";
    public ConsentScope Scope { get; set; }
    public string? ConsultationId { get; set; }
    public bool Signed { get; set; }
    public Instant GrantedAt { get; set; }
    public Instant? WithdrawnAt { get; set; }

    public bool Covers(ConsentScope scope, string consultationId, Instant at, bool written) =>
        Scope == scope && (ConsultationId is null || ConsultationId == consultationId) && GrantedAt <= at
        && (WithdrawnAt is null || WithdrawnAt > at) && (!written || Signed);
}

internal sealed class EnrolmentFacts
{
    public EnrolmentKind Kind { get; set; }
    public List<string> Scope { get; set; } = [];
    public Instant EnrolledAt { get; set; }
    public Instant? EndedAt { get; set; }
}

internal sealed class KeyFacts
{
    public Instant ValidFrom { get; set; }
    public Instant? ValidUntil { get; set; }
    public Instant? RevokedAt { get; set; }

    public bool ValidAt(Instant at) => ValidFrom <= at && (ValidUntil is null || at < ValidUntil) && (RevokedAt is null || at < RevokedAt);
}

internal sealed class PractitionerFacts : Facts
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public Profession Profession { get; set; }
    public string Title { get; set; } = "";
    public TitleGrade Grade { get; set; }
    public string RegistryNumber { get; set; } = "";
    public LocalDate PracticeSince { get; set; }
    public Instant RegisteredAt { get; set; }
    public Dictionary<string, EnrolmentFacts> Enrolments { get; set; } = [];
    /// <summary>Consultation id → when the real-name verification for it passed.</summary>
    public Dictionary<string, Instant> VerifiedFor { get; set; } = [];
    public bool Suspended { get; set; }
    public int BadPracticePoints { get; set; }
    public Dictionary<string, KeyFacts> Keys { get; set; } = [];

    public EnrolmentFacts? ActiveEnrolment(string institutionId) =>
        Enrolments.TryGetValue(institutionId, out var e) && e.EndedAt is null ? e : null;
}

internal sealed class ConsultationFacts : Facts
{
    public override IEnumerable<string> References() =>
        DoctorId is null ? [$"institution:{InstitutionId}", $"patient:{PatientRef}"] : [$"institution:{InstitutionId}", $"patient:{PatientRef}", $"practitioner:{DoctorId}"];

    public string Id { get; set; } = "";
    public string PatientRef { get; set; } = "";
    public string InstitutionId { get; set; } = "";
    public ConsultationKind Kind { get; set; }
    public string Subject { get; set; } = "";
    public Instant RequestedAt { get; set; }
    public string? DoctorId { get; set; }
    public EvidenceLink Requested { get; set; } = null!;
    public List<EvidenceLink> Evidence { get; set; } = [];
    public List<string> EvidencedCategories { get; set; } = [];
    public bool ChildSafeguardsAttested { get; set; }
    public EvidenceLink? ConditionChange { get; set; }
    public bool Terminated { get; set; }
    public bool DoctorReplied { get; set; }
    public bool SignedRecord { get; set; }
}

internal sealed class PrescriptionFacts : Facts
{
    public override IEnumerable<string> References() => [$"consultation:{ConsultationId}", $"patient:{PatientRef}", $"practitioner:{PrescriberId}"];

    public string Id { get; set; } = "";
    public string ConsultationId { get; set; } = "";
    public string PatientRef { get; set; } = "";
    public string PrescriberId { get; set; } = "";
    public EvidenceLink Drafted { get; set; } = null!;
    public LocalDate WrittenOn { get; set; }
    public Domain.Prescription.DrugClass StrictestClass { get; set; }
    public Instant? SignedAt { get; set; }
    public EvidenceLink? Signed { get; set; }
    public Instant? ApprovedAt { get; set; }
    public EvidenceLink? Approved { get; set; }
}

internal sealed class SignatureFacts : Facts
{
    public override IEnumerable<string> References() => [$"practitioner:{SignerId}"];

    public string Id { get; set; } = "";
    public string SignerId { get; set; } = "";
    public string KeyFingerprint { get; set; } = "";
    public Instant SignedAt { get; set; }
    public Instant ClaimedAt { get; set; }
    public EvidenceLink Recorded { get; set; } = null!;
}

internal sealed class DocumentFacts : Facts
{
    public override IEnumerable<string> References() => ConsultationId is null ? [] : [$"consultation:{ConsultationId}"];

    public string Id { get; set; } = "";
    public string PatientRef { get; set; } = "";
    public string? ConsultationId { get; set; }
    public DocumentKind Kind { get; set; }
    public Instant EncounterEndedAt { get; set; }
    public EvidenceLink Created { get; set; } = null!;
    public EvidenceLink? Archived { get; set; }
    public EvidenceLink? Sealed { get; set; }
    public Instant? SealedAt { get; set; }
}

internal sealed class AccessFacts : Facts
{
    public override IEnumerable<string> References() => InstitutionId is null ? [] : [$"institution:{InstitutionId}"];

    public string Id { get; set; } = "";
    public string PatientRef { get; set; } = "";
    public string ReaderId { get; set; } = "";
    public string? InstitutionId { get; set; }
    public EvidenceLink Read { get; set; } = null!;
}

internal sealed class AdverseEventFacts : Facts
{
    public override IEnumerable<string> References() => InstitutionId is null ? [] : [$"institution:{InstitutionId}"];

    public string Id { get; set; } = "";
    public string? InstitutionId { get; set; }
    public string? PatientRef { get; set; }
    public AdverseEventCategory Category { get; set; }
    public Severity Severity { get; set; }
    public Instant OccurredAt { get; set; }
    public Instant RecordedAt { get; set; }
    public Instant? Deadline { get; set; }
    public string? RuleId { get; set; }
    public string? RuleSource { get; set; }
    public Instant? ReportedAt { get; set; }
    public List<EvidenceLink> Evidence { get; set; } = [];
}

/// <summary>Indicator 17: how far the uploads to one provincial platform have gone, to see the next one leave a gap.</summary>
internal sealed class PlatformFacts : Facts
{
    public long LastUploadNumber { get; set; }
    public long ThroughSequence { get; set; }
}

/// <summary>Indicator 21: the distinct patients whose prescriptions one reader read in one China day.</summary>
internal sealed class ReadingDayFacts : Facts
{
    public List<string> PatientRefs { get; set; } = [];
    public List<EvidenceLink> Reads { get; set; } = [];
}

/// <summary>Something that must happen by <see cref="Due"/>; breached when the log's time passes it first.</summary>
internal sealed record Obligation(
    string Id, int Indicator, string Code, string Message, string RuleId, string RuleSource, string? InstitutionId, string? PractitionerId,
    string? PatientRef, Instant Due, IReadOnlyList<EvidenceLink> Evidence);
