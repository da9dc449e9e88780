using NodaTime;
using Records.Domain;
using Records.Domain.Consultation;
using Records.Domain.Patient;
using Records.Domain.Prescription;

namespace Records.Projections.Access;

/// <summary>
/// When a record stopped giving a care relationship; <paramref name="Lingers"/>: the relationship lasts the recent-care window beyond it;
/// <paramref name="Except"/>: the person whose relationship it does not end (a guardian assigned again).
/// </summary>
public sealed record CareEnd(Instant At, bool Lingers, long? Sequence, string? Except = null);

/// <summary>
/// <see cref="PersonId"/> cares for <see cref="PatientId"/> as <see cref="Role"/> because of the record <see cref="BasisStreamId"/>,
/// from <see cref="From"/> until the record ends it (<see cref="End"/>, and the recent-care window if it lingers).
/// </summary>
public sealed class CareRelationship(string basisStreamId, string personId, string role, string? patientId, Instant from, Guid openedByEventId, long? openedSequence)
{
    public string BasisStreamId { get; } = basisStreamId;

    /// <summary>The person, or <see cref="CareLedger.AnyPharmacist"/>.</summary>
    public string PersonId { get; } = personId;

    public string Role { get; } = role;

    /// <summary>Null when the record's patient is known only from an earlier part of the log (the view's record owners).</summary>
    public string? PatientId { get; } = patientId;

    public Instant From { get; } = from;

    public Guid OpenedByEventId { get; } = openedByEventId;

    public long? OpenedSequence { get; } = openedSequence;

    public CareEnd? End { get; internal set; }

    /// <summary>Whether <paramref name="reader"/> is the person this relationship is with.</summary>
    public bool Admits(Actor reader) => PersonId == reader.Id || (PersonId == CareLedger.AnyPharmacist && reader.Role == Domain.Role.Pharmacist);

    public bool InForceAt(Instant at, Duration recentCare) =>
        From <= at && (End is not { } end || at < end.At + (end.Lingers ? recentCare : Duration.Zero));
}

/// <summary>
/// The one definition of care relationships, from the records' events (the domain has no care-relationship stream): the patient
/// (from registration), open-ended; their guardian (from assignment until another is assigned); the physician who accepted a consultation, until the
/// recent-care window after it ends; every pharmacist while a prescription awaits review (the review queue is theirs), until it is
/// reviewed, cancelled or expires; the pharmacist who reviewed it and the one who dispensed it, until the window after it ends
/// (delivered, rejected, cancelled, expired). The access view folds the whole log through it; the API folds one patient's records
/// at the moment of a read. Nurses have none: no record says which consultation or ward a nurse is assigned to.
/// </summary>
/// <remarks>
/// A ledger folds events in log order. Relationships opened in it are in <see cref="Opened"/> with their ends; ends of relationships
/// opened before it (an earlier batch of the view) are in <see cref="EndsOfEarlier"/>.
/// </remarks>
public sealed class CareLedger
{
    /// <summary>The person of the relationship every pharmacist holds while a prescription awaits review.</summary>
    public const string AnyPharmacist = "*pharmacist";

    /// <summary>How long a relationship lingers after its record ends unless configured (<c>Records:Access:RecentCareDays</c>).</summary>
    public static readonly Duration DefaultRecentCare = Duration.FromDays(30);

    /// <summary>The events that open or end care relationships, or name a record's patient.</summary>
    public static readonly IReadOnlySet<Type> EventTypes = new HashSet<Type>
    {
        typeof(PatientRegistered), typeof(GuardianAssigned), typeof(ConsultationRequested), typeof(ConsultationAccepted), typeof(ConsultationCompleted),
        typeof(ConsultationTerminated), typeof(PrescriptionDrafted), typeof(PrescriptionSigned), typeof(PrescriptionApproved), typeof(PrescriptionRejected),
        typeof(PrescriptionDispensed), typeof(PrescriptionDelivered), typeof(PrescriptionCancelled), typeof(PrescriptionExpired),
    };

