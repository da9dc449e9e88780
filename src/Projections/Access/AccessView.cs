using NodaTime;
using Npgsql;
using Records.Domain.Consultation;
using Records.Domain.Patient;
using Records.Domain.Prescription;
using Records.Domain.RecordAccess;
using Records.EventStore;
using Records.Projections.Runner;
using Records.Projections.Views;
using static Records.Projections.Views.Sql;

namespace Records.Projections.Access;

/// <summary>
/// Who read which patient's data (<c>access</c> schema): every read with its purpose, its care
/// relationship or break-glass and the break-glass review; and the care relationships, each with the
/// interval it is in force, from which "what could this person see at T" is answered.
/// </summary>
/// <remarks>
/// The domain has no care-relationship stream, so relationships are derived from the records:
/// the patient and their guardian (from registration, open-ended); the attending physician of a
/// consultation (from acceptance until <see cref="FollowUpPeriod"/> after it ends); the reviewing
/// and the dispensing pharmacist of a prescription (from review or dispensing until the
/// prescription ends). Times are the facts' own (the authoritative clock of the deciding host).
/// </remarks>
public sealed class AccessView : IProjection
{
    /// <summary>How long after a consultation ends its physician may still read the record (follow-up questions, results).</summary>
    public static readonly Duration FollowUpPeriod = Duration.FromDays(30);

    public string Name => "access";

    public int Version => 1;

