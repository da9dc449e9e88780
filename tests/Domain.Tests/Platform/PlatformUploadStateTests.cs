namespace Records.Domain.Tests.Platform;

using Records.Domain.Platform;

public class PlatformUploadStateTests
{
    private static readonly Instant At = Instant.FromUtc(2026, 3, 2, 2, 0, 30);

    private static UploadSent Sent(long number, long after, long through) => new("zj", number, after, through, [new DataSetCount("visits", 1)], At, At);

    private static PlatformUploadState Fold(params IPlatformEvent[] events) => events.Aggregate(PlatformUploadState.Initial, PlatformUploadState.Evolve);

    [Fact]
    public void An_upload_waits_for_its_acknowledgement_and_counts_its_failed_attempts()
    {
        var sent = Sent(1, 0, 10);
        var state = Fold(sent, new UploadFailed("zj", 1, 1, "503", false, At), new UploadFailed("zj", 1, 2, "timeout", false, At));

        Assert.Equal(new PlatformUploadState(1, 10, sent, 2), state);
        Assert.Equal(new PlatformUploadState(1, 10, null, 0), PlatformUploadState.Evolve(state, new UploadAcknowledged("zj", 1, "ACK-1", At)));
    }

    [Fact]
    public void A_refused_upload_is_done_with_and_an_answer_to_another_upload_changes_nothing()
    {
        var refused = Fold(Sent(1, 0, 10), new UploadFailed("zj", 1, 1, "400 invalid data set", true, At));
        Assert.Null(refused.Pending);
        Assert.Equal(10, refused.ThroughSequence);

        var waiting = Fold(Sent(1, 0, 10), new UploadAcknowledged("zj", 1, "A", At), Sent(2, 10, 15));
        Assert.Equal(waiting, PlatformUploadState.Evolve(waiting, new UploadAcknowledged("zj", 1, "A", At)));
        Assert.Equal(2, waiting.LastUploadNumber);
    }
}
