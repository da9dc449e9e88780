using NodaTime;
using Records.Domain;
using Records.Domain.Platform;
using Records.Projections.Regulator;

namespace Records.Projections.Tests.Regulator;

// 互联网诊疗监管细则 Art. 4–5; Guangdong notice (platform.realtime_upload: acknowledged within 10 min, configured)
public class PlatformIndicatorTests : RegulatorHarness
{
    private static Task Upload(Hospital h, string platform, IPlatformEvent e) => h.Append("platform", platform, e, "platform-uploader", Role.Service);

    private static UploadSent Sent(string platform, long number, long after, long through, Instant earliest, Instant at) =>
        new(platform, number, after, through, [new DataSetCount("visits", 2)], earliest, at);

    [Fact]
    public async Task Indicator_17_a_late_acknowledgement_a_gap_in_the_uploads_and_a_refused_upload_are_findings()
    {
        var h = await Hospital.OpenAsync(this);
        var platform = h.NewId("platform");
        var happened = h.Now;
        await Upload(h, platform, Sent(platform, 1, 0, 10, happened, h.Later(Duration.FromMinutes(1))));
        await Upload(h, platform, new UploadAcknowledged(platform, 1, "ACK-1", h.Later(Duration.FromMinutes(20))));            // 21 min after it happened
        await Upload(h, platform, Sent(platform, 2, 15, 20, h.Now, h.Later(Duration.FromMinutes(1))));                         // 11–15 never sent
        await Upload(h, platform, new UploadAcknowledged(platform, 2, "ACK-2", h.Later(Duration.FromMinutes(1))));
        await Upload(h, platform, Sent(platform, 3, 20, 25, h.Now, h.Later(Duration.FromMinutes(1))));
        await Upload(h, platform, new UploadFailed(platform, 3, 1, "the platform answered 400", GivenUp: true, h.Later(Duration.FromMinutes(1))));
        await h.TimePassesAsync(Duration.FromDays(1));
        await CaughtUpAsync();

        var findings = await h.FindingsAsync(17);
        Assert.Equal(
            [("platform.upload_failed", $"Upload 3 to {platform} was given up after 1 attempt(s): the platform answered 400."),
             ("platform.upload_gap", $"Upload 2 to {platform} starts after sequence 15, but upload 1 had reached 10: what lies between never went to the platform."),
             ("platform.upload_late", $"Upload 1 to {platform} was not acknowledged within 10 min of its oldest record.")],
            findings.Select(f => (f.Code, f.Message)).Order());
        var late = findings.Single(f => f.Code == "platform.upload_late");
        Assert.Equal(happened + Duration.FromMinutes(10), late.At);
        Assert.Equal(["platform.upload_sent.v1", "platform.upload_acknowledged.v1"], late.Evidence.Select(e => e.EventType));
        Assert.All(findings, f => Assert.Equal(RegulatorRules.PlatformUploadOnTime, f.RuleId));
    }

    [Fact]
    public async Task Indicator_17_uploads_in_sequence_acknowledged_within_the_target_after_a_retry_are_not_findings()
    {
        var h = await Hospital.OpenAsync(this);
        var platform = h.NewId("platform");
        await Upload(h, platform, Sent(platform, 1, 0, 10, h.Now, h.Later(Duration.FromSeconds(5))));
        await Upload(h, platform, new UploadAcknowledged(platform, 1, "ACK-1", h.Later(Duration.FromMinutes(2))));
        await Upload(h, platform, Sent(platform, 2, 10, 18, h.Now, h.Later(Duration.FromSeconds(5))));
        await Upload(h, platform, new UploadFailed(platform, 2, 1, "the platform answered 503", GivenUp: false, h.Later(Duration.FromSeconds(30))));
        await Upload(h, platform, new UploadAcknowledged(platform, 2, "ACK-2", h.Later(Duration.FromMinutes(5))));
        await h.TimePassesAsync(Duration.FromDays(1));
        await CaughtUpAsync();

        Assert.Empty(await h.FindingsAsync(17));
    }
}
