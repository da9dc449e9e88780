namespace Records.Domain.Rules;

/// <summary>The ids of the rules the domain enforces or flags. Each is configured in <see cref="RuleCatalog"/>.</summary>
public static class RuleIds
{
    public const string NoOnlineFirstVisit = "visit.no_online_first_visit";
    public const string FollowUpNeedsOfflineEvidence = "visit.follow_up_needs_offline_evidence";
    public const string FollowUpSameDiagnosis = "visit.follow_up_same_diagnosis";
    public const string StopOnConditionChange = "visit.stop_on_condition_change";
    public const string RemoteConsultationWrittenConsent = "visit.remote_consultation_written_consent";
    public const string RemoteConsultationSignedReport = "visit.remote_consultation_signed_report";
    public const string InformedConsentForOnlineVisit = "visit.informed_consent";
    public const string ReplyWithinPublishedLimit = "visit.reply_within_published_limit";
    public const string ChildGuardianAndSpecialist = "visit.child_guardian_and_specialist";
    public const string WithinApprovedSubjects = "visit.within_approved_subjects";
    public const string NoMachineClinician = "clinical.no_machine_clinician";

    public const string PractitionerRegisteredHere = "practitioner.registered_here";
    public const string PractitionerWithinScope = "practitioner.within_scope";
    public const string PractitionerMinPracticeYears = "practitioner.min_practice_years";
    public const string PractitionerMinTitle = "practitioner.min_title";
    public const string PractitionerRealNameVerified = "practitioner.real_name_verified";
    public const string PractitionerNotSuspended = "practitioner.not_suspended";
    public const string PractitionerCleanRecord = "practitioner.clean_record";

    public const string NoControlledDrugsOnline = "prescription.no_controlled_drugs_online";
    public const string PrescribedByVisitDoctor = "prescription.by_visit_doctor";
    public const string MaxDrugs = "prescription.max_drugs";
    public const string FieldsComplete = "prescription.fields_complete";
    public const string RetentionOutpatientRecord = "retention.outpatient_record";
    public const string RetentionPrescription = "retention.prescription";
    public const string RetentionConsultationMedia = "retention.consultation_media";
    public const string DaysSupply = "prescription.days_supply";
    public const string LongTermMaxDays = "prescription.long_term_max_days";
    public const string Validity = "prescription.validity";
    public const string ReviewerNotPrescriber = "prescription.reviewer_not_prescriber";
    public const string ReviewerExperiencedPharmacist = "prescription.reviewer_experienced_pharmacist";
    public const string ReviewBeforeDispensing = "prescription.review_before_dispensing";
    public const string NoDrugBeforePrescription = "prescription.no_drug_before_prescription";
    public const string ReviewTooFast = "prescription.review_too_fast";

    public const string NoEditWhenSealed = "document.no_edit_when_sealed";
    public const string NoEditWhenArchived = "document.no_edit_when_archived";
    public const string SealWithBothParties = "document.seal_with_both_parties";
    public const string UnsealWhenResolvedOrExpired = "document.unseal_when_resolved_or_expired";
    public const string LateSignature = "document.late_signature";

    public const string ReliableSignature = "signature.reliable";
    public const string AuthoritativeSigningTime = "signature.authoritative_time";
    public const string PatientRealName = "patient.real_name_registration";
    public const string BreakGlassReason = "access.break_glass_reason";
    public const string NoCareRelationship = "access.no_care_relationship";
    public const string IncidentReportDeadline = "incident.report_deadline";
}
