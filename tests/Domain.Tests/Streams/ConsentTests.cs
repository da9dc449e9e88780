namespace Records.Domain.Tests.Streams;

using Records.Domain.Consent;
using Records.Domain.Patient;
using Records.Domain.Signature;
using static Records.Domain.Consent.ConsentDecider;

public class ConsentTests
{
    private static readonly string Form = Hash("远程会诊知情同意书 v2");
    private static readonly PatientState Child = PatientAged(ageYears: 5, guardian: Mother);

    private static GrantConsent Grant(Actor? by = null, string? signatureId = "sig-consent") =>
        new(By(by ?? GuardianActor), "cs-1", PatientActor.Id, ConsentScope.RemoteConsultation, "v2", Form, "c-1", signatureId);

    private static string Terms => Records.Domain.Serialization.CanonicalHash.Of(
        new ConsentTerms("cs-1", PatientActor.Id, ConsentScope.RemoteConsultation, "v2", Form, "c-1"));

    private static ConsentContext Ctx(SignatureState? signature = null, PatientState? patient = null) => new(T0, Regulation(), patient ?? Child, signature);

    [Fact]
    public void Full_lifecycle_written_consent_granted_by_the_guardian_then_withdrawn()
    {
        var granted = Decide(Grant(), ConsentState.Initial, Ctx(Signatures.Signed(GuardianActor, Terms, "sig-consent"))).Accepted().One<ConsentGranted>();
        Assert.True(granted.ByGuardian);
        var state = Evolve(ConsentState.Initial, granted);
        Assert.True(state.IsWrittenConsentFor(PatientActor.Id, ConsentScope.RemoteConsultation, "c-1"));
        Assert.False(state.IsWrittenConsentFor(PatientActor.Id, ConsentScope.RemoteConsultation, "c-2"));

        var withdrawn = Decide(new WithdrawConsent(By(PatientActor), "改变主意"), state, Ctx()).Accepted().Aggregate(state, Evolve);
        Assert.Equal(ConsentStatus.Withdrawn, withdrawn.Status);
        Assert.False(withdrawn.IsWrittenConsentFor(PatientActor.Id, ConsentScope.RemoteConsultation, "c-1"));
    }

    [Fact]
    public void Illegal_transitions_are_rejected_with_their_code()
    {
        var state = Evolve(ConsentState.Initial, Decide(Grant(signatureId: null), ConsentState.Initial, Ctx()).Accepted().Single());
        Decide(Grant(signatureId: null), state, Ctx()).Rejected("consent.already_exists");
        Decide(new WithdrawConsent(By(PatientActor), "x"), ConsentState.Initial, Ctx()).Rejected("consent.not_found");
        var withdrawn = Evolve(state, Decide(new WithdrawConsent(By(PatientActor), "x"), state, Ctx()).Accepted().Single());
        Decide(new WithdrawConsent(By(PatientActor), "x"), withdrawn, Ctx()).Rejected("consent.illegal_transition");
        // Who may act is answered before the record's state: another person learns neither that it exists nor that it was withdrawn.
        Decide(new WithdrawConsent(By(OtherDoctor), "x"), withdrawn, Ctx()).Rejected("consent.grantor_not_patient_or_guardian");
        Decide(Grant(by: OtherDoctor, signatureId: null), state, Ctx()).Rejected("consent.grantor_not_patient_or_guardian");
        Decide(new WithdrawConsent(By(OtherDoctor), "x"), state, Ctx()).Rejected("consent.grantor_not_patient_or_guardian");
        Decide(Grant(by: OtherDoctor, signatureId: null), ConsentState.Initial, Ctx()).Rejected("consent.grantor_not_patient_or_guardian");
        Decide(Grant(signatureId: null) with { FormTextHash = "v2" }, ConsentState.Initial, Ctx()).Rejected("consent.invalid_form_hash");
        // A patient not registered has nobody who may consent for them.
        Decide(Grant(signatureId: null), ConsentState.Initial, Ctx() with { Patient = null }).Rejected("consent.grantor_not_patient_or_guardian");
    }

    // 中华人民共和国电子签名法 Art. 13: written consent is signed by the grantor over these terms.
    [Fact]
    public void E_signature_law_a_written_consent_is_signed_by_the_grantor_over_its_terms()
    {
        Decide(Grant(), ConsentState.Initial, Ctx()).Rejected("signature.not_recorded", RuleIds.ReliableSignature);
        Decide(Grant(), ConsentState.Initial, Ctx(Signatures.Signed(PatientActor, Terms, "sig-consent"))).Rejected("signature.wrong_signer", RuleIds.ReliableSignature);
        Decide(Grant(), ConsentState.Initial, Ctx(Signatures.Signed(GuardianActor, Hash("other form"), "sig-consent")))
            .Rejected("signature.wrong_content", RuleIds.ReliableSignature);
    }
}
