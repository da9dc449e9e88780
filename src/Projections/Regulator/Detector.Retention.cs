using Records.Domain;
using Records.Domain.Retention;
using Records.Domain.Rules;

namespace Records.Projections.Regulator;

// Purges of a record's content before its retention period (16), judged again here with what the view knows of the
// record, so that a purge recorded elsewhere or under another rule book is caught as well.
internal sealed partial class Detector
{
    private async Task<Scope?> Purge(string id, IPurgeEvent e, CancellationToken ct)
    {
        if (e is not RecordPurged purged) return null;
        var rx = purged.Kind == RetainedRecordKind.Prescription ? await ws.GetAsync<PrescriptionFacts>("prescription", purged.RecordId, ct) : null;
        var scope = new Scope($"purge:{id}", await PlaceOf(_actorInstitution, ct), null, rx?.PatientRef);
        var record = rx is null
            ? new RetainedRecord(purged.Kind, purged.RecordId, purged.RetentionStart)
            : new RetainedRecord(purged.Kind, purged.RecordId, rx.WrittenOn, rx.StrictestClass);
        var purgedOn = ChinaTime.DateOf(purged.PurgedAt);
        if (PurgeDecider.RetainUntil(new Findings(new Regulation(options.Rules, scope.Place), _at), record) is { } until && purgedOn < until.Date)
        {
            Raise(scope, until.Rule, "purge.before_retention_period",
                $"{purged.RecordId} was purged on {purgedOn:yyyy-MM-dd}; it is kept until {until.Date:yyyy-MM-dd} ({until.Years} years).", rx?.Drafted);
        }

        return scope;
    }
}