    public Task CreateAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken) => Sql.CreateAsync(connection, $"""
        create table {schema}.record_owners (stream_id text primary key, patient_id text not null);
        create table {schema}.reads (
            access_id text primary key, patient_id text not null, reader_id text not null, reader_role text not null, resource text not null,
            purpose text not null, care_relationship boolean not null, break_glass boolean not null, break_glass_reason text,
            read_at timestamptz not null, institution_id text, event_id uuid not null, sequence bigint not null,
            reviewed boolean not null default false, reviewer_id text, justified boolean, review_note text, reviewed_at timestamptz,
            review_event_id uuid, review_sequence bigint);
        create index reads_by_patient on {schema}.reads (patient_id, read_at);
        create index reads_by_reader on {schema}.reads (reader_id, read_at);
        create index reads_break_glass_unreviewed on {schema}.reads (read_at) where break_glass and not reviewed;
        -- valid_until null: still in force. closes_at: when the basis ended (valid_until adds any grace period).
        create table {schema}.care_relationships (
            basis_stream_id text not null, person_id text not null, role text not null, patient_id text not null,
            valid_from timestamptz not null, valid_until timestamptz, opened_event_id uuid not null, opened_sequence bigint not null,
            closed_sequence bigint, primary key (basis_stream_id, person_id, role));
        create index care_relationships_by_person on {schema}.care_relationships (person_id, valid_from);
        """, cancellationToken);

    public async Task ApplyAsync(NpgsqlConnection connection, string schema, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        var owners = new Dictionary<string, string>();
        var reads = new Dictionary<string, ReadRow>();
        var opened = new Dictionary<(string Basis, string Person, string Role), OpenedRow>();
        var closed = new Dictionary<string, (Instant Until, long Sequence, bool GraceApplies)>();

        void Open(DecodedEvent e, string role, string person, string? patientId, Instant from)
        {
            var key = (e.Recorded.StreamId, person, role);
            // A second opening (say, a re-review) keeps the first: the relationship began then.
            if (!opened.ContainsKey(key)) opened[key] = new OpenedRow(patientId, from, e.Recorded.EventId, e.Sequence);
        }

        void Close(DecodedEvent e, Instant at, bool graceApplies) => closed[e.Recorded.StreamId] = (at, e.Sequence, graceApplies);

        foreach (var e in DecodedEvent.Decode(events, StreamTypes.Patient, StreamTypes.Consultation, StreamTypes.Prescription, StreamTypes.RecordAccess))
        {
            switch (e.Event)
            {
                case PatientRegistered x:
                    owners[e.Recorded.StreamId] = x.PatientId;
                    Open(e, "patient", x.PatientId, x.PatientId, x.RegisteredAt);
                    break;
                case GuardianAssigned x:
                    Open(e, "guardian", x.Guardian.GuardianId, null, x.AssignedAt);
                    break;
                case ConsultationRequested x:
                    owners[e.Recorded.StreamId] = x.PatientId;
                    break;
                case ConsultationAccepted x:
                    Open(e, "attending_physician", x.DoctorId, null, x.AcceptedAt);
                    break;
                case ConsultationCompleted x:
                    Close(e, x.CompletedAt, graceApplies: true);
                    break;
                case ConsultationTerminated x:
                    Close(e, x.TerminatedAt, graceApplies: true);
                    break;
                case PrescriptionDrafted x:
                    owners[e.Recorded.StreamId] = x.PatientId;
                    break;
                case PrescriptionApproved x:
                    Open(e, "reviewing_pharmacist", x.ReviewerId, null, x.ApprovedAt);
                    break;
                case PrescriptionRejected x:
                    Open(e, "reviewing_pharmacist", x.ReviewerId, null, x.RejectedAt);
                    Close(e, x.RejectedAt, graceApplies: false);
                    break;
                case PrescriptionDispensed x:
                    Open(e, "dispensing_pharmacist", x.DispenserId, null, x.DispensedAt);
                    break;
                case PrescriptionDelivered x:
                    Close(e, x.DeliveredAt, graceApplies: false);
                    break;
                case PrescriptionCancelled x:
                    Close(e, x.CancelledAt, graceApplies: false);
                    break;
                case PrescriptionExpired x:
                    Close(e, x.ExpiredAt, graceApplies: false);
                    break;
                case PatientDataRead x:
                    reads[e.RecordId] = new ReadRow { Read = x, Source = e };
                    break;
                case BreakGlassReviewed x:
                    var review = reads.TryGetValue(e.RecordId, out var row) ? row : reads[e.RecordId] = new ReadRow();
                    (review.Review, review.ReviewSource) = (x, e);
                    break;
            }
        }

        // Relationships opened in this batch are closed in memory; those opened before, in the table,
        // first, so that a relationship opened later in this batch is not closed by an earlier end.
        var closing = closed.ToArray();
        Instant? Until(string basis) => closed.TryGetValue(basis, out var c) ? c.GraceApplies ? c.Until + FollowUpPeriod : c.Until : null;
        var openings = opened.ToArray();
        var newReads = reads.Where(r => r.Value.Read is not null).ToArray();
        var reviews = reads.Where(r => r.Value.Review is not null).ToArray();
        await ExecuteAsync(connection,
        [
            (owners.Count > 0, () => Command($"""
                insert into {schema}.record_owners select * from unnest($1::text[], $2::text[]) on conflict do nothing
                """, owners.Keys.ToArray(), owners.Values.ToArray())),
            (closing.Length > 0, () => Command($"""
                update {schema}.care_relationships t set valid_until = c.until, closed_sequence = c.seq
                from unnest($1::text[], $2::timestamptz[], $3::bigint[]) as c(basis, until, seq)
                where t.basis_stream_id = c.basis and t.valid_until is null
                """, closing.Select(c => c.Key).ToArray(), closing.Select(c => Time(Until(c.Key))).ToArray(), closing.Select(c => (long?)c.Value.Sequence).ToArray())),
            (openings.Length > 0, () => Command($"""
                insert into {schema}.care_relationships
                select r.basis, r.person, r.role, coalesce(r.patient_id, o.patient_id), r.valid_from, r.valid_until, r.event_id, r.seq, r.closed_seq
                from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::uuid[], $8::bigint[], $9::bigint[], $10::text[])
                    as r(basis, person, role, patient_id, valid_from, valid_until, event_id, seq, closed_seq, owner_stream)
                left join {schema}.record_owners o on o.stream_id = r.owner_stream
                on conflict do nothing
                """, openings.Select(o => o.Key.Basis).ToArray(), openings.Select(o => o.Key.Person).ToArray(), openings.Select(o => o.Key.Role).ToArray(),
                openings.Select(o => o.Value.PatientId).ToArray(), openings.Select(o => Time(o.Value.From)).ToArray(),
                openings.Select(o => Time(Until(o.Key.Basis))).ToArray(), openings.Select(o => o.Value.EventId).ToArray(),
                openings.Select(o => (long?)o.Value.Sequence).ToArray(),
                openings.Select(o => closed.TryGetValue(o.Key.Basis, out var c) ? c.Sequence : (long?)null).ToArray(),
                openings.Select(o => o.Key.Basis).ToArray())),
            (newReads.Length > 0, () => Command($"""
                insert into {schema}.reads (access_id, patient_id, reader_id, reader_role, resource, purpose, care_relationship, break_glass,
                    break_glass_reason, read_at, institution_id, event_id, sequence)
                select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::boolean[], $9::text[],
                    $10::timestamptz[], $11::text[], $12::uuid[], $13::bigint[])
                """, newReads.Select(r => r.Key).ToArray(), newReads.Select(r => r.Value.Read!.PatientId).ToArray(), newReads.Select(r => r.Value.Read!.ReaderId).ToArray(),
                newReads.Select(r => r.Value.Read!.ReaderRole.ToString()).ToArray(), newReads.Select(r => r.Value.Read!.Resource).ToArray(),
                newReads.Select(r => r.Value.Read!.Purpose.ToString()).ToArray(), newReads.Select(r => (bool?)r.Value.Read!.CareRelationship).ToArray(),
                newReads.Select(r => (bool?)(r.Value.Read!.BreakGlassReason is not null)).ToArray(), newReads.Select(r => r.Value.Read!.BreakGlassReason).ToArray(),
                newReads.Select(r => Time(r.Value.Read!.ReadAt)).ToArray(), newReads.Select(r => r.Value.Source.Recorded.Metadata.InstitutionId).ToArray(),
                newReads.Select(r => r.Value.Source.Recorded.EventId).ToArray(), newReads.Select(r => (long?)r.Value.Source.Sequence).ToArray())),
            (reviews.Length > 0, () => Command($"""
                update {schema}.reads t set reviewed = true, reviewer_id = r.reviewer, justified = r.justified, review_note = r.note,
                    reviewed_at = r.at, review_event_id = r.event_id, review_sequence = r.seq
                from unnest($1::text[], $2::text[], $3::boolean[], $4::text[], $5::timestamptz[], $6::uuid[], $7::bigint[])
                    as r(access_id, reviewer, justified, note, at, event_id, seq)
                where t.access_id = r.access_id
                """, reviews.Select(r => r.Key).ToArray(), reviews.Select(r => r.Value.Review!.ReviewerId).ToArray(),
                reviews.Select(r => (bool?)r.Value.Review!.Justified).ToArray(), reviews.Select(r => r.Value.Review!.Note).ToArray(),
                reviews.Select(r => Time(r.Value.Review!.ReviewedAt)).ToArray(), reviews.Select(r => r.Value.ReviewSource.Recorded.EventId).ToArray(),
                reviews.Select(r => (long?)r.Value.ReviewSource.Sequence).ToArray())),
        ], cancellationToken);
    }

    private sealed record OpenedRow(string? PatientId, Instant From, Guid EventId, long Sequence);

    private sealed class ReadRow
    {
        public PatientDataRead? Read;
        public DecodedEvent Source;
        public BreakGlassReviewed? Review;
        public DecodedEvent ReviewSource;
    }
}
