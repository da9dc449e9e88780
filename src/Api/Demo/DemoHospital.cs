using System.Security.Cryptography;
using System.Text;
using NodaTime;
using Records.Api.Access;
using Records.Api.Commands;
using Records.Domain;
using Records.Domain.AdverseEvent;
using Records.Domain.ClinicalDocument;
using Records.Domain.Consent;
using Records.Domain.Consultation;
using Records.Domain.Institution;
using Records.Domain.Patient;
using Records.Domain.Practitioner;
using Records.Domain.Prescription;
using Records.Domain.RecordAccess;
using Records.Domain.Rules;
using Records.Domain.Serialization;
using Records.Domain.Signature;
using Records.Projections.Streams;
using static Records.Api.Demo.DemoPersonas;

namespace Records.Api.Demo;

/// <summary>A demo step the domain refused: the demo is wrong, so loading stops and says which step.</summary>
public sealed class DemoStepRefusedException(string step, Rejection rejection)
    : Exception($"Demo step '{step}' was refused: {rejection.Code}: {rejection.Message}");

/// <summary>
/// Loads the demo hospital through the write side, as its people would record it: an Internet
/// hospital and its physical institution, staff, patients (one under 6 with his guardian), consents,
/// follow-ups with offline evidence, a remote consultation, prescriptions in every state the clock
/// allows (expiry needs a day to pass), an amended and a sealed document, an adverse event, and
/// planted breaches the deciders flag for the regulator.
/// </summary>
/// <remarks>
/// Every command's id derives from the script's name and its position, so loading again replays
/// each step's first outcome and writes nothing new (<see cref="IsLoadedAsync"/> skips even that).
/// Signing keys are made for the load and their private halves forgotten.
/// </remarks>
public sealed class DemoHospital(CommandExecutor commands, AuditedReads reads, DomainStore store, Regulation regulation, IClock clock)
{
    private const string Script = "records-demo-v1";
    private const string Subject = "心血管内科";
    private readonly Dictionary<string, ECDsa> _keys = [];
    private int _position;

    private string Hospital => regulation.Place.InstitutionId;

