using Npgsql;
using Records.Domain.ClinicalDocument;
using Records.Domain.Consultation;
using Records.Domain.Prescription;
using Records.Domain.Signature;
using Records.EventStore;
using Records.Projections.Runner;
using Records.Projections.Views;
using static Records.Projections.Views.Sql;

namespace Records.Projections.Traceability;

/// <summary>
/// The evidence behind every diagnosis and prescription (<c>traceability</c> schema): each event of
/// the consultations, practitioners, prescriptions, documents and signatures they rest on, kept with
/// its identity (event id, stream version, global sequence, hash and previous hash), and indexes
/// from a diagnosis, a prescription, a document or a signed subject to those events.
/// <see cref="TraceabilityQueries"/> assembles the chains.
/// </summary>
public sealed class TraceabilityView : IProjection
{
    public string Name => "traceability";

    public int Version => 1;

    public Task CreateAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken) => Sql.CreateAsync(connection, $"""
        create table {schema}.events (
            sequence bigint primary key, event_id uuid not null, stream_id text not null, stream_type text not null, version bigint not null,
            event_type text not null, recorded_at timestamptz not null, actor_id text, actor_verified boolean, hash_algorithm text not null,
            hash bytea not null, previous_hash bytea not null, data jsonb not null);
        -- A diagnosis is identified by the event that recorded it.
        create table {schema}.diagnoses (
            diagnosis_id uuid primary key, consultation_id text not null, doctor_id text not null, icd10 text not null, stream_version bigint not null,
            sequence bigint not null);
        create table {schema}.consultations (consultation_id text primary key, patient_id text not null, institution_id text not null);
        create table {schema}.prescriptions (
            prescription_id text primary key, consultation_id text not null, patient_id text not null, prescriber_id text not null,
            signing_hash text not null, sequence bigint not null);
        create table {schema}.documents (document_id text primary key, consultation_id text, patient_id text not null);
        create table {schema}.signatures (
            signature_id text primary key, signer_id text not null, subject_type text not null, subject_id text not null, subject_version bigint not null,
            subject_hash text not null, algorithm text not null, key_fingerprint text not null, sequence bigint not null);
        """, cancellationToken);

    public Task CreateIndexesAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken) => Sql.CreateAsync(connection, $"""
        create index events_by_stream on {schema}.events (stream_id, version);
        create index diagnoses_by_consultation on {schema}.diagnoses (consultation_id);
        create index documents_by_consultation on {schema}.documents (consultation_id);
        create index signatures_by_subject on {schema}.signatures (subject_type, subject_id);
        """, cancellationToken);

    private static readonly string[] Traced = [StreamTypes.Consultation, StreamTypes.Practitioner, StreamTypes.Prescription, StreamTypes.Document, StreamTypes.Signature];

    /// <summary>It writes a batch from its events alone.</summary>
    public bool ReadsItsTables => false;

    public Task ApplyAsync(NpgsqlConnection connection, string schema, IReadOnlyList<RecordedEvent> events, NpgsqlBatch writes, CancellationToken cancellationToken)
    {
        var kept = events.Where(e => Array.IndexOf(Traced, e.StreamType) >= 0).ToArray();
        var diagnoses = new List<(DecodedEvent Source, DiagnosisRecorded Event)>();
        var consultations = new List<ConsultationRequested>();
        var prescriptions = new List<(DecodedEvent Source, PrescriptionDrafted Event)>();
        var documents = new List<DocumentCreated>();
        var signatures = new List<(DecodedEvent Source, SignatureRecorded Event)>();
        foreach (var e in DecodedEvent.Decode(kept, StreamTypes.Consultation, StreamTypes.Prescription, StreamTypes.Document, StreamTypes.Signature))
        {
            switch (e.Event)
            {
                case DiagnosisRecorded x: diagnoses.Add((e, x)); break;
                case ConsultationRequested x: consultations.Add(x); break;
                case PrescriptionDrafted x: prescriptions.Add((e, x)); break;
                case DocumentCreated x: documents.Add(x); break;
                case SignatureRecorded x: signatures.Add((e, x)); break;
            }
        }
        Add(writes,
        [
            (kept.Length > 0, () => Command($"""
                insert into {schema}.events select s, id, st, t, v, et, r, a, av, ha, h, ph, d::jsonb
                from unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::timestamptz[], $8::text[], $9::boolean[],
                    $10::text[], $11::bytea[], $12::bytea[], $13::text[]) as e(s, id, st, t, v, et, r, a, av, ha, h, ph, d)
                """, kept.Select(e => e.Sequence).ToArray(), kept.Select(e => e.EventId).ToArray(), kept.Select(e => e.StreamId).ToArray(),
                kept.Select(e => e.StreamType).ToArray(), kept.Select(e => (long?)e.Version).ToArray(), kept.Select(e => e.EventType).ToArray(),
                kept.Select(e => Time(e.RecordedAt)).ToArray(), kept.Select(e => e.Metadata.Actor?.Id).ToArray(), kept.Select(e => e.Metadata.Actor?.RealNameVerified).ToArray(),
                kept.Select(e => e.HashAlgorithm).ToArray(), kept.Select(e => e.Hash).ToArray(), kept.Select(e => e.PreviousHash).ToArray(), kept.Select(e => e.Data).ToArray())),
            (consultations.Count > 0, () => Command($"""
                insert into {schema}.consultations select * from unnest($1::text[], $2::text[], $3::text[]) on conflict do nothing
                """, consultations.Select(c => c.ConsultationId).ToArray(), consultations.Select(c => c.PatientId).ToArray(), consultations.Select(c => c.InstitutionId).ToArray())),
            (diagnoses.Count > 0, () => Command($"""
                insert into {schema}.diagnoses select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
                """, diagnoses.Select(d => d.Source.Recorded.EventId).ToArray(), diagnoses.Select(d => d.Source.RecordId).ToArray(),
                diagnoses.Select(d => d.Event.DoctorId).ToArray(), diagnoses.Select(d => d.Event.Diagnosis.Icd10).ToArray(),
                diagnoses.Select(d => (long?)d.Source.Recorded.Version).ToArray(), diagnoses.Select(d => (long?)d.Source.Sequence).ToArray())),
            (prescriptions.Count > 0, () => Command($"""
                insert into {schema}.prescriptions select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[]) on conflict do nothing
                """, prescriptions.Select(p => p.Event.PrescriptionId).ToArray(), prescriptions.Select(p => p.Event.ConsultationId).ToArray(),
                prescriptions.Select(p => p.Event.PatientId).ToArray(), prescriptions.Select(p => p.Event.PrescriberId).ToArray(),
                prescriptions.Select(p => p.Event.SigningHash).ToArray(), prescriptions.Select(p => (long?)p.Source.Sequence).ToArray())),
            (documents.Count > 0, () => Command($"""
                insert into {schema}.documents select * from unnest($1::text[], $2::text[], $3::text[]) on conflict do nothing
                """, documents.Select(d => d.DocumentId).ToArray(), documents.Select(d => d.ConsultationId).ToArray(), documents.Select(d => d.PatientId).ToArray())),
            (signatures.Count > 0, () => Command($"""
                insert into {schema}.signatures select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::bigint[])
                on conflict do nothing
                """, signatures.Select(s => s.Event.SignatureId).ToArray(), signatures.Select(s => s.Event.SignerId).ToArray(),
                signatures.Select(s => s.Event.Subject.StreamType).ToArray(), signatures.Select(s => s.Event.Subject.StreamId).ToArray(),
                signatures.Select(s => (long?)s.Event.Subject.Version).ToArray(), signatures.Select(s => s.Event.SubjectHash).ToArray(),
                signatures.Select(s => s.Event.Algorithm.ToString()).ToArray(), signatures.Select(s => s.Event.KeyFingerprint).ToArray(),
                signatures.Select(s => (long?)s.Source.Sequence).ToArray())),
        ]);
        return Task.CompletedTask;
    }
}
