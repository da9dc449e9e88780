namespace Records.Domain.Tests.Common;

using Records.Domain.Prescription;

public class DecisionTests
{
    [Fact]
    public void Lifecycle_rejections_read_as_sentences_with_stable_codes()
    {
        Assert.Equal(new Rejection("record_access.already_exists", "This record access already exists."), Rejections.AlreadyExists("record_access"));
        Assert.Equal(new Rejection("prescription.illegal_transition", "You cannot approve this prescription: it is 'handed off'."),
            Rejections.WrongState("prescription", "approve", PrescriptionStatus.HandedOff));
        Assert.Equal("A quality manager may not dispense here.", Rejections.NotAllowed("prescription", "dispense", Role.QualityManager).Message);
        Assert.Equal("An administrator may not dispense here.", Rejections.NotAllowed("prescription", "dispense", Role.Administrator).Message);
    }

    [Fact]
    public void A_decision_is_either_events_or_a_rejection()
    {
        var expired = new PrescriptionExpired(T0);
        Decision<IPrescriptionEvent> accepted = expired;
        Assert.True(accepted.IsAccepted);
        Assert.Equal([expired], accepted.Events);

        Decision<IPrescriptionEvent> rejected = Rejections.NotFound("prescription");
        Assert.False(rejected.IsAccepted);
        Assert.Empty(rejected.Events);
        Assert.Equal("rejected: prescription.not_found", rejected.ToString());

        Assert.True(Decision<IPrescriptionEvent>.Unless(null, expired).IsAccepted);
        Assert.Throws<ArgumentNullException>(() => Decision<IPrescriptionEvent>.Reject(null!));
    }
}
