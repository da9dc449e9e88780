namespace Records.Domain.Tests.Streams;

using Records.Domain.ClinicalDocument;
using Records.Domain.Patient;
using Records.Domain.Signature;
using static Records.Domain.ClinicalDocument.ClinicalDocumentDecider;

public class ClinicalDocumentTests
{
    private static readonly string SealingList = Hash("sealing list: doc-1 v2");

    private static ClinicalDocumentContext Ctx(Instant? now = null, PatientState? patient = null, params SignatureState[] signatures) =>
        new(now ?? T0, Regulation(), patient ?? PatientAged(guardian: Mother), signatures.ToDictionary(s => s.Id));

    private static ClinicalDocumentState Apply(ClinicalDocumentState state, Decision<IClinicalDocumentEvent> decision) =>
        decision.Accepted().Aggregate(state, Evolve);

    private static CreateDocument Create(DocumentKind kind = DocumentKind.OutpatientRecord, Actor? by = null) =>
        new(By(by ?? Doctor), "doc-1", PatientActor.Id, "c-1", kind, "门诊病历", Hash("v1"), T0);

    private static ClinicalDocumentState Created(DocumentKind kind = DocumentKind.OutpatientRecord) =>
        Apply(ClinicalDocumentState.Initial, Decide(Create(kind), ClinicalDocumentState.Initial, Ctx()));

    private static ClinicalDocumentState Signed(ClinicalDocumentState state) =>
        Apply(state, Decide(new SignDocument(By(Doctor), "sig-doc"), state, Ctx(null, null, SignatureOf(state))));

    private static SignatureState SignatureOf(ClinicalDocumentState state, Actor? signer = null) =>
        Signatures.Signed(signer ?? Doctor, state.Current!.SigningHash(state.Id), "sig-doc", "document", state.Id);

    private static SealDocument Seal() => new(By(Quality), "dispute-7", SealingList, "sig-hospital", "sig-patient");

    private static ClinicalDocumentContext SealCtx(Actor? patientSide = null, string? patientSideHash = null) => Ctx(null, null,
        Signatures.Signed(Quality, SealingList, "sig-hospital", "document", "doc-1"),
        Signatures.Signed(patientSide ?? GuardianActor, patientSideHash ?? SealingList, "sig-patient", "document", "doc-1"));

    private static ClinicalDocumentState Sealed() => Apply(Created(), Decide(Seal(), Created(), SealCtx()));

    [Fact]
    public void Full_lifecycle_create_amend_sign_archive()
    {
        var amended = Apply(Created(), Decide(new AmendDocument(By(Doctor), Hash("v2"), "补充过敏史"), Created(), Ctx()));
        Assert.Equal([1, 2], amended.Versions.Select(v => v.Version));
        Assert.Equal(1, amended.Current!.Replaces);
        Assert.Equal(Hash("v1"), amended.Versions[0].ContentHash); // nothing is overwritten

        var signed = Signed(amended);
        Assert.Equal("sig-doc", signed.Current!.SignatureId);

        var archived = Apply(signed, Decide(new ArchiveDocument(By(Quality)), signed, Ctx()));
        Assert.True(archived.Archived);
    }

    [Fact]
    public void Illegal_transitions_are_rejected_with_their_code()
    {
        Decide(new AmendDocument(By(Doctor), Hash("v2"), "x"), ClinicalDocumentState.Initial, Ctx()).Rejected("document.not_found");
        Decide(Create(), Created(), Ctx()).Rejected("document.already_exists");
        Decide(new ArchiveDocument(By(Quality)), Created(), Ctx()).Rejected("document.unsigned");
        Decide(new SignDocument(By(Doctor), "sig-doc"), Signed(Created()), Ctx(null, null, SignatureOf(Created()))).Rejected("document.already_signed");
        Decide(new AmendDocument(By(Doctor), Hash("v2"), " "), Created(), Ctx()).Rejected("document.amendment_without_reason");
        Decide(new AmendDocument(By(Doctor), "v2", "x"), Created(), Ctx()).Rejected("document.invalid_hash");
        Decide(new AmendDocument(By(Quality), Hash("v2"), "x"), Created(), Ctx()).Rejected("document.role_not_allowed");
        Decide(new SealCompletedPart(By(Doctor), Hash("part"), "会诊记录"), Created(), Ctx()).Rejected("document.illegal_transition");
        Decide(new UnsealDocument(By(Quality), UnsealGround.DisputeResolved, "调解书"), Created(), Ctx()).Rejected("document.illegal_transition");
        Decide(Seal(), Sealed(), SealCtx()).Rejected("document.illegal_transition");
        Decide(Seal() with { Meta = By(Doctor) }, Created(), SealCtx()).Rejected("document.role_not_allowed");
        Decide(Create(), ClinicalDocumentState.Initial, Ctx() with { Patient = null }).Rejected("patient.not_found");
    }

    // 互联网诊疗监管细则（试行）: AI may not author a record.
    [Fact]
    public void Supervision_rules_a_machine_cannot_author_a_record()
    {
        Decide(Create(by: Ai), ClinicalDocumentState.Initial, Ctx()).Rejected("document.machine_author", RuleIds.NoMachineClinician);
    }

    // 电子病历应用管理规范（试行） Art. 14: an archived record is not edited.
    [Fact]
    public void Emr_norms_an_archived_record_is_not_amended()
    {
        var archived = Apply(Signed(Created()), Decide(new ArchiveDocument(By(Quality)), Signed(Created()), Ctx()));
        Decide(new AmendDocument(By(Doctor), Hash("v2"), "改"), archived, Ctx()).Rejected("document.archived", RuleIds.NoEditWhenArchived);
        Decide(new ArchiveDocument(By(Quality)), archived, Ctx()).Rejected("document.illegal_transition");
    }

