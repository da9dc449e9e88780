using NodaTime;
using Npgsql;
using Records.Domain;
using Records.Domain.ClinicalDocument;
using Records.Domain.Consultation;
using Records.Domain.Practitioner;
using Records.Domain.Prescription;
using Records.Domain.Serialization;
using Records.Projections.Views;

namespace Records.Projections.Traceability;

/// <summary>An event's identity in the log: what a verifier checks the hash chains against.</summary>
public sealed record EventRef(Guid EventId, string StreamId, long Version, long Sequence, Instant RecordedAt, string HashAlgorithm, string Hash, string PreviousHash);

public sealed record ConsultationLink(string ConsultationId, string PatientId, string InstitutionId, ConsultationKind Kind, bool FirstVisit, EventRef Requested, EventRef? Accepted);

public sealed record EvidenceLink(EvidenceKind Kind, string DocumentRef, string ContentHash, string IssuedBy, IReadOnlyList<Diagnosis> Diagnoses, EventRef Event);

public sealed record MessageLink(string MessageId, string SenderId, MessageKind Kind, string? ContentHash, Instant PostedAt, EventRef Event);

/// <summary>A message of a consultation as posted: its text or the reference and hash of its content.</summary>
public sealed record ConsultationMessage(
    string MessageId, string SenderId, MessageKind Kind, string? Text, string? ContentRef, string? ContentHash, Instant PostedAt, EventRef Event);

/// <summary>A consultation with every message in order and the offline evidence it rests on, each linked to its event.</summary>
public sealed record ConsultationWithEvidence(ConsultationLink Consultation, IReadOnlyList<ConsultationMessage> Messages, IReadOnlyList<EvidenceLink> Evidence);

/// <summary>
/// A practitioner as they stood just before an act (every event of theirs with a lower sequence):
/// registration, enrolment at the institution, real-name verification for the consultation, suspension.
/// </summary>
public sealed record PractitionerAtMoment(
    string PractitionerId, bool Registered, Profession? Profession, string? Title, LocalDate? PracticeSince, EnrolmentKind? EnrolmentHere,
    IReadOnlyList<string> Scope, bool Suspended, bool RealNameVerifiedForConsultation, EventRef? Registration, EventRef? Enrolment, EventRef? Verification);

/// <summary>A signature and whether it covers exactly the version it names (its subject hash equals that version's signing hash).</summary>
public sealed record SignatureLink(
    string SignatureId, string SignerId, string SubjectType, string SubjectId, long SubjectVersion, string SubjectHash, string ExpectedHash,
    string Algorithm, string KeyFingerprint, EventRef Event)
{
    public bool CoversExactly => SubjectHash == ExpectedHash;
}

/// <summary>One version of a document of the consultation, with the signatures over it.</summary>
public sealed record DocumentVersionLink(string DocumentId, int Version, string ContentHash, string SigningHash, EventRef Event, IReadOnlyList<SignatureLink> Signatures);

/// <summary>
/// The path from a diagnosis back to its source: the consultation, the offline evidence and the
/// messages before it, the doctor as qualified at that moment, and the consultation's documents
/// with every version and the signatures over each.
/// </summary>
public sealed record DiagnosisTrace(
    Guid DiagnosisId, Diagnosis Diagnosis, Instant DiagnosedAt, EventRef Event, ConsultationLink Consultation, IReadOnlyList<EvidenceLink> Evidence,
    IReadOnlyList<MessageLink> MessagesBefore, PractitionerAtMoment Doctor, IReadOnlyList<DocumentVersionLink> Documents);

/// <summary>One step of a prescription's life (drafted, signed, reviewed, handed off, dispensed, delivered, ...).</summary>
public sealed record PrescriptionStep(string EventType, string? ActorId, EventRef Event);

