namespace Records.Domain.Patient;

using Records.Domain.Signature;

public sealed record PatientContext(Instant Now, Regulation Regulation, SignatureVerifiers Verifiers);

/// <summary>Real-name registration, guardian, contact and signing keys of a patient.</summary>
public static class PatientDecider
{
    private const string Stream = "patient";

    public static Decision<IPatientEvent> Decide(IPatientCommand command, PatientState state, PatientContext context)
    {
        var actor = command.Meta.Actor;
        if (actor.Role is not (Role.Patient or Role.Administrator or Role.Nurse or Role.Physician))
        {
            return Rejections.NotAllowed(Stream, "change a patient's registration", actor.Role);
        }

        if (command is RegisterPatient register)
        {
            if (state.Registered)
            {
                return Rejections.AlreadyExists(Stream);
            }

            // 宁夏互联网医院监管标准 隐私保护: patients register under their real name.
            var findings = new Findings(context.Regulation, context.Now);
            if (!actor.RealNameVerified || !CanonicalHash.IsSha256Hex(register.IdentityDocumentHash))
            {
                findings.Breach(RuleIds.PatientRealName, "patient.real_name_not_verified",
                    "Register the patient under a verified real name with the identity document's hash.");
            }

            if (register.DateOfBirth > ChinaTime.DateOf(context.Now))
            {
                return Rejections.Invalid("patient.invalid_birth_date", "The date of birth is in the future.");
            }

            return findings.Decide<IPatientEvent>(flags => new PatientRegistered(
                register.PatientId, register.Name, register.Sex, register.DateOfBirth, register.IdentityDocumentHash, register.Contact, context.Now, flags));
        }

        if (!state.Registered)
        {
            return Rejections.NotFound(Stream);
        }

        // A patient changes their own registration or their ward's, never another patient's.
        if (actor.Role == Role.Patient && !state.IsPatientOrGuardian(actor.Id))
        {
            return Rejections.NotAllowed(Stream, "change another patient's registration", actor.Role);
        }

        return command switch
        {
            AssignGuardian c when c.Guardian.GuardianId == state.Id =>
                Rejections.Invalid("patient.self_guardian", "A patient cannot be their own guardian."),
            AssignGuardian c => new GuardianAssigned(c.Guardian, context.Now),
            ChangeContact c => new ContactChanged(c.Contact, context.Now),
            RegisterPatientSigningKey c when !state.IsPatientOrGuardian(actor.Id) && actor.Role != Role.Administrator =>
                Rejections.NotAllowed(Stream, "register a patient's signing key", actor.Role),
            RegisterPatientSigningKey c => Decision<IPatientEvent>.Unless(
                SigningKeys.CheckRegistration(c.Key, state.Keys, context.Verifiers), new PatientSigningKeyRegistered(c.Key)),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
        };
    }

    public static PatientState Evolve(PatientState state, IPatientEvent @event) => @event switch
    {
        PatientRegistered e => state with
        {
            Registered = true, Id = e.PatientId, Name = e.Name, Sex = e.Sex, DateOfBirth = e.DateOfBirth, Contact = e.Contact,
        },
        GuardianAssigned e => state with { Guardian = e.Guardian },
        ContactChanged e => state with { Contact = e.Contact },
        PatientSigningKeyRegistered e => state with { Keys = state.Keys.Add(new RegisteredKey(e.Key, null)) },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name),
    };
}