    /// <summary>Whether the demo's last step is already recorded.</summary>
    public async Task<bool> IsLoadedAsync(CancellationToken ct)
    {
        await using var command = store.Events.DataSource.CreateCommand("select exists (select 1 from eventstore.commands where command_id = $1)");
        command.Parameters.Add(new() { Value = CommandId(LastStep) });
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The number of steps of the script; the last one's id marks a complete load.</summary>
    private const int LastStep = 115;

    public async Task LoadAsync(CancellationToken ct)
    {
        _position = 0;
        await HospitalAndStaffAsync(ct);
        await PatientsAndConsentsAsync(ct);
        await ZhangsFollowUpAsync(ct);
        await XiaomingsFollowUpAsync(ct);
        await LisRemoteConsultationAsync(ct);
        await DocumentsAsync(ct);
        await AdverseEventAsync(ct);
        await PlantedBreachesAsync(ct);
        if (_position != LastStep) throw new InvalidOperationException($"The demo script has {_position} steps; set LastStep to it.");
        foreach (var key in _keys.Values) key.Dispose();
        _keys.Clear();
    }

    private async Task HospitalAndStaffAsync(CancellationToken ct)
    {
        await Do(Administrator, Hospital, m => new RegisterInstitution(m, Hospital, "银川云医互联网医院", "宁卫互医字〔2025〕001号", "银川市第一人民医院", regulation.Place.ProvinceCode,
            ["内科", Subject, "内分泌科", "儿科"]), ct);
        await Do(Administrator, Hospital, m => new PublishServiceTerms(m, Duration.FromMinutes(30), [new Fee("图文复诊", 2000), new Fee("视频复诊", 5000)]), ct);
        await Do(Administrator, Hospital, m => new ConnectToPlatform(m, "PROVINCIAL-PLATFORM-01"), ct);

        await ClinicianAsync(DrLi, "李建国", Profession.Physician, "主治医师", TitleGrade.Intermediate, new LocalDate(2009, 7, 1), ["内科", Subject], ct);
        await ClinicianAsync(DrWang, "王秀英", Profession.Physician, "副主任医师", TitleGrade.AssociateSenior, new LocalDate(2006, 7, 1), ["儿科"], ct);
        await ClinicianAsync(DrZhao, "赵明", Profession.Physician, "主任医师", TitleGrade.Senior, new LocalDate(2001, 7, 1), ["内分泌科"], ct);
        await ClinicianAsync(PharmacistChen, "陈静", Profession.Pharmacist, "主管药师", TitleGrade.Intermediate, new LocalDate(2012, 7, 1), ["药学"], ct);
        await ClinicianAsync(PharmacistLiu, "刘洋", Profession.Pharmacist, "药师", TitleGrade.Junior, new LocalDate(2018, 7, 1), ["药学"], ct);
        await ClinicianAsync(NurseSun, "孙丽", Profession.Nurse, "护师", TitleGrade.Junior, new LocalDate(2016, 7, 1), ["护理"], ct);
    }

    private async Task ClinicianAsync(Actor who, string name, Profession profession, string title, TitleGrade grade, LocalDate since, string[] scope,
        CancellationToken ct)
    {
        await Do(Administrator, who.Id, m => new RegisterPractitioner(m, who.Id, name, profession, title, grade, "NHC-" + who.Id.ToUpperInvariant(), since), ct);
        await Do(Administrator, who.Id, m => new Enrol(m, Hospital, EnrolmentKind.Registered, scope), ct);
        await Do(Administrator, who.Id, m => new RecordTraining(m, "互联网诊疗规范与电子病历", true, new LocalDate(2026, 1, 15)), ct);
        await Do(who, who.Id, m => new RegisterSigningKey(m, SigningKeyOf(who)), ct);
    }

    private async Task PatientsAndConsentsAsync(CancellationToken ct)
    {
        await PatientAsync(PatientZhang, "张伟", Sex.Male, new LocalDate(1962, 4, 18), ct);
        await PatientAsync(PatientLi, "李娜", Sex.Female, new LocalDate(1979, 11, 2), ct);
        await PatientAsync(PatientWu, "吴强", Sex.Male, new LocalDate(1990, 8, 23), ct);
        await PatientAsync(Xiaoming, "王小明", Sex.Male, ChinaTime.DateOf(clock.GetCurrentInstant()).PlusYears(-4), ct);
        await PatientAsync(XiaomingsMother, "王芳", Sex.Female, new LocalDate(1994, 2, 9), ct);
        await Do(Administrator, Xiaoming.Id, m => new AssignGuardian(m, new Guardian(XiaomingsMother.Id, "王芳", "母亲")), ct);
        await Do(PatientZhang, PatientZhang.Id, m => new RegisterPatientSigningKey(m, SigningKeyOf(PatientZhang)), ct);
        await Do(PatientLi, PatientLi.Id, m => new RegisterPatientSigningKey(m, SigningKeyOf(PatientLi)), ct);

        await Do(PatientZhang, "cs-zhang-online", m => new GrantConsent(m, "cs-zhang-online", PatientZhang.Id, ConsentScope.OnlineVisit, "v3", FormHash("online"), null, null), ct);
        await Do(XiaomingsMother, "cs-xiaoming-online", m => new GrantConsent(m, "cs-xiaoming-online", Xiaoming.Id, ConsentScope.OnlineVisit, "v3", FormHash("online"), null, null), ct);
        await Do(PatientLi, "cs-li-online", m => new GrantConsent(m, "cs-li-online", PatientLi.Id, ConsentScope.OnlineVisit, "v3", FormHash("online"), null, null), ct);
        // Written consent for the remote consultation: the signature covers the consent's terms.
        var terms = new ConsentTerms("cs-li-remote", PatientLi.Id, ConsentScope.RemoteConsultation, "v2", FormHash("remote"), "c-li-remote");
        var signature = await SignAsync(PatientLi, new SubjectRef("consent", "consent-cs-li-remote", 1), CanonicalHash.Of(terms), ct);
        await Do(PatientLi, "cs-li-remote", m => new GrantConsent(m, terms.ConsentId, PatientLi.Id, terms.Scope, terms.FormVersion, terms.FormTextHash,
            terms.ConsultationId, signature), ct);
    }

    private async Task PatientAsync(Actor who, string name, Sex sex, LocalDate born, CancellationToken ct) =>
        await Do(Administrator, who.Id, m => new RegisterPatient(m, who.Id, name, sex, born, Hash("身份证 " + who.Id), "+86 138 0000 " + _position.ToString("0000")), ct);

    /// <summary>Zhang's hypertension follow-up with Dr Li: evidence, diagnosis, and prescriptions in every state.</summary>
    private async Task ZhangsFollowUpAsync(CancellationToken ct)
    {
        const string visit = "c-zhang-htn";
        await OpenFollowUpAsync(PatientZhang, DrLi, visit, Subject, "血压控制复诊，需续药", ct);
        await Do(PatientZhang, visit, m => new AttachOfflineEvidence(m, EvidenceKind.OutpatientRecord, "HIS-OP-2025-11873", Hash("门诊病历 张伟"), "银川市第一人民医院",
            [new Diagnosis("I10", "原发性高血压")]), ct);
        await Do(PatientZhang, visit, m => new PostMessage(m, "msg-1", MessageKind.Text, "最近血压在140/90左右，药快吃完了。", null, null), ct);
        await Do(DrLi, visit, m => new PostMessage(m, "msg-2", MessageKind.Text, "继续氨氯地平，注意监测血压。", null, null), ct);
        await Do(DrLi, visit, m => new RecordDiagnosis(m, new Diagnosis("I10.x01", "高血压病1级")), ct);

        await PrescriptionAsync("rx-delivered", visit, [PrescriptionStatus.Approved, PrescriptionStatus.HandedOff, PrescriptionStatus.Dispensed, PrescriptionStatus.Delivered], ct);
        await PrescriptionAsync("rx-dispensed", visit, [PrescriptionStatus.Approved, PrescriptionStatus.HandedOff, PrescriptionStatus.Dispensed], ct);
        await PrescriptionAsync("rx-handed-off", visit, [PrescriptionStatus.Approved, PrescriptionStatus.HandedOff], ct);
        await PrescriptionAsync("rx-approved", visit, [PrescriptionStatus.Approved], ct);
        await PrescriptionAsync("rx-rejected", visit, [PrescriptionStatus.Rejected], ct);
        await PrescriptionAsync("rx-awaiting-review", visit, [], ct);
        await PrescriptionAsync("rx-cancelled", visit, [PrescriptionStatus.Cancelled], ct);
        await PrescriptionAsync("rx-draft", visit, null, ct);
        await Do(DrLi, visit, m => new CompleteConsultation(m, "血压控制尚可，续方，4周后复诊。"), ct);
    }

    /// <summary>A follow-up requested by the patient side, taken by a doctor verified for it.</summary>
    private async Task OpenFollowUpAsync(Actor requester, Actor doctor, string visit, string subject, string complaint, CancellationToken ct, string? patientId = null)
    {
        await Do(requester, visit, m => new RequestConsultation(m, visit, patientId ?? requester.Id, ConsultationKind.OnlineFollowUp, subject, complaint, false), ct);
        await Do(doctor, doctor.Id, m => new VerifyRealName(m, visit, "人脸识别"), ct);
        await Do(doctor, visit, m => new AcceptConsultation(m), ct);
    }

    /// <summary>
    /// Drafts a prescription (amlodipine, 4 weeks for a chronic disease with the reason written) and
    /// takes it through <paramref name="after"/> following the prescriber's signature; null: left as a draft.
    /// </summary>
    private async Task PrescriptionAsync(string id, string visit, PrescriptionStatus[]? after, CancellationToken ct)
    {
        await Do(DrLi, id, m => new DraftPrescription(m, id, visit, [new Diagnosis("I10.x01", "高血压病1级")],
            [new PrescriptionLine("苯磺酸氨氯地平片", DrugClass.Ordinary, "片剂", "5mg", 28, "片", "每日一次，每次5mg，口服", 28)], false, "慢性病稳定期长期用药"), ct);
        if (after is null) return;
        if (after is [PrescriptionStatus.Cancelled])
        {
            await Do(DrLi, id, m => new CancelPrescription(m, "患者已有库存，暂不需要"), ct);
            return;
        }

        var (drafted, version) = await store.LoadAsync<PrescriptionState, IPrescriptionEvent>(new("prescription", id), PrescriptionState.Initial, PrescriptionDecider.Evolve,
            cancellationToken: ct);
        var prescriber = await SignAsync(DrLi, new SubjectRef("prescription", "prescription-" + id, version), drafted.SigningHash, ct);
        await Do(DrLi, id, m => new SignPrescription(m, prescriber), ct);
        foreach (var status in after)
        {
            switch (status)
            {
                case PrescriptionStatus.Approved:
                    var reviewer = await SignAsync(PharmacistChen, new SubjectRef("prescription", "prescription-" + id, version), drafted.SigningHash, ct);
                    await Do(PharmacistChen, id, m => new ApprovePrescription(m, reviewer), ct);
                    break;
                case PrescriptionStatus.Rejected:
                    await Do(PharmacistLiu, id, m => new RejectPrescription(m, ["与在用药物重复", "请核对剂量"]), ct);
                    break;
                case PrescriptionStatus.HandedOff:
                    await Do(PharmacistChen, id, m => new HandOffPrescription(m, "pharmacy-yinchuan-01"), ct);
                    break;
                case PrescriptionStatus.Dispensed:
                    await Do(PharmacistChen, id, m => new DispensePrescription(m), ct);
                    break;
                case PrescriptionStatus.Delivered:
                    await Do(PharmacistChen, id, m => new DeliverPrescription(m, "SF1234567890"), ct);
                    break;
            }
        }
    }

    /// <summary>Xiaoming (4) sees the paediatrician with his mother present: the under-6 safeguards.</summary>
    private async Task XiaomingsFollowUpAsync(CancellationToken ct)
    {
        const string visit = "c-xiaoming-asthma";
        await OpenFollowUpAsync(XiaomingsMother, DrWang, visit, "儿科", "哮喘复诊", ct, Xiaoming.Id);
        await Do(XiaomingsMother, visit, m => new AttachOfflineEvidence(m, EvidenceKind.DiagnosisCertificate, "HIS-DX-2025-0042", Hash("诊断证明 王小明"),
            "宁夏医科大学总医院", [new Diagnosis("J45", "支气管哮喘")]), ct);
        await Do(DrWang, visit, m => new AttestChildSafeguards(m, XiaomingsMother.Id, DrWang.Id), ct);
        await Do(DrWang, visit, m => new RecordDiagnosis(m, new Diagnosis("J45.0", "过敏性哮喘")), ct);
        await Do(DrWang, visit, m => new CompleteConsultation(m, "症状稳定，继续吸入治疗，随访。"), ct);
    }

    /// <summary>Dr Zhao invites Dr Li to a remote consultation on Li's diabetes, on her written consent.</summary>
    private async Task LisRemoteConsultationAsync(CancellationToken ct)
    {
        const string visit = "c-li-remote";
        await Do(DrZhao, visit, m => new RequestConsultation(m, visit, PatientLi.Id, ConsultationKind.RemoteConsultation, "内分泌科", "糖尿病合并高血压会诊", false), ct);
        await Do(DrZhao, DrZhao.Id, m => new VerifyRealName(m, visit, "人脸识别"), ct);
        await Do(DrZhao, visit, m => new AcceptConsultation(m), ct);
        await Do(DrZhao, visit, m => new AttachOfflineEvidence(m, EvidenceKind.DischargeSummary, "HIS-IP-2025-3321", Hash("出院小结 李娜"), "银川市第一人民医院",
            [new Diagnosis("E11", "2型糖尿病")]), ct);
        await Do(DrZhao, visit, m => new RecordDiagnosis(m, new Diagnosis("E11.9", "2型糖尿病不伴并发症")), ct);
    }

    /// <summary>An outpatient record amended then signed; another signed and sealed for a dispute; a rescue note signed late.</summary>
    private async Task DocumentsAsync(CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        await Do(DrLi, "doc-zhang-op", m => new CreateDocument(m, "doc-zhang-op", PatientZhang.Id, "c-zhang-htn", DocumentKind.OutpatientRecord, "门诊病历（互联网复诊）",
            Hash("门诊病历 v1"), now), ct);
        await Do(DrLi, "doc-zhang-op", m => new AmendDocument(m, Hash("门诊病历 v2"), "补充过敏史：青霉素过敏"), ct);
        await SignDocumentAsync(DrLi, "doc-zhang-op", ct);

        await Do(DrLi, "doc-zhang-note", m => new CreateDocument(m, "doc-zhang-note", PatientZhang.Id, "c-zhang-htn", DocumentKind.ConsultationNote, "复诊记录",
            Hash("复诊记录 v1"), now), ct);
        await SignDocumentAsync(DrLi, "doc-zhang-note", ct);
        var sealingList = Hash("封存清单 DSP-2026-001: doc-zhang-note v1");
        var hospitalSide = await SignAsync(DrLi, new SubjectRef("document", "document-doc-zhang-note", 2), sealingList, ct);
        var patientSide = await SignAsync(PatientZhang, new SubjectRef("document", "document-doc-zhang-note", 2), sealingList, ct);
        await Do(QualityZhou, "doc-zhang-note", m => new SealDocument(m, "DSP-2026-001", sealingList, hospitalSide, patientSide), ct);
    }

    private async Task SignDocumentAsync(Actor signer, string documentId, CancellationToken ct)
    {
        var (document, version) = await store.LoadAsync<ClinicalDocumentState, IClinicalDocumentEvent>(new("document", documentId), ClinicalDocumentState.Initial,
            ClinicalDocumentDecider.Evolve, cancellationToken: ct);
        var signature = await SignAsync(signer, new SubjectRef("document", "document-" + documentId, version), document.Current!.SigningHash(documentId), ct);
        await Do(signer, documentId, m => new SignDocument(m, signature), ct);
    }

    private async Task AdverseEventAsync(CancellationToken ct)
    {
        var occurred = clock.GetCurrentInstant() - Duration.FromHours(3);
        await Do(PharmacistChen, "ae-zhang-edema", m => new RecordAdverseEvent(m, "ae-zhang-edema", PatientZhang.Id, AdverseEventCategory.AdverseDrugReaction,
            Severity.Moderate, "服用氨氯地平后出现踝部水肿", occurred), ct);
        await Do(PharmacistChen, "ae-zhang-edema", m => new ReportAdverseEvent(m, "宁夏药品不良反应监测中心", "ADR-2026-0815"), ct);
    }

    /// <summary>
    /// Breaches the regulator's view should find: a follow-up without informed consent, a rescue note
    /// signed after 6 hours, a signature whose device clock was far off, a nurse's break-glass read,
    /// reviews done within seconds of signing (every approval above), and a refused online first visit.
    /// </summary>
    private async Task PlantedBreachesAsync(CancellationToken ct)
    {
        await Do(PatientWu, "c-wu-no-consent", m => new RequestConsultation(m, "c-wu-no-consent", PatientWu.Id, ConsultationKind.OnlineFollowUp, "内科", "胃痛复诊", false), ct);
        await Do(PatientWu, "c-wu-first-visit", m => new RequestConsultation(m, "c-wu-first-visit", PatientWu.Id, ConsultationKind.OnlineFollowUp, "内科", "第一次胸痛", true),
            ct, expectRefusal: "visit.first_visit_online");

        var rescueEnded = clock.GetCurrentInstant() - Duration.FromHours(9);
        await Do(DrLi, "doc-zhang-rescue", m => new CreateDocument(m, "doc-zhang-rescue", PatientZhang.Id, null, DocumentKind.RescueNote, "抢救记录",
            Hash("抢救记录 v1"), rescueEnded), ct);
        await SignDocumentAsync(DrLi, "doc-zhang-rescue", ct);

        var skewed = clock.GetCurrentInstant() - Duration.FromHours(2);
        await SignAsync(DrLi, new SubjectRef("document", "document-doc-zhang-rescue", 2), Hash("skewed clock"), ct, skewed);

        var read = await reads.ReadAsync(NurseSun, new ReadRequest(PatientZhang.Id, PatientRecords.Resource, PurposeOfUse.Treatment, "夜班电话咨询，需查看用药"),
            (_, _) => Task.FromResult(true), ct, CommandId(++_position));
        if (read.Refusal is { } refused) throw new DemoStepRefusedException("nurse's break-glass read", refused);
    }

    private async Task<string> SignAsync(Actor signer, SubjectRef subject, string hash, CancellationToken ct, Instant? claimedAt = null)
    {
        var id = $"sig-{_position + 1:000}-{signer.Id}";
        var value = Convert.ToBase64String(KeyOf(signer).SignData(Convert.FromHexString(hash), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        await Do(signer, id, m => new RecordSignature(m, id, subject, hash, SignatureAlgorithm.EcdsaP256WithSha256, SigningKeyOf(signer).Fingerprint, value), ct,
            claimedAt: claimedAt);
        return id;
    }

    private async Task Do(Actor actor, string recordId, Func<CommandMeta, ICommand> command, CancellationToken ct, string? expectRefusal = null,
        Instant? claimedAt = null)
    {
        var built = command(new CommandMeta(actor, claimedAt ?? clock.GetCurrentInstant(), CommandId(++_position)));
        var outcome = await commands.ExecuteAsync(recordId, built, new CommandCircumstances { InstitutionId = Hospital, ClientId = Script }, ct);
        if (outcome.Rejection is { } rejection && rejection.Code != expectRefusal)
            throw new DemoStepRefusedException($"{_position}: {built.GetType().Name} on {recordId}", rejection);
    }

    private static Guid CommandId(int position) => new(SHA256.HashData(Encoding.UTF8.GetBytes($"{Script}#{position}"))[..16]);

    private ECDsa KeyOf(Actor person)
    {
        if (!_keys.TryGetValue(person.Id, out var key)) _keys[person.Id] = key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key;
    }

    private SigningKey SigningKeyOf(Actor person)
    {
        var publicKey = KeyOf(person).ExportSubjectPublicKeyInfo();
        return new SigningKey(CanonicalHash.Sha256Hex(publicKey), SignatureAlgorithm.EcdsaP256WithSha256, Convert.ToBase64String(publicKey),
            Instant.FromUtc(2025, 1, 1, 0, 0), null);
    }

    private static string Hash(string content) => CanonicalHash.Sha256Hex(Encoding.UTF8.GetBytes(content));

    private static string FormHash(string form) => Hash("知情同意书 " + form);
}