/// <summary>
/// The path of a prescription: its draft and what it treats (the consultation's diagnoses), the
/// prescriber at drafting and the reviewer at review, each signature over the signed content, and
/// every later step.
/// </summary>
public sealed record PrescriptionTrace(
    string PrescriptionId, PrescriptionStatus Status, string SigningHash, IReadOnlyList<Diagnosis> Diagnoses, ConsultationLink Consultation,
    IReadOnlyList<Guid> ConsultationDiagnosisIds, PractitionerAtMoment Prescriber, PractitionerAtMoment? Reviewer, IReadOnlyList<SignatureLink> Signatures,
    IReadOnlyList<PrescriptionStep> Steps);

/// <summary>Assembles evidence chains from the <c>traceability</c> view, for the API to call.</summary>
public sealed class TraceabilityQueries(NpgsqlDataSource dataSource, string schema = "traceability")
{
    private sealed record Traced(EventRef Ref, string EventType, IDomainEvent Event, string? ActorId);

    /// <summary>The evidence chain of a diagnosis (its id is the id of the event that recorded it); null if there is none.</summary>
    public async Task<DiagnosisTrace?> DiagnosisAsync(Guid diagnosisId, CancellationToken cancellationToken = default)
    {
        var found = await SingleAsync($"select consultation_id, stream_version, sequence from {schema}.diagnoses where diagnosis_id = $1", diagnosisId,
            r => (Consultation: r.GetString(0), Version: r.GetInt64(1), Sequence: r.GetInt64(2)), cancellationToken);
        if (found is not { } diagnosisRow) return null;

        var consultationEvents = await StreamAsync($"{StreamTypes.Consultation}-{diagnosisRow.Consultation}", cancellationToken);
        var recorded = consultationEvents.Single(e => e.Ref.Version == diagnosisRow.Version);
        var diagnosis = (DiagnosisRecorded)recorded.Event;
        var before = consultationEvents.Where(e => e.Ref.Version < diagnosisRow.Version).ToList();
        var consultation = Consultation(consultationEvents);
        var documents = new List<DocumentVersionLink>();
        foreach (var documentId in await ListAsync($"select document_id from {schema}.documents where consultation_id = $1 order by document_id",
                     diagnosisRow.Consultation, r => r.GetString(0), cancellationToken))
        {
            documents.AddRange(await DocumentVersionsAsync(documentId, cancellationToken));
        }
        return new DiagnosisTrace(
            diagnosisId, diagnosis.Diagnosis, diagnosis.RecordedAt, recorded.Ref, consultation,
            [.. before.Select(e => e.Event is OfflineEvidenceAttached x ? new EvidenceLink(x.Kind, x.DocumentRef, x.ContentHash, x.IssuedBy, x.Diagnoses, e.Ref) : null).OfType<EvidenceLink>()],
            [.. before.Select(e => e.Event is MessagePosted x ? new MessageLink(x.MessageId, x.SenderId, x.Kind, x.ContentHash, x.PostedAt, e.Ref) : null).OfType<MessageLink>()],
            await PractitionerAtAsync(diagnosis.DoctorId, consultation, diagnosisRow.Sequence, cancellationToken),
            documents);
    }

    /// <summary>A consultation's messages and offline evidence; null if there is no such consultation.</summary>
    public async Task<ConsultationWithEvidence?> ConsultationAsync(string consultationId, CancellationToken cancellationToken = default)
    {
        var events = await StreamAsync($"{StreamTypes.Consultation}-{consultationId}", cancellationToken);
        if (!events.Any(e => e.Event is ConsultationRequested)) return null;
        return new ConsultationWithEvidence(Consultation(events),
            [.. events.Select(e => e.Event is MessagePosted x ? new ConsultationMessage(x.MessageId, x.SenderId, x.Kind, x.Text, x.ContentRef, x.ContentHash, x.PostedAt, e.Ref) : null)
                .OfType<ConsultationMessage>()],
            [.. events.Select(e => e.Event is OfflineEvidenceAttached x ? new EvidenceLink(x.Kind, x.DocumentRef, x.ContentHash, x.IssuedBy, x.Diagnoses, e.Ref) : null)
                .OfType<EvidenceLink>()]);
    }

