using Records.Domain;
using Records.Domain.AdverseEvent;
using Records.Domain.RecordAccess;
using Records.Domain.Rules;

namespace Records.Projections.Regulator;

// Reads of patient data (20, 21) and adverse events and data leaks with their reporting deadline (18).
internal sealed partial class Detector
{
    private const string BreakGlassNotReviewed = "access.break_glass_not_reviewed";
    private const string ReportedLate = "adverse_event.reported_late";

    private async Task<Scope?> Access(string id, IRecordAccessEvent e, CancellationToken ct)
    {
        if (e is PatientDataRead read)
        {
            var access = ws.Put("access", id, new AccessFacts { Id = id, PatientRef = Pseudonym(read.PatientId)!, ReaderId = read.ReaderId, InstitutionId = _actorInstitution, Read = _event });
            var scope = new Scope($"access:{id}", await PlaceOf(_actorInstitution, ct), read.ReaderId, access.PatientRef);
            if (!read.CareRelationship)
            {
                Raise(scope, RuleIds.NoCareRelationship, "access.break_glass", $"{read.ReaderId} read {read.Resource} with no care relationship.");
                if (string.IsNullOrWhiteSpace(read.BreakGlassReason))
                {
                    Raise(scope, RuleIds.BreakGlassReason, "access.break_glass_reason_required", "The read without a care relationship gave no break-glass reason.");
                }
                else if (Rule(scope, RegulatorRules.BreakGlassReview) is { } review)
                {
                    var within = review.Parameter<Deadline>().Within;
                    Expect(scope, review, BreakGlassNotReviewed, $"The break-glass read was not reviewed within {within.TotalHours:0.#} h.", read.ReadAt + within);
                }
            }

            await CheckAggregation(scope, read, ct);
            return scope;
        }

        if (await ws.GetAsync<AccessFacts>("access", id, ct) is not { } known) return null;
        var knownScope = new Scope($"access:{id}", await PlaceOf(known.InstitutionId, ct), known.ReaderId, known.PatientRef);
        if (e is BreakGlassReviewed reviewed)
        {
            Fulfil(BreakGlassNotReviewed, knownScope);
            if (!reviewed.Justified)
            {
                Raise(knownScope, RuleIds.NoCareRelationship, "access.break_glass_unjustified", $"The review found the break-glass read unjustified: {reviewed.Note}", known.Read);
            }
        }

        return knownScope;
    }

    // 商业统方: one person reading the prescriptions of many patients in a day, in a role not allowed to aggregate.
    private async Task CheckAggregation(Scope scope, PatientDataRead read, CancellationToken ct)
    {
        if (!read.Resource.StartsWith("prescription", StringComparison.OrdinalIgnoreCase)
            || Rule(scope, RegulatorRules.NoCommercialAggregation) is not { } rule
            || rule.Parameter<AggregationLimit>().AllowedRoles.Contains(read.ReaderRole))
        {
            return;
        }

        var dayId = $"{read.ReaderId}:{ChinaTime.DateOf(read.ReadAt):yyyy-MM-dd}";
        var day = await ws.GetAsync<ReadingDayFacts>("reading_day", dayId, ct) ?? new ReadingDayFacts();
        var patientRef = Pseudonym(read.PatientId)!;
        if (day.PatientRefs.Contains(patientRef)) return;
        day.PatientRefs.Add(patientRef);
        day.Reads.Add(_event);
        ws.Put("reading_day", dayId, day);
        var limit = rule.Parameter<AggregationLimit>().DistinctPatientsPerDay;
        if (day.PatientRefs.Count > limit)
        {
            Raise(scope with { Record = $"reading_day:{dayId}", PatientRef = null }, rule, "prescription.bulk_aggregation",
                $"{read.ReaderId} ({read.ReaderRole}) read the prescriptions of {day.PatientRefs.Count} patients in one day; the limit is {limit}.", [.. day.Reads]);
        }
    }

    private async Task<Scope?> AdverseEvent(string id, IAdverseEventEvent e, string? institutionId, CancellationToken ct)
    {
        if (e is AdverseEventRecorded recorded)
        {
            var facts = ws.Put("adverse_event", id, new AdverseEventFacts
            {
                Id = id, InstitutionId = institutionId, PatientRef = Pseudonym(recorded.PatientId), Category = recorded.Category, Severity = recorded.Severity,
                OccurredAt = recorded.OccurredAt, RecordedAt = recorded.RecordedAt, Evidence = [_event],
            });
            var scope = new Scope($"adverse_event:{id}", await PlaceOf(institutionId, ct), null, facts.PatientRef);

            // 网络安全法; Guangdong notice: reported to the authority within the configured deadline of being recorded.
            if (Rule(scope, RuleIds.IncidentReportDeadline) is { } deadline)
            {
                facts.Deadline = recorded.RecordedAt + deadline.Parameter<Deadline>().Within;
                (facts.RuleId, facts.RuleSource) = (deadline.Id, deadline.Source);
                Expect(scope, deadline, ReportedLate, $"The {recorded.Category} was not reported within {deadline.Parameter<Deadline>().Within.TotalHours:0.#} h.", facts.Deadline.Value);
            }

            return scope;
        }

        if (await ws.GetAsync<AdverseEventFacts>("adverse_event", id, ct) is not { } known) return null;
        ws.Changed("adverse_event", id);
        known.Evidence.Add(_event);
        var knownScope = new Scope($"adverse_event:{id}", await PlaceOf(known.InstitutionId, ct), null, null);
        if (e is AdverseEventReported reported && known.ReportedAt is null)
        {
            known.ReportedAt = reported.ReportedAt;
            Fulfil(ReportedLate, knownScope);
        }

        return knownScope;
    }
}
