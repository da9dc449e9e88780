namespace Records.Domain.Practitioner;

using System.Collections.Immutable;
using Records.Domain.Signature;

public sealed record PractitionerContext(Instant Now, SignatureVerifiers Verifiers);

/// <summary>Registration, enrolment with hospitals, per-consultation real-name verification, suspension, keys.</summary>
public static class PractitionerDecider
{
    private const string Stream = "practitioner";

    public static Decision<IPractitionerEvent> Decide(IPractitionerCommand command, PractitionerState state, PractitionerContext context)
    {
        var actor = command.Meta.Actor;
        if (command is RegisterPractitioner register)
        {
            if (actor.Role != Role.Administrator)
            {
                return Rejections.NotAllowed(Stream, "register a practitioner", actor.Role);
            }

            return state.Registered
                ? Rejections.AlreadyExists(Stream)
                : new PractitionerRegistered(
                    register.PractitionerId, register.Name, register.Profession, register.Title, register.Grade, register.NationalRegistryNumber,
                    register.PracticeSince, context.Now);
        }

        // Who may act comes before whether the record exists and what state it is in, so a refused caller learns neither:
        // the hospital's quality staff and administrators keep the practitioner's record; practitioners their own keys and
        // verification (a record that does not exist is nobody's own).
        var isSelf = state.Registered && actor.Id == state.Id;
        Rejection? refusal = command switch
        {
            VerifyRealName when actor.Role != Role.Service && !(isSelf && actor.RealNameVerified) =>
                Rejections.NotAllowed(Stream, "verify a practitioner's real name", actor.Role),
            RegisterSigningKey when actor.Role != Role.Administrator && !isSelf => Rejections.NotAllowed(Stream, "register a signing key", actor.Role),
            RevokeSigningKey when actor.Role != Role.Administrator && !isSelf => Rejections.NotAllowed(Stream, "revoke a signing key", actor.Role),
            VerifyRealName or RegisterSigningKey or RevokeSigningKey => null,
            _ when actor.Role is not (Role.Administrator or Role.QualityManager) => Rejections.NotAllowed(Stream, "change a practitioner's record", actor.Role),
            _ => null,
        };
        if (refusal is not null)
        {
            return refusal;
        }

        if (!state.Registered)
        {
            return Rejections.NotFound(Stream);
        }

        return command switch
        {
            VerifyRealName c => new RealNameVerified(c.ConsultationId, c.Method, context.Now),
            RegisterSigningKey c => Decision<IPractitionerEvent>.Unless(
                SigningKeys.CheckRegistration(c.Key, state.Keys, context.Verifiers), new SigningKeyRegistered(c.Key)),
            RevokeSigningKey c when !state.Keys.Any(k => k.Key.Fingerprint == c.Fingerprint && k.RevokedAt is null) =>
                Rejections.Invalid("signing_key.not_found", "No such key in force for this practitioner."),
            RevokeSigningKey c => new SigningKeyRevoked(c.Fingerprint, c.Reason, context.Now),

            Enrol c when c.Scope.Count == 0 || c.Scope.Any(string.IsNullOrWhiteSpace) =>
                Rejections.Invalid("practitioner.invalid_scope", "List at least one subject (诊疗科目) in the practice scope, none blank."),
            Enrol c => new PractitionerEnrolled(c.InstitutionId, c.Kind, c.Scope, context.Now),
            EndEnrolment c when !state.Enrolments.ContainsKey(c.InstitutionId) =>
                Rejections.Invalid("practitioner.not_enrolled", "The practitioner is not registered or filed with that institution."),
            EndEnrolment c => new EnrolmentEnded(c.InstitutionId, c.Reason, context.Now),
            RecordTraining c => new TrainingRecorded(c.Course, c.Passed, c.CompletedOn),
            Suspend c when state.Suspended => Rejections.WrongState(Stream, "suspend", "Suspended"),
            Suspend c => new PractitionerSuspended(c.Reason, context.Now),
            Reinstate c when !state.Suspended => Rejections.WrongState(Stream, "reinstate", "Active"),
            Reinstate c => new PractitionerReinstated(c.Reason, context.Now),
            RecordBadPracticePoints c when c.Points <= 0 =>
                Rejections.Invalid("practitioner.invalid_points", "Bad-practice points are a positive number."),
            RecordBadPracticePoints c => new BadPracticePointsRecorded(c.Points, c.Reason, context.Now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
        };
    }

    public static PractitionerState Evolve(PractitionerState state, IPractitionerEvent @event) => @event switch
    {
        PractitionerRegistered e => state with
        {
            Registered = true, Id = e.PractitionerId, Name = e.Name, Profession = e.Profession, Title = e.Title, Grade = e.Grade,
            PracticeSince = e.PracticeSince,
        },
        PractitionerEnrolled e => state with { Enrolments = state.Enrolments.SetItem(e.InstitutionId, new Enrolment(e.Kind, [.. e.Scope])) },
        EnrolmentEnded e => state with { Enrolments = state.Enrolments.Remove(e.InstitutionId) },
        RealNameVerified e => state with { VerifiedForConsultations = state.VerifiedForConsultations.Add(e.ConsultationId) },
        TrainingRecorded e => state with { Trainings = state.Trainings.Add(new Training(e.Course, e.Passed, e.CompletedOn)) },
        PractitionerSuspended => state with { Suspended = true },
        PractitionerReinstated => state with { Suspended = false },
        BadPracticePointsRecorded e => state with { PointsRecords = state.PointsRecords.Add(new PointsRecord(e.Points, e.RecordedAt)) },
        SigningKeyRegistered e => state with { Keys = state.Keys.Add(new RegisteredKey(e.Key, null)) },
        SigningKeyRevoked e => state with
        {
            Keys = state.Keys.Select(k => k.Key.Fingerprint == e.Fingerprint && k.RevokedAt is null ? k with { RevokedAt = e.RevokedAt } : k).ToImmutableList(),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name),
    };
}
