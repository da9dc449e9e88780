using Npgsql;
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
/// The relationships are <see cref="CareLedger"/>'s, the one definition the API uses too. A relationship is stored with the
/// end of its basis (<c>ended_at</c>) and whether the recent-care window follows it (<c>lingers</c>), so the window is a
/// setting of the queries, not of the stored rows. Times are the facts' own (the authoritative clock of the deciding host).
/// </remarks>
public sealed class AccessView : IProjection
{
    public string Name => "access";

    public int Version => 3;

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
        -- ended_at null: the basis still gives it. lingers: it lasts the recent-care window beyond ended_at.
        -- person_id '*pharmacist': every pharmacist (a prescription awaiting review).
        create table {schema}.care_relationships (
            basis_stream_id text not null, person_id text not null, role text not null, patient_id text not null,
            valid_from timestamptz not null, ended_at timestamptz, lingers boolean not null default false, opened_event_id uuid not null,
            opened_sequence bigint not null, closed_sequence bigint, primary key (basis_stream_id, person_id, role));
        create index care_relationships_by_person on {schema}.care_relationships (person_id, valid_from);
        """, cancellationToken);

    /// <summary>It folds a batch from its events alone (rows of earlier batches are joined or updated by its statements).</summary>
    public bool ReadsItsTables => false;

    public Task ApplyAsync(NpgsqlConnection connection, string schema, IReadOnlyList<RecordedEvent> events, NpgsqlBatch writes, CancellationToken cancellationToken)
    {
        var care = new CareLedger();
        var reads = new Dictionary<string, ReadRow>();
        foreach (var e in DecodedEvent.Decode(events, StreamTypes.Patient, StreamTypes.Consultation, StreamTypes.Prescription, StreamTypes.RecordAccess))
        {
            switch (e.Event)
            {
                case PatientDataRead x:
                    reads[e.RecordId] = new ReadRow { Read = x, Source = e };
                    break;
                case BreakGlassReviewed x:
                    var review = reads.TryGetValue(e.RecordId, out var row) ? row : reads[e.RecordId] = new ReadRow();
                    (review.Review, review.ReviewSource) = (x, e);
                    break;
                default:
                    care.Apply(e.Recorded.StreamId, e.Event, e.Recorded.EventId, e.Sequence);
                    break;
            }
        }

        // Relationships opened before this batch are ended in the table first; those opened in it carry their ends from the ledger.
        var owners = care.Owners;
        var ends = care.EndsOfEarlier.ToArray();
        var openings = care.Opened.ToArray();
        var newReads = reads.Where(r => r.Value.Read is not null).ToArray();
        var reviews = reads.Where(r => r.Value.Review is not null).ToArray();
        Add(writes,
        [
            (owners.Count > 0, () => Command($"""
                insert into {schema}.record_owners select * from unnest($1::text[], $2::text[]) on conflict do nothing
                """, owners.Keys.ToArray(), owners.Values.ToArray())),
            (ends.Length > 0, () => Command($"""
                update {schema}.care_relationships t set ended_at = c.ended_at, lingers = c.lingers, closed_sequence = c.seq
                from unnest($1::text[], $2::text[], $3::timestamptz[], $4::boolean[], $5::bigint[], $6::text[]) as c(basis, role, ended_at, lingers, seq, except_person)
                where t.basis_stream_id = c.basis and t.role = c.role and t.ended_at is null and t.person_id is distinct from c.except_person
                """, ends.Select(c => c.Key.Basis).ToArray(), ends.Select(c => c.Key.Role).ToArray(), ends.Select(c => Time(c.Value.At)).ToArray(),
                ends.Select(c => (bool?)c.Value.Lingers).ToArray(), ends.Select(c => c.Value.Sequence).ToArray(), ends.Select(c => c.Value.Except).ToArray())),
            (openings.Length > 0, () => Command($"""
                insert into {schema}.care_relationships
                select r.basis, r.person, r.role, coalesce(r.patient_id, o.patient_id), r.valid_from, r.ended_at, r.lingers, r.event_id, r.seq, r.closed_seq
                from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::boolean[], $8::uuid[], $9::bigint[], $10::bigint[])
                    as r(basis, person, role, patient_id, valid_from, ended_at, lingers, event_id, seq, closed_seq)
                left join {schema}.record_owners o on o.stream_id = r.basis
                on conflict do nothing
                """, openings.Select(o => o.BasisStreamId).ToArray(), openings.Select(o => o.PersonId).ToArray(), openings.Select(o => o.Role).ToArray(),
                openings.Select(o => o.PatientId).ToArray(), openings.Select(o => Time(o.From)).ToArray(), openings.Select(o => Time(o.End?.At)).ToArray(),
                openings.Select(o => (bool?)(o.End?.Lingers ?? false)).ToArray(), openings.Select(o => o.OpenedByEventId).ToArray(),
                openings.Select(o => o.OpenedSequence).ToArray(), openings.Select(o => o.End?.Sequence).ToArray())),
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
        ]);
        return Task.CompletedTask;
    }

    private sealed class ReadRow
    {
        public PatientDataRead? Read;
        public DecodedEvent Source;
        public BreakGlassReviewed? Review;
        public DecodedEvent ReviewSource;
    }
}