    /// <summary>The path of a prescription through review, hand-off, dispensing and delivery; null if there is none.</summary>
    public async Task<PrescriptionTrace?> PrescriptionAsync(string prescriptionId, CancellationToken cancellationToken = default)
    {
        var events = await StreamAsync($"{StreamTypes.Prescription}-{prescriptionId}", cancellationToken);
        if (events.Count == 0 || events[0].Event is not PrescriptionDrafted drafted) return null;
        var state = events.Select(e => e.Event).OfType<IPrescriptionEvent>().Aggregate(PrescriptionState.Initial, PrescriptionDecider.Evolve);
        var consultation = Consultation(await StreamAsync($"{StreamTypes.Consultation}-{drafted.ConsultationId}", cancellationToken));
        var review = events.FirstOrDefault(e => e.Event is PrescriptionApproved or PrescriptionRejected);
        var reviewer = review?.Event switch
        {
            PrescriptionApproved a => a.ReviewerId,
            PrescriptionRejected r => r.ReviewerId,
            _ => null,
        };
        return new PrescriptionTrace(
            prescriptionId, state.Status, drafted.SigningHash, drafted.Diagnoses, consultation,
            await ListAsync($"select diagnosis_id from {schema}.diagnoses where consultation_id = $1 order by sequence", drafted.ConsultationId, r => r.GetGuid(0), cancellationToken),
            await PractitionerAtAsync(drafted.PrescriberId, consultation, events[0].Ref.Sequence, cancellationToken),
            reviewer is null ? null : await PractitionerAtAsync(reviewer, consultation, review!.Ref.Sequence, cancellationToken),
            await SignaturesAsync(StreamTypes.Prescription, prescriptionId, _ => drafted.SigningHash, cancellationToken),
            [.. events.Select(e => new PrescriptionStep(e.EventType, e.ActorId, e.Ref))]);
    }

    private static ConsultationLink Consultation(IReadOnlyList<Traced> events)
    {
        var requested = events.First(e => e.Event is ConsultationRequested);
        var r = (ConsultationRequested)requested.Event;
        return new ConsultationLink(r.ConsultationId, r.PatientId, r.InstitutionId, r.Kind, r.FirstVisit, requested.Ref,
            events.FirstOrDefault(e => e.Event is ConsultationAccepted)?.Ref);
    }

    private async Task<PractitionerAtMoment> PractitionerAtAsync(string practitionerId, ConsultationLink consultation, long beforeSequence, CancellationToken cancellationToken)
    {
        var events = (await StreamAsync($"{StreamTypes.Practitioner}-{practitionerId}", cancellationToken)).Where(e => e.Ref.Sequence < beforeSequence).ToList();
        var state = events.Select(e => e.Event).OfType<IPractitionerEvent>().Aggregate(PractitionerState.Initial, PractitionerDecider.Evolve);
        var enrolment = state.Enrolments.GetValueOrDefault(consultation.InstitutionId);
        return new PractitionerAtMoment(
            practitionerId, state.Registered, state.Registered ? state.Profession : null, state.Registered ? state.Title : null,
            state.Registered ? state.PracticeSince : null, enrolment?.Kind, [.. (enrolment?.Scope ?? []).Order(StringComparer.Ordinal)], state.Suspended,
            state.VerifiedForConsultations.Contains(consultation.ConsultationId),
            events.FirstOrDefault(e => e.Event is PractitionerRegistered)?.Ref,
            events.LastOrDefault(e => e.Event is PractitionerEnrolled x && x.InstitutionId == consultation.InstitutionId)?.Ref,
            events.LastOrDefault(e => e.Event is RealNameVerified x && x.ConsultationId == consultation.ConsultationId)?.Ref);
    }

