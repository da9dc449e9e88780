namespace Records.Domain.Retention;

using Records.Domain.ClinicalDocument;
using Records.Domain.Consultation;
using Records.Domain.Prescription;

/// <summary>When each kind of record's retention period begins, from the states a host has loaded.</summary>
public static class RetainedRecords
{
    /// <summary>The drug class that sets a prescription's retention: the strictest of its lines.</summary>
    public static DrugClass StrictestOf(IEnumerable<PrescriptionLine> lines) =>
        lines.Select(l => l.Class).OrderByDescending(PrescriptionRetention.Group).FirstOrDefault();

    /// <summary>A prescription's period runs from the day it was written (处方管理办法 Art. 50).</summary>
    public static RetainedRecord? Of(PrescriptionState rx) =>
        rx.Status == PrescriptionStatus.None ? null : new(RetainedRecordKind.Prescription, rx.Id, rx.WrittenOn, rx.StrictestClass);

    /// <summary>An outpatient record's period runs from the patient's last visit (电子病历应用管理规范 Art. 19), or its own encounter when later.</summary>
    public static RetainedRecord? Of(ClinicalDocumentState document, Instant? lastVisitEnded) =>
        !document.Created
            ? null
            : new(RetainedRecordKind.OutpatientRecord, document.Id,
                ChinaTime.DateOf(lastVisitEnded is { } visit && visit > document.EncounterEndedAt ? visit : document.EncounterEndedAt));

    /// <summary>A visit's media are kept from the visit's end; a visit still open has not started its period, so today counts.</summary>
    public static RetainedRecord? Of(ConsultationState visit, Instant? endedAt, Instant now) =>
        visit.Status == ConsultationStatus.None ? null : new(RetainedRecordKind.ConsultationMedia, visit.Id, ChinaTime.DateOf(endedAt ?? now));
}
