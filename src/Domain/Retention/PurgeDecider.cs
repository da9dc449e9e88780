namespace Records.Domain.Retention;

using Records.Domain.Prescription;

/// <summary>What a purge decision needs: the record it names, as the host found it (null when there is none).</summary>
public sealed record PurgeContext(Instant Now, Regulation Regulation, RetainedRecord? Record);

/// <summary>
/// A purge (销毁) of a record's content after its retention period: only an administrator, with a reason, once the
/// period of its kind has run. A purge is a stream of its own so that it is kept, signed into the chain, forever.
/// </summary>
public static class PurgeDecider
{
    private const string Stream = "purge";

    public static Decision<IPurgeEvent> Decide(IPurgeCommand command, PurgeState state, PurgeContext context)
    {
        var c = (PurgeRecord)command;
        var actor = c.Meta.Actor;
        if (actor.Role is not Role.Administrator)
        {
            return Rejections.NotAllowed(Stream, "purge records", actor.Role);
        }

        if (state.Purged)
        {
            return Rejections.AlreadyExists(Stream);
        }

        if (string.IsNullOrWhiteSpace(c.Reason))
        {
            return Rejections.Invalid("purge.without_reason", "Say why the record's content is purged.");
        }

        if (context.Record is not { } record || record.Kind != c.Kind || record.RecordId != c.RecordId)
        {
            return Rejections.NotFound(JsonName(c.Kind));
        }

        var findings = new Findings(context.Regulation, context.Now);
        var retainUntil = RetainUntil(findings, record);
        if (retainUntil is { } until && ChinaTime.DateOf(context.Now) < until.Date)
        {
            findings.Breach(until.Rule, "purge.before_retention_period",
                $"This {Describe(record.Kind)} is kept until {until.Date:yyyy-MM-dd} ({until.Years} years from {record.RetentionStart:yyyy-MM-dd}).");
        }

        return findings.Decide<IPurgeEvent>(flags => new RecordPurged(
            c.PurgeId, c.Kind, c.RecordId, record.RetentionStart, retainUntil?.Date, c.Reason, actor.Id, context.Now, flags));
    }

    public static PurgeState Evolve(PurgeState state, IPurgeEvent @event) => @event switch
    {
        RecordPurged e => new PurgeState(true, e.PurgeId, e.Kind, e.RecordId),
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name),
    };

    /// <summary>The retention rule in force for the record's kind, how many years it asks, and the day they end; null when none is in force.</summary>
    public static (Rule Rule, int Years, LocalDate Date)? RetainUntil(Findings findings, RetainedRecord record)
    {
        var (rule, years) = record.Kind switch
        {
            // 电子病历应用管理规范 Art. 19: outpatient EMR 15+ years from the last visit.
            RetainedRecordKind.OutpatientRecord when findings.Rule(RuleIds.RetentionOutpatientRecord) is { } r => (r, r.Parameter<MinimumYears>().Years),
            // 互联网诊疗监管细则: chat, audio and video of a visit 3+ years.
            RetainedRecordKind.ConsultationMedia when findings.Rule(RuleIds.RetentionConsultationMedia) is { } r => (r, r.Parameter<MinimumYears>().Years),
            // 处方管理办法 Art. 50: 1 year, 2 for toxic and class-2 psychotropic, 3 for narcotic and class-1 psychotropic.
            RetainedRecordKind.Prescription when findings.Rule(RuleIds.RetentionPrescription) is { } r =>
                (r, r.Parameter<PrescriptionRetention>().YearsFor(record.StrictestClass ?? DrugClass.Ordinary)),
            _ => ((Rule?)null, 0),
        };
        return rule is null ? null : (rule, years, record.RetentionStart.PlusYears(years));
    }

    private static string JsonName(RetainedRecordKind kind) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    private static string Describe(RetainedRecordKind kind) => JsonName(kind).Replace('_', ' ');
}