    private async Task<IReadOnlyList<DocumentVersionLink>> DocumentVersionsAsync(string documentId, CancellationToken cancellationToken)
    {
        var events = await StreamAsync($"{StreamTypes.Document}-{documentId}", cancellationToken);
        var versions = new List<(int Version, string ContentHash, EventRef Ref)>();
        foreach (var e in events)
        {
            if (e.Event is DocumentCreated created) versions.Add((1, created.ContentHash, e.Ref));
            else if (e.Event is DocumentAmended amended) versions.Add((amended.Version, amended.ContentHash, e.Ref));
        }
        // A signature naming a version that does not exist covers nothing: its expected hash is empty.
        string SigningHash(long version) =>
            versions.Where(v => v.Version == version).Select(v => new DocumentVersion(v.Version, null, v.ContentHash, "", default, null).SigningHash(documentId)).FirstOrDefault() ?? "";
        var signatures = await SignaturesAsync(StreamTypes.Document, documentId, SigningHash, cancellationToken);
        return [.. versions.Select(v => new DocumentVersionLink(documentId, v.Version, v.ContentHash, SigningHash(v.Version), v.Ref,
            [.. signatures.Where(s => s.SubjectVersion == v.Version)]))];
    }

    /// <summary>
    /// The signatures over a record, each with the hash the version it names should have. A signature names its
    /// subject by stream id (<c>SubjectRef</c>: <c>document-{id}</c>); some writers give the bare record id, so both are matched.
    /// </summary>
    private async Task<IReadOnlyList<SignatureLink>> SignaturesAsync(string subjectType, string subjectId, Func<long, string> expectedHash, CancellationToken cancellationToken)
    {
        var rows = await ListAsync($"""
            select signature_id, signer_id, subject_version, subject_hash, algorithm, key_fingerprint from {schema}.signatures
            where subject_type = '{subjectType}' and subject_id in ($1, '{subjectType}-' || $1) order by sequence
            """, subjectId, r => (Id: r.GetString(0), Signer: r.GetString(1), Version: r.GetInt64(2), Hash: r.GetString(3), Algorithm: r.GetString(4), Key: r.GetString(5)),
            cancellationToken);
        var links = new List<SignatureLink>();
        foreach (var row in rows)
        {
            var recorded = (await StreamAsync($"{StreamTypes.Signature}-{row.Id}", cancellationToken))[0];
            links.Add(new SignatureLink(row.Id, row.Signer, subjectType, subjectId, row.Version, row.Hash, expectedHash(row.Version), row.Algorithm, row.Key, recorded.Ref));
        }
        return links;
    }

    private async Task<IReadOnlyList<Traced>> StreamAsync(string streamId, CancellationToken cancellationToken) =>
        await ListAsync($"""
            select event_id, stream_id, version, sequence, recorded_at, hash_algorithm, hash, previous_hash, event_type, data::text, actor_id
            from {schema}.events where stream_id = $1 order by version
            """, streamId, r => new Traced(
                new EventRef(r.GetGuid(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), Instant.FromDateTimeUtc(r.GetDateTime(4)), r.GetString(5),
                    Convert.ToHexStringLower(r.GetFieldValue<byte[]>(6)), Convert.ToHexStringLower(r.GetFieldValue<byte[]>(7))),
                r.GetString(8),
                DomainEventSerializer.Default.Deserialize(r.GetString(8), System.Text.Encoding.UTF8.GetBytes(r.GetString(9))),
                r.IsDBNull(10) ? null : r.GetString(10)), cancellationToken);

    private async Task<T?> SingleAsync<T>(string sql, object key, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken) where T : struct
    {
        var rows = await ListAsync(sql, key, read, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    private async Task<IReadOnlyList<T>> ListAsync<T>(string sql, object key, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = key });
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add(read(reader));
        return rows;
    }
}
