using NodaTime;
using Npgsql;
using Records.Projections.Views;
using static Records.Projections.Views.Sql;

namespace Records.Projections.Emr;

/// <summary>One entry of a patient's timeline: an event of one of their records, linked to it by id and sequence.</summary>
public sealed record TimelineEntry(
    long Sequence, Instant RecordedAt, Instant? OccurredAt, Guid EventId, string StreamId, long StreamVersion, string EventType,
    string RecordKind, string RecordId, string Summary);

public sealed record PatientSummary(
    string PatientId, string? Name, string? Sex, LocalDate? DateOfBirth, string? GuardianId, string? GuardianName, string? Contact, Instant? RegisteredAt);

/// <summary>A problem: an ICD-10 category diagnosed for the patient, with its latest diagnosis.</summary>
public sealed record Problem(string Category, string LatestIcd10, string LatestText, Instant FirstDiagnosedAt, Instant LastDiagnosedAt, int Diagnoses);

public sealed record DiagnosisEntry(Guid DiagnosisId, string ConsultationId, string Icd10, string Text, string DoctorId, Instant DiagnosedAt, long Sequence);

public sealed record ConsultationEntry(
    string ConsultationId, string? InstitutionId, string? Kind, string? Subject, bool? FirstVisit, string Status, string? DoctorId,
    Instant? RequestedAt, Instant? AcceptedAt, Instant? EndedAt, string? Outcome);

public sealed record PrescriptionEntry(
    string PrescriptionId, string? ConsultationId, string? PrescriberId, string? Drugs, string Status, Instant? DraftedAt, Instant? SignedAt,
    Instant? ValidUntil, string? ReviewerId, string? PharmacyId, Instant? DispensedAt, Instant? DeliveredAt, Instant? EndedAt)
{
    /// <summary>Signed and not yet dispensed, cancelled or expired (as <c>PrescriptionState.IsLive</c>).</summary>
    public bool IsActive => Status is "Signed" or "Approved" or "HandedOff";
}

public sealed record DocumentVersionEntry(
    int Version, int? Replaces, string? ContentHash, string? AuthorId, string? Reason, Instant? WrittenAt, string? SignatureId, string? SignerId,
    Instant? SignedAt, Guid? EventId, long? Sequence);

public sealed record DocumentEntry(
    string DocumentId, string? ConsultationId, string? Kind, string? Title, int? CurrentVersion, int? SignedVersion, bool Archived, bool Sealed,
    IReadOnlyList<DocumentVersionEntry> Versions)
{
    /// <summary>Whose document it is.</summary>
    public string? PatientId { get; init; }
}

/// <summary>A prescription with the patient it is for (in lists that span patients).</summary>
public sealed record PatientPrescription(string PatientId, PrescriptionEntry Prescription);

public sealed record ConsentEntry(
    string ConsentId, string? Scope, string? FormVersion, string? ConsultationId, string? GrantorId, bool? ByGuardian, string? SignatureId,
    Instant? GrantedAt, string Status, Instant? WithdrawnAt);

public sealed record NoteEntry(long Sequence, string ConsultationId, string Kind, string? Level, string Note, string AuthorId, Instant NotedAt);

