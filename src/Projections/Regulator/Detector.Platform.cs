using Records.Domain.Platform;

namespace Records.Projections.Regulator;

// The uploads to the provincial platform (17): acknowledged later than the target, a gap in their sequence, refused.
internal sealed partial class Detector
{
    private const string UploadLate = "platform.upload_late";
    private const string UploadGap = "platform.upload_gap";
    private const string UploadRefused = "platform.upload_failed";

    private async Task<Scope?> Platform(string platformId, IPlatformEvent e, string? institutionId, CancellationToken ct)
    {
        var place = await PlaceOf(institutionId, ct);
        var platform = new Scope($"platform:{platformId}", place, null, null);
        if (Rule(platform, RegulatorRules.PlatformUploadOnTime) is not { } rule) return platform;
        Scope Upload(long number) => platform with { Record = $"platform:{platformId}:upload:{number}" };

        switch (e)
        {
            case UploadSent sent:
                var facts = await ws.GetAsync<PlatformFacts>("platform", platformId, ct) ?? new PlatformFacts();
                if (sent.AfterSequence > facts.ThroughSequence || sent.UploadNumber > facts.LastUploadNumber + 1)
                {
                    Raise(Upload(sent.UploadNumber), rule, UploadGap,
                        $"Upload {sent.UploadNumber} to {platformId} starts after sequence {sent.AfterSequence}, but upload {facts.LastUploadNumber} had reached " +
                        $"{facts.ThroughSequence}: what lies between never went to the platform.");
                }

                facts.LastUploadNumber = Math.Max(facts.LastUploadNumber, sent.UploadNumber);
                facts.ThroughSequence = Math.Max(facts.ThroughSequence, sent.ThroughSequence);
                ws.Put("platform", platformId, facts);
                var within = rule.Parameter<Domain.Rules.Deadline>().Within;
                Expect(Upload(sent.UploadNumber), rule, UploadLate,
                    $"Upload {sent.UploadNumber} to {platformId} was not acknowledged within {within.TotalMinutes:0.#} min of its oldest record.",
                    sent.EarliestOccurredAt + within);
                return Upload(sent.UploadNumber);

            case UploadAcknowledged acknowledged:
                Fulfil(UploadLate, Upload(acknowledged.UploadNumber));
                return Upload(acknowledged.UploadNumber);

            case UploadFailed { GivenUp: true } failed:
                // Counted once, as a failure: the acknowledgement it will never get is not also lateness.
                Fulfil(UploadLate, Upload(failed.UploadNumber));
                Raise(Upload(failed.UploadNumber), rule, UploadRefused,
                    $"Upload {failed.UploadNumber} to {platformId} was given up after {failed.Attempt} attempt(s): {failed.Reason}.");
                return Upload(failed.UploadNumber);

            case UploadFailed retried:
                return Upload(retried.UploadNumber); // an attempt that will be retried: only lateness can come of it

            default:
                return platform;
        }
    }
}
