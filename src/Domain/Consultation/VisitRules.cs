namespace Records.Domain.Consultation;

using Records.Domain.Patient;

/// <summary>The rules on what may be treated online, shared by diagnosing in a visit and prescribing for it.</summary>
public static class VisitRules
{
    public static void CheckTreatment(Findings findings, ConsultationState visit, PatientState patient, IEnumerable<Diagnosis> diagnoses, Instant at)
    {
        // 宁夏互联网医院监管标准 应急处置: after a condition change the visit stops; nothing more is treated online.
        if (visit.IsStopped)
        {
            findings.Breach(RuleIds.StopOnConditionChange, "visit.stopped",
                "This visit was stopped for a condition change or a first visit: refer the patient offline instead.");
        }

        // 互联网诊疗管理办法（试行） Art. 16: a follow-up rests on offline records of the same diagnosis (unless a first-visit pilot applies).
        if (visit.Kind == ConsultationKind.OnlineFollowUp && visit.FirstVisitPilot is null)
        {
            if (visit.Evidence.IsEmpty)
            {
                findings.Breach(RuleIds.FollowUpNeedsOfflineEvidence, "visit.no_offline_evidence",
                    "Attach the patient's offline diagnosis records before treating a follow-up online.");
            }
            else if (diagnoses.FirstOrDefault(d => !visit.EvidencedCategories.Contains(d.Category())) is { } other)
            {
                findings.Breach(RuleIds.FollowUpSameDiagnosis, "visit.diagnosis_not_evidenced",
                    $"{other.Icd10} {other.Text} is not among the diagnoses of the offline records: a new diagnosis needs an offline visit.");
            }
        }

        // 互联网诊疗管理办法（试行） Art. 19: a child under 6 needs a guardian and a relevant specialist present.
        if (findings.Rule(RuleIds.ChildGuardianAndSpecialist) is { } child
            && patient.AgeAt(at) < child.Parameter<AgeBelow>().Years && !visit.ChildSafeguardsAttested)
        {
            findings.Breach(child, "visit.child_without_guardian_and_specialist",
                $"The patient is under {child.Parameter<AgeBelow>().Years}: attest that a guardian and a relevant specialist are present.");
        }
    }
}