/// <summary>Reads of the <c>emr</c> view, for the API to call.</summary>
public sealed class EmrQueries(NpgsqlDataSource dataSource, string schema = "emr")
{
    /// <summary>A patient's timeline, oldest first, Relay-paged by (recorded time, sequence).</summary>
    public async Task<Page<TimelineEntry>> TimelineAsync(string patientId, PageRequest page, CancellationToken cancellationToken = default)
    {
        var (forward, size, from) = page.Resolve();
        var bound = from is null ? "" : forward ? "and (recorded_at, sequence) > ($2, $3)" : "and (recorded_at, sequence) < ($2, $3)";
        await using var command = dataSource.CreateCommand($"""
            select sequence, recorded_at, occurred_at, event_id, stream_id, stream_version, event_type, record_kind, record_id, summary
            from {schema}.timeline where patient_id = $1 {bound}
            order by recorded_at {(forward ? "asc" : "desc")}, sequence {(forward ? "asc" : "desc")} limit $4
            """);
        command.Parameters.Add(new() { Value = patientId });
        command.Parameters.Add(new() { Value = from?.RecordedAt.ToDateTimeUtc() ?? DateTime.UnixEpoch });
        command.Parameters.Add(new() { Value = from?.Sequence ?? 0L });
        command.Parameters.Add(new() { Value = size + 1 });
        var entries = new List<TimelineEntry>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(new TimelineEntry(reader.GetInt64(0), Instant.FromDateTimeUtc(reader.GetDateTime(1)), OptionalInstant(reader, 2), reader.GetGuid(3),
                    reader.GetString(4), reader.GetInt64(5), reader.GetString(6), reader.GetString(7), reader.GetString(8), reader.GetString(9)));
            }
        }
        return Page.Of(entries, size, forward, from is not null, e => new TimeCursor(e.RecordedAt, e.Sequence).Encode());
    }

    public async Task<PatientSummary?> PatientAsync(string patientId, CancellationToken cancellationToken = default) =>
        (await PatientsAsync([patientId], cancellationToken)).GetValueOrDefault(patientId);

    /// <summary>Several patients in one query (a page of patients), by id; those the view does not hold are left out.</summary>
    public async Task<IReadOnlyDictionary<string, PatientSummary>> PatientsAsync(IReadOnlyList<string> patientIds, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            select patient_id, name, sex, date_of_birth, guardian_id, guardian_name, contact, registered_at from {schema}.patients where patient_id = any($1)
            """);
        command.Parameters.Add(new() { Value = patientIds.ToArray() });
        var patients = new Dictionary<string, PatientSummary>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            patients[r.GetString(0)] = new PatientSummary(r.GetString(0), Text(r, 1), Text(r, 2),
                r.IsDBNull(3) ? null : LocalDate.FromDateOnly(r.GetFieldValue<DateOnly>(3)), Text(r, 4), Text(r, 5), Text(r, 6), OptionalInstant(r, 7));
        }
        return patients;
    }

    /// <summary>The patient's problems: each diagnosed ICD-10 category with its latest diagnosis, most recent first.</summary>
    public Task<IReadOnlyList<Problem>> ProblemsAsync(string patientId, CancellationToken cancellationToken = default) => ReadAsync($"""
        select category, (array_agg(icd10 order by sequence desc))[1], (array_agg(text order by sequence desc))[1],
            min(diagnosed_at), max(diagnosed_at), count(*)::int
        from {schema}.diagnoses where patient_id = $1 group by category order by max(sequence) desc
        """, patientId, r => new Problem(r.GetString(0), r.GetString(1), r.GetString(2), Instant.FromDateTimeUtc(r.GetDateTime(3)),
            Instant.FromDateTimeUtc(r.GetDateTime(4)), r.GetInt32(5)), cancellationToken);

    public Task<IReadOnlyList<DiagnosisEntry>> DiagnosesAsync(string patientId, CancellationToken cancellationToken = default) => ReadAsync($"""
        select diagnosis_id, consultation_id, icd10, text, doctor_id, diagnosed_at, sequence from {schema}.diagnoses where patient_id = $1 order by sequence
        """, patientId, r => new DiagnosisEntry(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
            Instant.FromDateTimeUtc(r.GetDateTime(5)), r.GetInt64(6)), cancellationToken);

    public Task<IReadOnlyList<ConsultationEntry>> ConsultationsAsync(string patientId, CancellationToken cancellationToken = default) => ReadAsync($"""
        select consultation_id, institution_id, kind, subject, first_visit, status, doctor_id, requested_at, accepted_at, ended_at, outcome
        from {schema}.consultations where patient_id = $1 order by requested_at, consultation_id
        """, patientId, r => new ConsultationEntry(r.GetString(0), Text(r, 1), Text(r, 2), Text(r, 3), r.IsDBNull(4) ? null : r.GetBoolean(4), r.GetString(5),
            Text(r, 6), OptionalInstant(r, 7), OptionalInstant(r, 8), OptionalInstant(r, 9), Text(r, 10)), cancellationToken);

    /// <summary>The patient's prescriptions, newest first; <see cref="PrescriptionEntry.IsActive"/> tells active from past.</summary>
    public Task<IReadOnlyList<PrescriptionEntry>> PrescriptionsAsync(string patientId, CancellationToken cancellationToken = default) => ReadAsync($"""
        select {PrescriptionColumns} from {schema}.prescriptions where patient_id = $1 order by drafted_at desc, prescription_id
        """, patientId, r => Prescription(r), cancellationToken);

    /// <summary>The prescriptions of several patients in one query (a page of patients), each patient's newest first.</summary>
    public async Task<ILookup<string, PrescriptionEntry>> PrescriptionsOfPatientsAsync(IReadOnlyList<string> patientIds, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            select patient_id, {PrescriptionColumns} from {schema}.prescriptions where patient_id = any($1) order by patient_id, drafted_at desc, prescription_id
            """);
        command.Parameters.Add(new() { Value = patientIds.ToArray() });
        var rows = new List<(string PatientId, PrescriptionEntry Prescription)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add((reader.GetString(0), Prescription(reader, 1)));
        return rows.ToLookup(r => r.PatientId, r => r.Prescription);
    }

    /// <summary>Signed prescriptions no pharmacist has reviewed yet, oldest signature first (the review queue), Relay-paged by (signed time, id).</summary>
    public async Task<Page<PatientPrescription>> AwaitingReviewAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        var (forward, size, from) = page.Resolve(KeyCursor.Decode);
        await using var command = dataSource.CreateCommand(AwaitingReviewStatement(forward, from is not null));
        command.Parameters.Add(new() { Value = from?.At.ToDateTimeUtc() ?? DateTime.UnixEpoch });
        command.Parameters.Add(new() { Value = from?.Key ?? "" });
        command.Parameters.Add(new() { Value = size + 1 });
        var rows = new List<PatientPrescription>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) rows.Add(new PatientPrescription(reader.GetString(0), Prescription(reader, 1)));
        }
        return Page.Of(rows, size, forward, from is not null, p => new KeyCursor(p.Prescription.SignedAt ?? Instant.MinValue, p.Prescription.PrescriptionId).Encode());
    }

    /// <summary>
    /// The review queue's page, read through the partial index <c>prescriptions_awaiting_review</c>: <c>$1</c>, <c>$2</c> the cursor's
    /// signing time and id (when <paramref name="afterCursor"/>), <c>$3</c> the rows to read. Public for the plan tests.
    /// </summary>
    public string AwaitingReviewStatement(bool forward, bool afterCursor)
    {
        var bound = !afterCursor ? "" : forward ? "and (signed_at, prescription_id) > ($1, $2)" : "and (signed_at, prescription_id) < ($1, $2)";
        return $"""
            select patient_id, {PrescriptionColumns} from {schema}.prescriptions where status = 'Signed' {bound}
            order by signed_at {(forward ? "asc" : "desc")}, prescription_id {(forward ? "asc" : "desc")} limit $3
            """;
    }

    private const string PrescriptionColumns = """
        prescription_id, consultation_id, prescriber_id, drugs, status, drafted_at, signed_at, valid_until, reviewer_id, pharmacy_id,
        dispensed_at, delivered_at, ended_at
        """;

    private static PrescriptionEntry Prescription(NpgsqlDataReader r, int o = 0) => new(r.GetString(o), Text(r, o + 1), Text(r, o + 2), Text(r, o + 3),
        r.GetString(o + 4), OptionalInstant(r, o + 5), OptionalInstant(r, o + 6), OptionalInstant(r, o + 7), Text(r, o + 8), Text(r, o + 9),
        OptionalInstant(r, o + 10), OptionalInstant(r, o + 11), OptionalInstant(r, o + 12));

    /// <summary>The patient a record stream belongs to (a consultation, prescription, document or consent of theirs); null if the view knows none.</summary>
    public async Task<string?> OwnerAsync(string streamId, CancellationToken cancellationToken = default) =>
        (await ReadAsync($"select patient_id from {schema}.record_owners where stream_id = $1", streamId, r => r.GetString(0), cancellationToken)).SingleOrDefault();

    /// <summary>The patient's documents, each with its whole version history (oldest version first).</summary>
    public Task<IReadOnlyList<DocumentEntry>> DocumentsAsync(string patientId, CancellationToken cancellationToken = default) =>
        DocumentsWhereAsync("d.patient_id = $1", patientId, cancellationToken);

    /// <summary>One document with its whole version history; null if the view does not hold it.</summary>
    public async Task<DocumentEntry?> DocumentAsync(string documentId, CancellationToken cancellationToken = default) =>
        (await DocumentsWhereAsync("d.document_id = $1", documentId, cancellationToken)).SingleOrDefault();

    private async Task<IReadOnlyList<DocumentEntry>> DocumentsWhereAsync(string where, string key, CancellationToken cancellationToken)
    {
        var versions = (await ReadAsync($"""
            select v.document_id, v.version, v.replaces, v.content_hash, v.author_id, v.reason, v.written_at, v.signature_id, v.signer_id, v.signed_at, v.event_id, v.sequence
            from {schema}.document_versions v join {schema}.documents d using (document_id) where {where} order by v.document_id, v.version
            """, key, r => (Id: r.GetString(0), Version: new DocumentVersionEntry(r.GetInt32(1), r.IsDBNull(2) ? null : r.GetInt32(2), Text(r, 3), Text(r, 4),
                Text(r, 5), OptionalInstant(r, 6), Text(r, 7), Text(r, 8), OptionalInstant(r, 9), r.IsDBNull(10) ? null : r.GetGuid(10),
                r.IsDBNull(11) ? null : r.GetInt64(11))), cancellationToken)).ToLookup(v => v.Id, v => v.Version);
        return await ReadAsync($"""
            select d.document_id, d.consultation_id, d.kind, d.title, d.current_version, d.signed_version, coalesce(d.archived, false), coalesce(d.sealed, false), d.patient_id
            from {schema}.documents d where {where} order by d.created_at, d.document_id
            """, key, r => new DocumentEntry(r.GetString(0), Text(r, 1), Text(r, 2), Text(r, 3), r.IsDBNull(4) ? null : r.GetInt32(4),
                r.IsDBNull(5) ? null : r.GetInt32(5), r.GetBoolean(6), r.GetBoolean(7), versions[r.GetString(0)].ToList()) { PatientId = Text(r, 8) }, cancellationToken);
    }

    public Task<IReadOnlyList<ConsentEntry>> ConsentsAsync(string patientId, CancellationToken cancellationToken = default) => ReadAsync($"""
        select consent_id, scope, form_version, consultation_id, grantor_id, by_guardian, signature_id, granted_at, status, withdrawn_at
        from {schema}.consents where patient_id = $1 order by granted_at, consent_id
        """, patientId, r => new ConsentEntry(r.GetString(0), Text(r, 1), Text(r, 2), Text(r, 3), Text(r, 4), r.IsDBNull(5) ? null : r.GetBoolean(5), Text(r, 6),
            OptionalInstant(r, 7), r.GetString(8), OptionalInstant(r, 9)), cancellationToken);

    /// <summary>Clinical notes recorded in consultations: risk assessments and condition changes. (The domain records no allergies.)</summary>
    public Task<IReadOnlyList<NoteEntry>> NotesAsync(string patientId, CancellationToken cancellationToken = default) => ReadAsync($"""
        select sequence, consultation_id, kind, level, note, author_id, noted_at from {schema}.notes where patient_id = $1 order by sequence
        """, patientId, r => new NoteEntry(r.GetInt64(0), r.GetString(1), r.GetString(2), Text(r, 3), r.GetString(4), r.GetString(5),
            Instant.FromDateTimeUtc(r.GetDateTime(6))), cancellationToken);

    private async Task<IReadOnlyList<T>> ReadAsync<T>(string sql, string patientId, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = patientId });
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add(read(reader));
        return rows;
    }
}
