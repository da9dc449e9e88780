using NodaTime;
using Records.Domain;
using Records.Domain.Patient;
using Records.Domain.Prescription;
using Records.Projections.Access;

namespace Records.Projections.Tests.Access;

/// <summary>The one definition of care relationships, folded in memory as the API folds a patient's records at a read.</summary>
public sealed class CareLedgerTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 5, 4, 2, 0);
    private static readonly Duration Window = Duration.FromDays(30);

    private static Instant At(int hours) => T0 + Duration.FromHours(hours);

    private static CareLedger Fold(params (string Stream, IDomainEvent Event)[] events)
    {
        var ledger = new CareLedger();
        foreach (var (stream, e) in events) ledger.Apply(stream, e, Guid.NewGuid(), sequence: null);
        return ledger;
    }

    private static bool InCare(CareLedger ledger, Actor reader, Instant at) => ledger.Opened.Any(r => r.Admits(reader) && r.InForceAt(at, Window));

    [Fact]
    public void A_new_guardian_replaces_the_one_before_and_a_guardian_assigned_again_keeps_theirs()
    {
        Guardian Of(string id) => new(id, "监护人", "母亲");
        var (mother, father) = (new Actor("gd-mother", Role.Patient, true), new Actor("gd-father", Role.Patient, true));
        var ledger = Fold(
            ("patient-pt-1", new PatientRegistered("pt-1", "王小明", Sex.Male, new LocalDate(2022, 1, 1), new string('a', 64), "+86", At(0), [])),
            ("patient-pt-1", new GuardianAssigned(Of(mother.Id), At(1))),
            ("patient-pt-1", new GuardianAssigned(Of(father.Id), At(5))),
            ("patient-pt-1", new GuardianAssigned(Of(father.Id), At(6))));

        Assert.True(InCare(ledger, mother, At(2)));
        Assert.False(InCare(ledger, mother, At(5)));
        Assert.True(InCare(ledger, father, At(7)));
        Assert.True(InCare(ledger, new Actor("pt-1", Role.Patient, true), At(100)));
    }

    [Fact]
    public void Every_pharmacist_while_a_prescription_awaits_review_then_its_reviewer_until_the_window_after_it_ends()
    {
        var (reviewer, other, doctor) = (new Actor("ph-1", Role.Pharmacist, true), new Actor("ph-2", Role.Pharmacist, true), new Actor("dr-1", Role.Physician, true));
        var ledger = Fold(
            ("prescription-rx-1", new PrescriptionSigned("sig-1", At(1), null, [])),
            ("prescription-rx-1", new PrescriptionRejected(reviewer.Id, ["剂量"], At(2), [])));

        Assert.True(InCare(ledger, other, At(1)));
        Assert.False(InCare(ledger, doctor, At(1)));             // the queue is the pharmacists'
        Assert.False(InCare(ledger, other, At(2)));              // reviewed
        Assert.True(InCare(ledger, reviewer, At(2) + Window - Duration.FromSeconds(1)));
        Assert.False(InCare(ledger, reviewer, At(2) + Window));
    }

    [Fact]
    public void A_cancelled_prescription_leaves_the_queue_at_once()
    {
        var ledger = Fold(
            ("prescription-rx-1", new PrescriptionSigned("sig-1", At(1), null, [])),
            ("prescription-rx-1", new PrescriptionCancelled("dr-1", "改线下", At(3))));

        Assert.True(InCare(ledger, new Actor("ph-2", Role.Pharmacist, true), At(2)));
        Assert.False(InCare(ledger, new Actor("ph-2", Role.Pharmacist, true), At(3)));
    }
}