    private const string Patient = "patient", Guardian = "guardian", AttendingPhysician = "attending_physician";
    private const string AwaitingReview = "awaiting_review", ReviewingPharmacist = "reviewing_pharmacist", DispensingPharmacist = "dispensing_pharmacist";

    private readonly Dictionary<(string Basis, string Person, string Role), CareRelationship> _opened = [];
    private readonly Dictionary<(string Basis, string Role), CareEnd> _endsOfEarlier = [];

    public IReadOnlyCollection<CareRelationship> Opened => _opened.Values;

    /// <summary>The first end, per record and role, of relationships that may have been opened before this ledger.</summary>
    public IReadOnlyDictionary<(string Basis, string Role), CareEnd> EndsOfEarlier => _endsOfEarlier;

    /// <summary>The patient of each record whose creating event the ledger saw (record stream id → patient id).</summary>
    public Dictionary<string, string> Owners { get; } = [];

    public void Apply(string streamId, IDomainEvent @event, Guid eventId, long? sequence)
    {
        void Open(string role, string person, Instant from)
        {
            // A second opening (say, a re-review) keeps the first: the relationship began then.
            _opened.TryAdd((streamId, person, role), new CareRelationship(streamId, person, role, Owners.GetValueOrDefault(streamId), from, eventId, sequence));
        }

        void Close(CareEnd end, params string[] roles)
        {
            foreach (var role in roles)
            {
                foreach (var relationship in _opened.Values.Where(r => r.BasisStreamId == streamId && r.Role == role && r.End is null && r.PersonId != end.Except))
                    relationship.End = end;
                _endsOfEarlier.TryAdd((streamId, role), end);
            }
        }

        void End(Instant at, bool lingers, params string[] roles) => Close(new CareEnd(at, lingers, sequence), roles);

        switch (@event)
        {
            case PatientRegistered e:
                Owners[streamId] = e.PatientId;
                Open(Patient, e.PatientId, e.RegisteredAt);
                break;
            case GuardianAssigned e:
                // A new guardian replaces the one before.
                Close(new CareEnd(e.AssignedAt, Lingers: false, sequence, Except: e.Guardian.GuardianId), Guardian);
                Open(Guardian, e.Guardian.GuardianId, e.AssignedAt);
                break;
            case ConsultationRequested e:
                Owners[streamId] = e.PatientId;
                break;
            case ConsultationAccepted e:
                Open(AttendingPhysician, e.DoctorId, e.AcceptedAt);
                break;
            case ConsultationCompleted e:
                End(e.CompletedAt, lingers: true, AttendingPhysician);
                break;
            case ConsultationTerminated e:
                End(e.TerminatedAt, lingers: true, AttendingPhysician);
                break;
            case PrescriptionDrafted e:
                Owners[streamId] = e.PatientId;
                break;
            case PrescriptionSigned e:
                Open(AwaitingReview, AnyPharmacist, e.SignedAt);
                break;
            case PrescriptionApproved e:
                End(e.ApprovedAt, lingers: false, AwaitingReview);
                Open(ReviewingPharmacist, e.ReviewerId, e.ApprovedAt);
                break;
            case PrescriptionRejected e:
                End(e.RejectedAt, lingers: false, AwaitingReview);
                Open(ReviewingPharmacist, e.ReviewerId, e.RejectedAt);
                End(e.RejectedAt, lingers: true, ReviewingPharmacist);
                break;
            case PrescriptionDispensed e:
                Open(DispensingPharmacist, e.DispenserId, e.DispensedAt);
                break;
            case PrescriptionDelivered e:
                End(e.DeliveredAt, lingers: true, ReviewingPharmacist, DispensingPharmacist);
                break;
            case PrescriptionCancelled e:
                End(e.CancelledAt, lingers: false, AwaitingReview);
                End(e.CancelledAt, lingers: true, ReviewingPharmacist, DispensingPharmacist);
                break;
            case PrescriptionExpired e:
                End(e.ExpiredAt, lingers: false, AwaitingReview);
                End(e.ExpiredAt, lingers: true, ReviewingPharmacist, DispensingPharmacist);
                break;
        }
    }
}
