namespace Records.Domain.Consent;

using Records.Domain.Patient;
using Records.Domain.Signature;

/// <summary>The patient the consent is for, and the signature named by the command (when there is one).</summary>
public sealed record ConsentContext(Instant Now, Regulation Regulation, PatientState? Patient, SignatureState? Signature);

/// <summary>Informed consent (知情同意): granted by the patient or guardian on a versioned form, signed or not, withdrawn.</summary>
public static class ConsentDecider
{
    private const string Stream = "consent";

    public static Decision<IConsentEvent> Decide(IConsentCommand command, ConsentState state, ConsentContext context)
    {
        var actor = command.Meta.Actor;
        switch (command)
        {
            // Who may act comes before whether the record exists and what state it is in, so a refused caller learns neither.
            case GrantConsent c:
                if (context.Patient is not { Registered: true } patient || patient.Id != c.PatientId || !patient.IsPatientOrGuardian(actor.Id))
                {
                    return Rejections.Invalid("consent.grantor_not_patient_or_guardian", "Only the patient or the patient's guardian can give this consent.");
                }

                if (state.Status != ConsentStatus.None)
                {
                    return Rejections.AlreadyExists(Stream);
                }

                if (!CanonicalHash.IsSha256Hex(c.FormTextHash))
                {
                    return Rejections.Invalid("consent.invalid_form_hash", "Identify the consent form by the SHA-256 hash of its text.");
                }

                var findings = new Findings(context.Regulation, context.Now);
                if (c.SignatureId is { } signatureId)
                {
                    var terms = new ConsentTerms(c.ConsentId, c.PatientId, c.Scope, c.FormVersion, c.FormTextHash, c.ConsultationId);
                    SignatureCheck.Covers(findings, context.Signature, signatureId, CanonicalHash.Of(terms), actor.Id);
                }

                return findings.Decide<IConsentEvent>(flags => new ConsentGranted(
                    c.ConsentId, c.PatientId, c.Scope, c.FormVersion, c.FormTextHash, c.ConsultationId, actor.Id, actor.Id != patient.Id,
                    c.SignatureId, context.Now, flags));

            case WithdrawConsent c:
                if (state.Status == ConsentStatus.None)
                {
                    return Rejections.NotFound(Stream);
                }

                if (context.Patient is not { } p || p.Id != state.PatientId || !p.IsPatientOrGuardian(actor.Id))
                {
                    return Rejections.Invalid("consent.grantor_not_patient_or_guardian", "Only the patient or the patient's guardian can withdraw this consent.");
                }

                return state.Status == ConsentStatus.InForce ? new ConsentWithdrawn(actor.Id, c.Reason, context.Now) : Rejections.WrongState(Stream, "withdraw", state.Status);

            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name);
        }
    }

    public static ConsentState Evolve(ConsentState state, IConsentEvent @event) => @event switch
    {
        ConsentGranted e => new ConsentState(ConsentStatus.InForce, e.ConsentId, e.PatientId, e.Scope, e.ConsultationId, e.SignatureId, e.GrantedAt),
        ConsentWithdrawn => state with { Status = ConsentStatus.Withdrawn },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name),
    };
}