    // 电子病历应用管理规范（试行） Art. 23: a sealed record is readable, not editable; later parts are sealed as completed.
    [Fact]
    public void Emr_norms_a_sealed_record_is_not_amended_or_signed_but_later_parts_are_sealed()
    {
        var sealedDoc = Sealed();
        Decide(new AmendDocument(By(Doctor), Hash("v2"), "改"), sealedDoc, Ctx()).Rejected("document.sealed", RuleIds.NoEditWhenSealed);
        Decide(new SignDocument(By(Doctor), "sig-doc"), sealedDoc, Ctx(null, null, SignatureOf(sealedDoc))).Rejected("document.sealed", RuleIds.NoEditWhenSealed);

        var withPart = Apply(sealedDoc, Decide(new SealCompletedPart(By(Doctor), Hash("part"), "会诊记录"), sealedDoc, Ctx()));
        Assert.Equal([Hash("part")], withPart.SealedParts);
    }

    // 医疗纠纷预防和处理条例 Art. 24: sealing with both parties' signatures on the sealing list.
    [Fact]
    public void Dispute_regulation_sealing_needs_both_parties_signatures_on_the_list()
    {
        Decide(Seal(), Created(), SealCtx()).Accepted();
        Decide(Seal(), Created(), SealCtx(patientSide: PatientActor)).Accepted();
        Decide(Seal(), Created(), SealCtx(patientSide: OtherDoctor)).Rejected("document.seal_without_both_parties", RuleIds.SealWithBothParties);
        Decide(Seal(), Created(), SealCtx(patientSideHash: Hash("another list"))).Rejected("document.seal_without_both_parties", RuleIds.SealWithBothParties);
        Decide(Seal(), Created(), Ctx(null, null, Signatures.Signed(Quality, SealingList, "sig-hospital")))
            .Rejected("document.seal_without_both_parties", RuleIds.SealWithBothParties);
    }

    // 医疗纠纷预防和处理条例 Art. 24: unseal once resolved, or after 3 years without a claim.
    [Fact]
    public void Dispute_regulation_unsealing_needs_a_resolution_or_three_years()
    {
        var sealedDoc = Sealed();
        Decide(new UnsealDocument(By(Quality), UnsealGround.DisputeResolved, null), sealedDoc, Ctx())
            .Rejected("document.unseal_without_resolution", RuleIds.UnsealWhenResolvedOrExpired);
        Decide(new UnsealDocument(By(Quality), UnsealGround.NoClaimWithinPeriod, null), sealedDoc, Ctx(T0.Plus(Duration.FromDays(365 * 2))))
            .Rejected("document.unseal_too_early", RuleIds.UnsealWhenResolvedOrExpired);

        Decide(new UnsealDocument(By(Quality), UnsealGround.NoClaimWithinPeriod, null), sealedDoc, Ctx(T0.Plus(Duration.FromDays(366 * 3)))).Accepted();
        var unsealed = Apply(sealedDoc, Decide(new UnsealDocument(By(Quality), UnsealGround.DisputeResolved, "调解书 2026-01"), sealedDoc, Ctx()));
        Assert.False(unsealed.Sealed);
        Decide(new AmendDocument(By(Doctor), Hash("v2"), "补充"), unsealed, Ctx()).Accepted();
    }

    // 中华人民共和国电子签名法 Art. 13: the signer's own signature over this version.
    [Fact]
    public void E_signature_law_a_document_signature_covers_the_current_version()
    {
        var amended = Apply(Created(), Decide(new AmendDocument(By(Doctor), Hash("v2"), "补充"), Created(), Ctx()));
        Decide(new SignDocument(By(Doctor), "sig-doc"), amended, Ctx(null, null, SignatureOf(Created()))).Rejected("signature.wrong_content", RuleIds.ReliableSignature);
        Decide(new SignDocument(By(Doctor), "sig-doc"), amended, Ctx(null, null, SignatureOf(amended, OtherDoctor))).Rejected("signature.wrong_signer", RuleIds.ReliableSignature);
        Decide(new SignDocument(By(Doctor), "sig-doc"), amended, Ctx()).Rejected("signature.not_recorded", RuleIds.ReliableSignature);
    }

    // 医疗纠纷预防和处理条例 Art. 15 (rescue notes within 6 h) and the configured deadline for other records: flagged, not stopped.
    [Fact]
    public void Dispute_regulation_a_late_signature_is_flagged()
    {
        var onTime = Decide(new SignDocument(By(Doctor), "sig-doc"), Created(), Ctx(T0.Plus(Duration.FromHours(23)), null, SignatureOf(Created())));
        Assert.Empty(onTime.Accepted().One<DocumentSigned>().Flags);

        var late = Decide(new SignDocument(By(Doctor), "sig-doc"), Created(), Ctx(T0.Plus(Duration.FromHours(25)), null, SignatureOf(Created())));
        Assert.Equal(("document.signed_late", RuleIds.LateSignature), (Assert.Single(late.Accepted().One<DocumentSigned>().Flags) is var f ? (f.Code, f.RuleId) : default));

        var rescue = Created(DocumentKind.RescueNote);
        var lateRescue = Decide(new SignDocument(By(Doctor), "sig-doc"), rescue, Ctx(T0.Plus(Duration.FromHours(7)), null, SignatureOf(rescue)));
        Assert.Equal(RuleIds.LateSignature, Assert.Single(lateRescue.Accepted().One<DocumentSigned>().Flags).RuleId);
        var rescueOnTime = Decide(new SignDocument(By(Doctor), "sig-doc"), rescue, Ctx(T0.Plus(Duration.FromHours(5)), null, SignatureOf(rescue)));
        Assert.Empty(rescueOnTime.Accepted().One<DocumentSigned>().Flags);
    }
}
