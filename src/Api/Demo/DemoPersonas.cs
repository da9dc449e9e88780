using Records.Domain;

namespace Records.Api.Demo;

/// <summary>The demo hospital's people: one token is printed for each on start.</summary>
public static class DemoPersonas
{
    public static readonly Actor Administrator = new("admin-demo", Role.Administrator, true);
    public static readonly Actor DrLi = new("dr-li", Role.Physician, true);
    public static readonly Actor DrWang = new("dr-wang", Role.Physician, true);
    public static readonly Actor DrZhao = new("dr-zhao", Role.Physician, true);
    public static readonly Actor PharmacistChen = new("ph-chen", Role.Pharmacist, true);
    public static readonly Actor PharmacistLiu = new("ph-liu", Role.Pharmacist, true);
    public static readonly Actor NurseSun = new("nu-sun", Role.Nurse, true);
    public static readonly Actor QualityZhou = new("qm-zhou", Role.QualityManager, true);
    public static readonly Actor Regulator = new("reg-province", Role.Regulator, true);
    public static readonly Actor LegalHe = new("legal-he", Role.Legal, true);
    public static readonly Actor PharmacyIntegrator = new("integrator-pharmacy", Role.Integrator, true);
    public static readonly Actor PatientZhang = new("pt-zhang", Role.Patient, true);
    public static readonly Actor PatientLi = new("pt-li", Role.Patient, true);
    public static readonly Actor PatientWu = new("pt-wu", Role.Patient, true);
    public static readonly Actor Xiaoming = new("pt-xiaoming", Role.Patient, true);
    public static readonly Actor XiaomingsMother = new("gd-xiaoming", Role.Patient, true);

    /// <summary>Each persona with what they show in the demo.</summary>
    public static IReadOnlyList<(Actor Actor, string Shows)> All { get; } =
    [
        (Administrator, "registers the hospital and its staff"),
        (DrLi, "physician: Zhang's hypertension follow-up, prescriptions, documents"),
        (DrWang, "physician (paediatrics): Xiaoming's follow-up with his guardian"),
        (DrZhao, "physician: invited Li's remote consultation"),
        (PharmacistChen, "pharmacist: approved, handed off and dispensed prescriptions"),
        (PharmacistLiu, "pharmacist: rejected one; one awaits review"),
        (NurseSun, "nurse: a break-glass read, to be reviewed"),
        (QualityZhou, "quality manager: sealed a document; reviews break-glass reads"),
        (Regulator, "regulator: pseudonymised data, names inside a case"),
        (LegalHe, "legal: amended and sealed documents"),
        (PharmacyIntegrator, "integrator: the pharmacy's feed"),
        (PatientZhang, "patient: his own record and who read it"),
        (PatientWu, "patient: a follow-up without consent (planted)"),
        (XiaomingsMother, "guardian of Xiaoming (4 years old)"),
    ];
}
