using Npgsql;
using Records.Domain;
using Records.Domain.ClinicalDocument;
using Records.Domain.Consent;
using Records.Domain.Consultation;
using Records.Domain.Patient;
using Records.Domain.Prescription;
using Records.EventStore;
using Records.Projections.Runner;
using Records.Projections.Views;
using static Records.Projections.Views.Sql;

namespace Records.Projections.Emr;

/// <summary>
/// The electronic medical record (<c>emr</c> schema): per patient, a timeline of every event of
/// their records, their consultations, diagnoses, prescriptions with status, documents with every
/// version, consents and clinical notes. A batch is folded in memory first (so a record created and
/// changed in one batch is one row), then written with one statement per table.
/// </summary>
public sealed class EmrView : IProjection
{
    public string Name => "emr";

    public int Version => 2;

    public Task CreateAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken) => Sql.CreateAsync(connection, $"""
        create table {schema}.patients (
            patient_id text primary key, name text, sex text, date_of_birth date, guardian_id text, guardian_name text,
            guardian_relationship text, contact text, registered_at timestamptz, last_sequence bigint not null);
        -- Which patient each record stream belongs to: later events of a stream name only the stream.
        create table {schema}.record_owners (stream_id text primary key, patient_id text not null);
        -- The timeline's, diagnoses' and notes' keys are built with the indexes (no write names them).
        create table {schema}.timeline (
            sequence bigint not null, patient_id text not null, recorded_at timestamptz not null, occurred_at timestamptz,
            event_id uuid not null, stream_id text not null, stream_version bigint not null, event_type text not null,
            record_kind text not null, record_id text not null, summary text not null);
        -- Record tables are upserted from batches that may hold only a change: only keys are not null.
        create table {schema}.consultations (
            consultation_id text primary key, patient_id text, institution_id text, kind text, subject text, first_visit boolean,
            status text, doctor_id text, requested_at timestamptz, accepted_at timestamptz, ended_at timestamptz,
            outcome text, last_sequence bigint not null);
        -- A diagnosis is identified by the event that recorded it.
        create table {schema}.diagnoses (
            diagnosis_id uuid not null, patient_id text not null, consultation_id text not null, icd10 text not null,
            category text not null, text text not null, doctor_id text not null, diagnosed_at timestamptz not null, sequence bigint not null);
        create table {schema}.prescriptions (
            prescription_id text primary key, patient_id text, consultation_id text, prescriber_id text, drugs text,
            status text, drafted_at timestamptz, signed_at timestamptz, valid_until timestamptz, reviewer_id text,
            reviewed_at timestamptz, pharmacy_id text, dispensed_at timestamptz, delivered_at timestamptz, ended_at timestamptz,
            last_sequence bigint not null);
        create table {schema}.documents (
            document_id text primary key, patient_id text, consultation_id text, kind text, title text, current_version int,
            signed_version int, archived boolean, sealed boolean, created_at timestamptz, last_sequence bigint not null);
        create table {schema}.document_versions (
            document_id text not null, version int not null, replaces int, content_hash text, author_id text, reason text,
            written_at timestamptz, signature_id text, signer_id text, signed_at timestamptz, event_id uuid, sequence bigint,
            primary key (document_id, version));
        create table {schema}.consents (
            consent_id text primary key, patient_id text, scope text, form_version text, consultation_id text, grantor_id text,
            by_guardian boolean, signature_id text, granted_at timestamptz, status text, withdrawn_at timestamptz,
            last_sequence bigint not null);
        create table {schema}.notes (
            sequence bigint not null, patient_id text not null, consultation_id text not null, kind text not null, level text,
            note text not null, author_id text not null, noted_at timestamptz not null);
        """, cancellationToken);

    public Task CreateIndexesAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken) => Sql.CreateAsync(connection, $"""
        alter table {schema}.timeline add primary key (sequence);
        alter table {schema}.diagnoses add primary key (diagnosis_id);
        alter table {schema}.notes add primary key (sequence);
        create index timeline_by_patient on {schema}.timeline (patient_id, recorded_at, sequence);
        create index consultations_by_patient on {schema}.consultations (patient_id, requested_at);
        create index diagnoses_by_patient on {schema}.diagnoses (patient_id, category, sequence);
        create index prescriptions_by_patient on {schema}.prescriptions (patient_id, status);
        -- The review queue (EmrQueries.AwaitingReviewAsync): signed prescriptions in signing order, without reading the others.
        create index prescriptions_awaiting_review on {schema}.prescriptions (signed_at, prescription_id) where status = 'Signed';
        create index documents_by_patient on {schema}.documents (patient_id);
        create index consents_by_patient on {schema}.consents (patient_id);
        create index notes_by_patient on {schema}.notes (patient_id, sequence);
        """, cancellationToken);

    /// <summary>Only the events' identity, type, data and times.</summary>
    public EventParts Reads => EventParts.None;

    /// <summary>It folds a batch from its events alone (rows of earlier batches are joined by its statements).</summary>
    public bool ReadsItsTables => false;

    public Task ApplyAsync(NpgsqlConnection connection, string schema, IReadOnlyList<RecordedEvent> events, NpgsqlBatch writes, CancellationToken cancellationToken)
    {
        var batch = new Batch();
        foreach (var e in DecodedEvent.Decode(events, StreamTypes.Patient, StreamTypes.Consent, StreamTypes.Consultation, StreamTypes.Prescription, StreamTypes.Document))
            batch.Apply(e);
        batch.Write(writes, schema);
        return Task.CompletedTask;
    }

    /// <summary>One batch's changes, folded per row.</summary>
    private sealed class Batch
    {
        private readonly Dictionary<string, string> _owners = [];
        private readonly Dictionary<string, PatientRow> _patients = [];
        private readonly Dictionary<string, ConsultationRow> _consultations = [];
        private readonly Dictionary<string, PrescriptionRow> _prescriptions = [];
        private readonly Dictionary<string, DocumentRow> _documents = [];
        private readonly Dictionary<(string, int), VersionRow> _versions = [];
        private readonly Dictionary<string, ConsentRow> _consents = [];
        private readonly List<(DecodedEvent Source, string ConsultationId, Diagnosis Diagnosis, string DoctorId, NodaTime.Instant At)> _diagnoses = [];
        private readonly List<(DecodedEvent Source, string ConsultationId, string Kind, string? Level, string Note, string AuthorId, NodaTime.Instant At)> _notes = [];
        private readonly List<(DecodedEvent Source, NodaTime.Instant? OccurredAt, string Summary)> _timeline = [];

        private static T Row<T>(Dictionary<string, T> rows, string id) where T : new() => rows.TryGetValue(id, out var row) ? row : rows[id] = new T();

        public void Apply(DecodedEvent e)
        {
            var id = e.RecordId;
            var seq = e.Sequence;
            string summary;
            NodaTime.Instant? at;
            switch (e.Event)
            {
                case PatientRegistered x:
                    _owners[e.Recorded.StreamId] = x.PatientId;
                    var patient = Row(_patients, id);
                    (patient.Name, patient.Sex, patient.DateOfBirth, patient.Contact, patient.RegisteredAt) =
                        (x.Name, x.Sex.ToString(), x.DateOfBirth.ToDateOnly(), x.Contact, x.RegisteredAt);
                    (summary, at) = ($"Registered as a patient", x.RegisteredAt);
                    break;
                case GuardianAssigned x:
                    var ward = Row(_patients, id);
                    (ward.GuardianId, ward.GuardianName, ward.GuardianRelationship) = (x.Guardian.GuardianId, x.Guardian.Name, x.Guardian.Relationship);
                    (summary, at) = ($"Guardian assigned: {x.Guardian.Name} ({x.Guardian.Relationship})", x.AssignedAt);
                    break;
                case ContactChanged x:
                    Row(_patients, id).Contact = x.Contact;
                    (summary, at) = ("Contact changed", x.ChangedAt);
                    break;
                case ConsentGranted x:
                    _owners[e.Recorded.StreamId] = x.PatientId;
                    var consent = Row(_consents, id);
                    (consent.PatientId, consent.Scope, consent.FormVersion, consent.ConsultationId, consent.GrantorId, consent.ByGuardian, consent.SignatureId, consent.GrantedAt, consent.Status) =
                        (x.PatientId, x.Scope.ToString(), x.FormVersion, x.ConsultationId, x.GrantorId, x.ByGuardian, x.SignatureId, x.GrantedAt, "InForce");
                    (summary, at) = ($"Consent granted for {x.Scope}{(x.ByGuardian ? " by the guardian" : "")}", x.GrantedAt);
                    break;
                case ConsentWithdrawn x:
                    var withdrawn = Row(_consents, id);
                    (withdrawn.Status, withdrawn.WithdrawnAt) = ("Withdrawn", x.WithdrawnAt);
                    (summary, at) = ($"Consent withdrawn: {x.Reason}", x.WithdrawnAt);
                    break;
                case ConsultationRequested x:
                    _owners[e.Recorded.StreamId] = x.PatientId;
                    var requested = Row(_consultations, id);
                    (requested.PatientId, requested.InstitutionId, requested.Kind, requested.Subject, requested.FirstVisit, requested.Status, requested.RequestedAt) =
                        (x.PatientId, x.InstitutionId, x.Kind.ToString(), x.Subject, x.FirstVisit, "Requested", x.RequestedAt);
                    (summary, at) = ($"{x.Kind} requested ({x.Subject}): {x.Complaint}", x.RequestedAt);
                    break;
                case ConsultationAccepted x:
                    var accepted = Row(_consultations, id);
                    (accepted.Status, accepted.DoctorId, accepted.AcceptedAt) = ("InProgress", x.DoctorId, x.AcceptedAt);
                    (summary, at) = ($"Accepted by {x.DoctorId}", x.AcceptedAt);
                    break;
                case OfflineEvidenceAttached x:
                    (summary, at) = ($"Offline evidence attached: {x.Kind} {x.DocumentRef} from {x.IssuedBy}", x.AttachedAt);
                    break;
                case ChildSafeguardsAttested x:
                    (summary, at) = ($"Child safeguards attested: guardian {x.GuardianId}, specialist {x.SpecialistId}", x.AttestedAt);
                    break;
                case MessagePosted x:
                    (summary, at) = ($"{x.Kind} message from {x.SenderId}", x.PostedAt);
                    break;
                case AiAssistanceDeclared x:
                    (summary, at) = ($"AI assistance declared: {x.Tool} for {x.Purpose}", x.DeclaredAt);
                    break;
                case DiagnosisRecorded x:
                    _diagnoses.Add((e, id, x.Diagnosis, x.DoctorId, x.RecordedAt));
                    (summary, at) = ($"Diagnosis {x.Diagnosis.Icd10} {x.Diagnosis.Text}", x.RecordedAt);
                    break;
                case RiskAssessed x:
                    _notes.Add((e, id, "risk", x.Level.ToString(), x.Note, x.AssessedBy, x.AssessedAt));
                    (summary, at) = ($"Risk assessed {x.Level}: {x.Note}", x.AssessedAt);
                    break;
                case ConditionChangeFlagged x:
                    _notes.Add((e, id, "condition_change", null, x.Note, x.FlaggedBy, x.FlaggedAt));
                    Row(_consultations, id).Status = "MustStop";
                    (summary, at) = ($"Condition change flagged: {x.Note}", x.FlaggedAt);
                    break;
                case ConsultationTerminated x:
                    var terminated = Row(_consultations, id);
                    (terminated.Status, terminated.EndedAt, terminated.Outcome) = ("Terminated", x.TerminatedAt, $"{x.Reason}; referred to {x.ReferredTo}");
                    (summary, at) = ($"Terminated and referred to {x.ReferredTo}: {x.Reason}", x.TerminatedAt);
                    break;
                case ConsultationCompleted x:
                    var completed = Row(_consultations, id);
                    (completed.Status, completed.EndedAt, completed.Outcome) = ("Completed", x.CompletedAt, x.Summary);
                    (summary, at) = ($"Completed: {x.Summary}", x.CompletedAt);
                    break;
                case PrescriptionDrafted x:
                    _owners[e.Recorded.StreamId] = x.PatientId;
                    var drafted = Row(_prescriptions, id);
                    (drafted.PatientId, drafted.ConsultationId, drafted.PrescriberId, drafted.Drugs, drafted.Status, drafted.DraftedAt) =
                        (x.PatientId, x.ConsultationId, x.PrescriberId, string.Join("; ", x.Lines.Select(l => $"{l.Drug} {l.Strength} × {l.Quantity} {l.Unit}")), "Drafted", x.DraftedAt);
                    (summary, at) = ($"Prescription drafted: {drafted.Drugs}", x.DraftedAt);
                    break;
                case PrescriptionSigned x:
                    var signed = Row(_prescriptions, id);
                    (signed.Status, signed.SignedAt, signed.ValidUntil) = ("Signed", x.SignedAt, x.ValidUntil);
                    (summary, at) = ("Prescription signed by the prescriber", x.SignedAt);
                    break;
                case PrescriptionApproved x:
                    var approved = Row(_prescriptions, id);
                    (approved.Status, approved.ReviewerId, approved.ReviewedAt) = ("Approved", x.ReviewerId, x.ApprovedAt);
                    (summary, at) = ($"Prescription approved by {x.ReviewerId}", x.ApprovedAt);
                    break;
                case PrescriptionRejected x:
                    var rejected = Row(_prescriptions, id);
                    (rejected.Status, rejected.ReviewerId, rejected.ReviewedAt, rejected.EndedAt) = ("Rejected", x.ReviewerId, x.RejectedAt, x.RejectedAt);
                    (summary, at) = ($"Prescription rejected by {x.ReviewerId}: {string.Join("; ", x.Reasons)}", x.RejectedAt);
                    break;
                case PrescriptionValidityExtended x:
                    Row(_prescriptions, id).ValidUntil = x.ValidUntil;
                    (summary, at) = ($"Validity extended to {x.TotalDays} days: {x.Reason}", null);
                    break;
                case PrescriptionHandedOff x:
                    var handedOff = Row(_prescriptions, id);
                    (handedOff.Status, handedOff.PharmacyId) = ("HandedOff", x.PharmacyId);
                    (summary, at) = ($"Handed off to {x.PharmacyId}", x.HandedOffAt);
                    break;
                case PrescriptionDispensed x:
                    var dispensed = Row(_prescriptions, id);
                    (dispensed.Status, dispensed.DispensedAt) = ("Dispensed", x.DispensedAt);
                    (summary, at) = ($"Dispensed by {x.DispenserId}", x.DispensedAt);
                    break;
                case PrescriptionDelivered x:
                    var delivered = Row(_prescriptions, id);
                    (delivered.Status, delivered.DeliveredAt, delivered.EndedAt) = ("Delivered", x.DeliveredAt, x.DeliveredAt);
                    (summary, at) = ($"Delivered ({x.TrackingRef})", x.DeliveredAt);
                    break;
                case PrescriptionCancelled x:
                    var cancelled = Row(_prescriptions, id);
                    (cancelled.Status, cancelled.EndedAt) = ("Cancelled", x.CancelledAt);
                    (summary, at) = ($"Prescription cancelled: {x.Reason}", x.CancelledAt);
                    break;
                case PrescriptionExpired x:
                    var expired = Row(_prescriptions, id);
                    (expired.Status, expired.EndedAt) = ("Expired", x.ExpiredAt);
                    (summary, at) = ("Prescription expired", x.ExpiredAt);
                    break;
                case DocumentCreated x:
                    _owners[e.Recorded.StreamId] = x.PatientId;
                    var document = Row(_documents, id);
                    (document.PatientId, document.ConsultationId, document.Kind, document.Title, document.CurrentVersion, document.Archived, document.Sealed, document.CreatedAt) =
                        (x.PatientId, x.ConsultationId, x.Kind.ToString(), x.Title, 1, false, false, x.CreatedAt);
                    Version(id, 1, e).Set(null, x.ContentHash, x.AuthorId, null, x.CreatedAt);
                    (summary, at) = ($"{x.Kind} created: {x.Title}", x.CreatedAt);
                    break;
                case DocumentAmended x:
                    Row(_documents, id).CurrentVersion = x.Version;
                    Version(id, x.Version, e).Set(x.Replaces, x.ContentHash, x.AuthorId, x.Reason, x.AmendedAt);
                    (summary, at) = ($"Amended to version {x.Version}: {x.Reason}", x.AmendedAt);
                    break;
                case DocumentSigned x:
                    Row(_documents, id).SignedVersion = x.Version;
                    var version = Version(id, x.Version, null);
                    (version.SignatureId, version.SignerId, version.SignedAt) = (x.SignatureId, x.SignerId, x.SignedAt);
                    (summary, at) = ($"Version {x.Version} signed by {x.SignerId}", x.SignedAt);
                    break;
                case DocumentArchived x:
                    Row(_documents, id).Archived = true;
                    (summary, at) = ("Archived", x.ArchivedAt);
                    break;
                case DocumentSealed x:
                    Row(_documents, id).Sealed = true;
                    (summary, at) = ($"Sealed for dispute {x.DisputeRef}", x.SealedAt);
                    break;
                case CompletedPartSealed x:
                    (summary, at) = ($"Completed part sealed: {x.Description}", x.SealedAt);
                    break;
                case DocumentUnsealed x:
                    Row(_documents, id).Sealed = false;
                    (summary, at) = ($"Unsealed: {x.Ground}", x.UnsealedAt);
                    break;
                default:
                    return; // signing keys and other events not shown in the record
            }
            _timeline.Add((e, at, summary));
            switch (e.Recorded.StreamType)
            {
                case StreamTypes.Patient: Row(_patients, id).LastSequence = seq; break;
                case StreamTypes.Consent: Row(_consents, id).LastSequence = seq; break;
                case StreamTypes.Consultation: Row(_consultations, id).LastSequence = seq; break;
                case StreamTypes.Prescription: Row(_prescriptions, id).LastSequence = seq; break;
                case StreamTypes.Document: Row(_documents, id).LastSequence = seq; break;
            }
        }

        private VersionRow Version(string documentId, int version, DecodedEvent? source)
        {
            if (!_versions.TryGetValue((documentId, version), out var row)) _versions[(documentId, version)] = row = new VersionRow();
            if (source is { } s) (row.EventId, row.Sequence) = (s.Recorded.EventId, s.Sequence);
            return row;
        }

        public void Write(NpgsqlBatch writes, string s)
        {
            var owners = _owners.ToArray();
            var patients = _patients.ToArray();
            var consultations = _consultations.ToArray();
            var prescriptions = _prescriptions.ToArray();
            var documents = _documents.ToArray();
            var versions = _versions.ToArray();
            var consents = _consents.ToArray();
            Add(writes,
            [
                (owners.Length > 0, () => Command($"""
                    insert into {s}.record_owners select * from unnest($1::text[], $2::text[]) on conflict do nothing
                    """, owners.Select(o => o.Key).ToArray(), owners.Select(o => o.Value).ToArray())),
                (patients.Length > 0, () => Upsert($"{s}.patients", "patient_id",
                    ("patient_id", "text", patients.Select(p => p.Key).ToArray()),
                    ("name", "text", patients.Select(p => p.Value.Name).ToArray()),
                    ("sex", "text", patients.Select(p => p.Value.Sex).ToArray()),
                    ("date_of_birth", "date", patients.Select(p => p.Value.DateOfBirth).ToArray()),
                    ("guardian_id", "text", patients.Select(p => p.Value.GuardianId).ToArray()),
                    ("guardian_name", "text", patients.Select(p => p.Value.GuardianName).ToArray()),
                    ("guardian_relationship", "text", patients.Select(p => p.Value.GuardianRelationship).ToArray()),
                    ("contact", "text", patients.Select(p => p.Value.Contact).ToArray()),
                    ("registered_at", "timestamptz", patients.Select(p => Time(p.Value.RegisteredAt)).ToArray()),
                    ("last_sequence", "bigint", patients.Select(p => (long?)p.Value.LastSequence).ToArray()))),
                (consultations.Length > 0, () => Upsert($"{s}.consultations", "consultation_id",
                    ("consultation_id", "text", consultations.Select(c => c.Key).ToArray()),
                    ("patient_id", "text", consultations.Select(c => c.Value.PatientId).ToArray()),
                    ("institution_id", "text", consultations.Select(c => c.Value.InstitutionId).ToArray()),
                    ("kind", "text", consultations.Select(c => c.Value.Kind).ToArray()),
                    ("subject", "text", consultations.Select(c => c.Value.Subject).ToArray()),
                    ("first_visit", "boolean", consultations.Select(c => c.Value.FirstVisit).ToArray()),
                    ("status", "text", consultations.Select(c => c.Value.Status).ToArray()),
                    ("doctor_id", "text", consultations.Select(c => c.Value.DoctorId).ToArray()),
                    ("requested_at", "timestamptz", consultations.Select(c => Time(c.Value.RequestedAt)).ToArray()),
                    ("accepted_at", "timestamptz", consultations.Select(c => Time(c.Value.AcceptedAt)).ToArray()),
                    ("ended_at", "timestamptz", consultations.Select(c => Time(c.Value.EndedAt)).ToArray()),
                    ("outcome", "text", consultations.Select(c => c.Value.Outcome).ToArray()),
                    ("last_sequence", "bigint", consultations.Select(c => (long?)c.Value.LastSequence).ToArray()))),
                (prescriptions.Length > 0, () => Upsert($"{s}.prescriptions", "prescription_id",
                    ("prescription_id", "text", prescriptions.Select(p => p.Key).ToArray()),
                    ("patient_id", "text", prescriptions.Select(p => p.Value.PatientId).ToArray()),
                    ("consultation_id", "text", prescriptions.Select(p => p.Value.ConsultationId).ToArray()),
                    ("prescriber_id", "text", prescriptions.Select(p => p.Value.PrescriberId).ToArray()),
                    ("drugs", "text", prescriptions.Select(p => p.Value.Drugs).ToArray()),
                    ("status", "text", prescriptions.Select(p => p.Value.Status).ToArray()),
                    ("drafted_at", "timestamptz", prescriptions.Select(p => Time(p.Value.DraftedAt)).ToArray()),
                    ("signed_at", "timestamptz", prescriptions.Select(p => Time(p.Value.SignedAt)).ToArray()),
                    ("valid_until", "timestamptz", prescriptions.Select(p => Time(p.Value.ValidUntil)).ToArray()),
                    ("reviewer_id", "text", prescriptions.Select(p => p.Value.ReviewerId).ToArray()),
                    ("reviewed_at", "timestamptz", prescriptions.Select(p => Time(p.Value.ReviewedAt)).ToArray()),
                    ("pharmacy_id", "text", prescriptions.Select(p => p.Value.PharmacyId).ToArray()),
                    ("dispensed_at", "timestamptz", prescriptions.Select(p => Time(p.Value.DispensedAt)).ToArray()),
                    ("delivered_at", "timestamptz", prescriptions.Select(p => Time(p.Value.DeliveredAt)).ToArray()),
                    ("ended_at", "timestamptz", prescriptions.Select(p => Time(p.Value.EndedAt)).ToArray()),
                    ("last_sequence", "bigint", prescriptions.Select(p => (long?)p.Value.LastSequence).ToArray()))),
                (documents.Length > 0, () => Upsert($"{s}.documents", "document_id",
                    ("document_id", "text", documents.Select(d => d.Key).ToArray()),
                    ("patient_id", "text", documents.Select(d => d.Value.PatientId).ToArray()),
                    ("consultation_id", "text", documents.Select(d => d.Value.ConsultationId).ToArray()),
                    ("kind", "text", documents.Select(d => d.Value.Kind).ToArray()),
                    ("title", "text", documents.Select(d => d.Value.Title).ToArray()),
                    ("current_version", "int", documents.Select(d => d.Value.CurrentVersion).ToArray()),
                    ("signed_version", "int", documents.Select(d => d.Value.SignedVersion).ToArray()),
                    ("archived", "boolean", documents.Select(d => d.Value.Archived).ToArray()),
                    ("sealed", "boolean", documents.Select(d => d.Value.Sealed).ToArray()),
                    ("created_at", "timestamptz", documents.Select(d => Time(d.Value.CreatedAt)).ToArray()),
                    ("last_sequence", "bigint", documents.Select(d => (long?)d.Value.LastSequence).ToArray()))),
                (versions.Length > 0, () => Upsert($"{s}.document_versions", "document_id, version",
                    ("document_id", "text", versions.Select(v => v.Key.Item1).ToArray()),
                    ("version", "int", versions.Select(v => (int?)v.Key.Item2).ToArray()),
                    ("replaces", "int", versions.Select(v => v.Value.Replaces).ToArray()),
                    ("content_hash", "text", versions.Select(v => v.Value.ContentHash).ToArray()),
                    ("author_id", "text", versions.Select(v => v.Value.AuthorId).ToArray()),
                    ("reason", "text", versions.Select(v => v.Value.Reason).ToArray()),
                    ("written_at", "timestamptz", versions.Select(v => Time(v.Value.WrittenAt)).ToArray()),
                    ("signature_id", "text", versions.Select(v => v.Value.SignatureId).ToArray()),
                    ("signer_id", "text", versions.Select(v => v.Value.SignerId).ToArray()),
                    ("signed_at", "timestamptz", versions.Select(v => Time(v.Value.SignedAt)).ToArray()),
                    ("event_id", "uuid", versions.Select(v => v.Value.EventId).ToArray()),
                    ("sequence", "bigint", versions.Select(v => v.Value.Sequence).ToArray()))),
                (consents.Length > 0, () => Upsert($"{s}.consents", "consent_id",
                    ("consent_id", "text", consents.Select(c => c.Key).ToArray()),
                    ("patient_id", "text", consents.Select(c => c.Value.PatientId).ToArray()),
                    ("scope", "text", consents.Select(c => c.Value.Scope).ToArray()),
                    ("form_version", "text", consents.Select(c => c.Value.FormVersion).ToArray()),
                    ("consultation_id", "text", consents.Select(c => c.Value.ConsultationId).ToArray()),
                    ("grantor_id", "text", consents.Select(c => c.Value.GrantorId).ToArray()),
                    ("by_guardian", "boolean", consents.Select(c => c.Value.ByGuardian).ToArray()),
                    ("signature_id", "text", consents.Select(c => c.Value.SignatureId).ToArray()),
                    ("granted_at", "timestamptz", consents.Select(c => Time(c.Value.GrantedAt)).ToArray()),
                    ("status", "text", consents.Select(c => c.Value.Status).ToArray()),
                    ("withdrawn_at", "timestamptz", consents.Select(c => Time(c.Value.WithdrawnAt)).ToArray()),
                    ("last_sequence", "bigint", consents.Select(c => (long?)c.Value.LastSequence).ToArray()))),
                // Rows of the patient's records take the patient from the record's owner.
                (_diagnoses.Count > 0, () => Command($"""
                    insert into {s}.diagnoses select d.id, o.patient_id, d.consultation_id, d.icd10, d.category, d.text, d.doctor_id, d.at, d.seq
                    from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::bigint[], $9::text[])
                        as d(id, consultation_id, icd10, category, text, doctor_id, at, seq, stream_id)
                    join {s}.record_owners o on o.stream_id = d.stream_id
                    """, _diagnoses.Select(d => d.Source.Recorded.EventId).ToArray(), _diagnoses.Select(d => d.ConsultationId).ToArray(),
                    _diagnoses.Select(d => d.Diagnosis.Icd10).ToArray(), _diagnoses.Select(d => d.Diagnosis.Category()).ToArray(), _diagnoses.Select(d => d.Diagnosis.Text).ToArray(),
                    _diagnoses.Select(d => d.DoctorId).ToArray(), _diagnoses.Select(d => Time(d.At)).ToArray(), _diagnoses.Select(d => (long?)d.Source.Sequence).ToArray(),
                    _diagnoses.Select(d => d.Source.Recorded.StreamId).ToArray())),
                (_notes.Count > 0, () => Command($"""
                    insert into {s}.notes select n.seq, o.patient_id, n.consultation_id, n.kind, n.level, n.note, n.author_id, n.at
                    from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
                        as n(seq, consultation_id, kind, level, note, author_id, at, stream_id)
                    join {s}.record_owners o on o.stream_id = n.stream_id
                    """, _notes.Select(n => (long?)n.Source.Sequence).ToArray(), _notes.Select(n => n.ConsultationId).ToArray(), _notes.Select(n => n.Kind).ToArray(),
                    _notes.Select(n => n.Level).ToArray(), _notes.Select(n => n.Note).ToArray(), _notes.Select(n => n.AuthorId).ToArray(),
                    _notes.Select(n => Time(n.At)).ToArray(), _notes.Select(n => n.Source.Recorded.StreamId).ToArray())),
                (_timeline.Count > 0, () => Command($"""
                    insert into {s}.timeline select t.seq, o.patient_id, t.recorded_at, t.occurred_at, t.event_id, t.stream_id, t.version, t.event_type, t.kind, t.record_id, t.summary
                    from unnest($1::bigint[], $2::timestamptz[], $3::timestamptz[], $4::uuid[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[])
                        as t(seq, recorded_at, occurred_at, event_id, stream_id, version, event_type, kind, record_id, summary)
                    join {s}.record_owners o on o.stream_id = t.stream_id
                    """, _timeline.Select(t => (long?)t.Source.Sequence).ToArray(), _timeline.Select(t => Time(t.Source.Recorded.RecordedAt)).ToArray(),
                    _timeline.Select(t => Time(t.OccurredAt)).ToArray(), _timeline.Select(t => t.Source.Recorded.EventId).ToArray(),
                    _timeline.Select(t => t.Source.Recorded.StreamId).ToArray(), _timeline.Select(t => (long?)t.Source.Recorded.Version).ToArray(),
                    _timeline.Select(t => t.Source.Recorded.EventType).ToArray(), _timeline.Select(t => t.Source.Recorded.StreamType).ToArray(),
                    _timeline.Select(t => t.Source.RecordId).ToArray(), _timeline.Select(t => t.Summary).ToArray())),
            ]);
        }
    }

    private sealed class PatientRow
    {
        public string? Name, Sex, GuardianId, GuardianName, GuardianRelationship, Contact;
        public DateOnly? DateOfBirth;
        public NodaTime.Instant? RegisteredAt;
        public long LastSequence;
    }

    private sealed class ConsultationRow
    {
        public string? PatientId, InstitutionId, Kind, Subject, Status, DoctorId, Outcome;
        public bool? FirstVisit;
        public NodaTime.Instant? RequestedAt, AcceptedAt, EndedAt;
        public long LastSequence;
    }

    private sealed class PrescriptionRow
    {
        public string? PatientId, ConsultationId, PrescriberId, Drugs, Status, ReviewerId, PharmacyId;
        public NodaTime.Instant? DraftedAt, SignedAt, ValidUntil, ReviewedAt, DispensedAt, DeliveredAt, EndedAt;
        public long LastSequence;
    }

    private sealed class DocumentRow
    {
        public string? PatientId, ConsultationId, Kind, Title;
        public int? CurrentVersion, SignedVersion;
        public bool? Archived, Sealed;
        public NodaTime.Instant? CreatedAt;
        public long LastSequence;
    }

    private sealed class VersionRow
    {
        public int? Replaces;
        public string? ContentHash, AuthorId, Reason, SignatureId, SignerId;
        public NodaTime.Instant? WrittenAt, SignedAt;
        public Guid? EventId;
        public long? Sequence;

        public void Set(int? replaces, string contentHash, string authorId, string? reason, NodaTime.Instant writtenAt) =>
            (Replaces, ContentHash, AuthorId, Reason, WrittenAt) = (replaces, contentHash, authorId, reason, writtenAt);
    }

    private sealed class ConsentRow
    {
        public string? PatientId, Scope, FormVersion, ConsultationId, GrantorId, SignatureId, Status;
        public bool? ByGuardian;
        public NodaTime.Instant? GrantedAt, WithdrawnAt;
        public long LastSequence;
    }
}
