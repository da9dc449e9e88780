namespace Records.Domain.Practitioner;

/// <summary>Whether the acting person may practise here now: the "who may practise" rules of REGULATION.md.</summary>
public static class Qualification
{
    /// <summary>
    /// Records in <paramref name="findings"/> every way <paramref name="actor"/> is not qualified to act as a
    /// <paramref name="profession"/> at <paramref name="institutionId"/>; for a <paramref name="subject"/> and a
    /// <paramref name="consultationId"/> when given.
    /// </summary>
    public static void Check(
        Findings findings, Actor actor, PractitionerState? practitioner, Profession profession, string institutionId, Instant at,
        string? subject = null, string? consultationId = null)
    {
        // 互联网诊疗监管细则（试行）: no other person and no AI may stand in for the clinician.
        if (actor.IsMachine)
        {
            findings.Breach(RuleIds.NoMachineClinician, "clinical.machine_actor", "A machine account or an AI cannot act as a clinician; a verified person must.");
            return;
        }

        // 互联网医院管理办法（试行）: registered or filed (注册或备案) with this Internet hospital.
        if (practitioner is not { Registered: true } p || p.Id != actor.Id || p.Profession != profession
            || !p.Enrolments.TryGetValue(institutionId, out var enrolment))
        {
            findings.Breach(RuleIds.PractitionerRegisteredHere, "practitioner.not_registered_here",
                $"You are not registered or filed with this Internet hospital as a {profession.ToString().ToLowerInvariant()}.");
            return;
        }

        // 互联网诊疗监管细则（试行）: real-name verification before each consultation.
        if (!actor.RealNameVerified || (consultationId is not null && !p.VerifiedForConsultations.Contains(consultationId)))
        {
            findings.Breach(RuleIds.PractitionerRealNameVerified, "practitioner.not_real_name_verified",
                "Pass real-name verification for this consultation before acting in it.");
        }

        // 宁夏互联网医院监管标准 事后监管: a suspended practitioner does not practise.
        if (p.Suspended)
        {
            findings.Breach(RuleIds.PractitionerNotSuspended, "practitioner.suspended", "Your practice is suspended.");
        }

        // 互联网医院管理办法（试行）: practice scope matches the subject (诊疗科目).
        if (subject is not null && !enrolment.Scope.Contains(subject))
        {
            findings.Breach(RuleIds.PractitionerWithinScope, "practitioner.outside_scope", $"{subject} is outside your practice scope here.");
        }

        // 互联网诊疗管理办法（试行） Art. 25: 3+ years of independent practice (Ningxia: 5+).
        if (profession == Profession.Physician && findings.Rule(RuleIds.PractitionerMinPracticeYears) is { } years
            && p.PracticeYearsAt(at) < years.Parameter<MinimumYears>().Years)
        {
            findings.Breach(years, "practitioner.too_little_practice",
                $"Online practice needs {years.Parameter<MinimumYears>().Years}+ years of independent practice.");
        }

        // 宁夏互联网医院监管标准: an intermediate title or higher (a province rule; not in force nationally).
        if (profession == Profession.Physician && findings.Rule(RuleIds.PractitionerMinTitle) is { } title
            && p.Grade < title.Parameter<MinimumTitle>().Grade)
        {
            findings.Breach(title, "practitioner.title_too_low", $"Online practice here needs a {title.Parameter<MinimumTitle>().Grade} title or higher.");
        }

        // 宁夏互联网医院监管标准: no major violation or bad-credit record in the last 3 years (a province rule; not in force nationally).
        if (profession == Profession.Physician && findings.Rule(RuleIds.PractitionerCleanRecord) is { } record
            && record.Parameter<RecentPointsLimit>() is var limit && p.PointsWithinYearsBefore(limit.Years, at) > limit.MaxPoints)
        {
            findings.Breach(record, "practitioner.recent_bad_record",
                $"Online practice here needs no more than {limit.MaxPoints} bad-practice points in the last {limit.Years} years.");
        }
    }
}
