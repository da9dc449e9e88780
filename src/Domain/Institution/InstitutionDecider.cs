namespace Records.Domain.Institution;

public sealed record InstitutionContext(Instant Now);

/// <summary>The Internet hospital's own record. Only an administrator changes it.</summary>
public static class InstitutionDecider
{
    private const string Stream = "institution";

    public static Decision<IInstitutionEvent> Decide(IInstitutionCommand command, InstitutionState state, InstitutionContext context)
    {
        if (command.Meta.Actor.Role != Role.Administrator)
        {
            return Rejections.NotAllowed(Stream, "change the institution's record", command.Meta.Actor.Role);
        }

        if (command is RegisterInstitution register)
        {
            if (state.Registered)
            {
                return Rejections.AlreadyExists(Stream);
            }

            return Decision<IInstitutionEvent>.Unless(NoBlank(register.Subjects), new InstitutionRegistered(
                register.InstitutionId, register.Name, register.LicenceNumber, register.PhysicalInstitution, register.ProvinceCode,
                register.Subjects, context.Now));
        }

        if (!state.Registered)
        {
            return Rejections.NotFound(Stream);
        }

        return command switch
        {
            ApproveSubjects c => Decision<IInstitutionEvent>.Unless(NoBlank(c.Subjects), new SubjectsApproved(c.Subjects, context.Now)),
            PublishServiceTerms c when c.ReplyLimit <= Duration.Zero || c.Fees.Any(f => f.AmountFen < 0) =>
                Rejections.Invalid("institution.invalid_terms", "The reply limit must be positive and no fee negative."),
            PublishServiceTerms c => new ServiceTermsPublished(c.ReplyLimit, c.Fees, context.Now),
            ConnectToPlatform c => new ConnectedToPlatform(c.PlatformCode, context.Now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
        };
    }

    public static InstitutionState Evolve(InstitutionState state, IInstitutionEvent @event) => @event switch
    {
        InstitutionRegistered e => state with
        {
            Registered = true, Id = e.InstitutionId, Name = e.Name, ProvinceCode = e.ProvinceCode, Subjects = [.. e.Subjects],
        },
        SubjectsApproved e => state with { Subjects = [.. e.Subjects] },
        ServiceTermsPublished e => state with { ReplyLimit = e.ReplyLimit, Fees = [.. e.Fees] },
        ConnectedToPlatform e => state with { PlatformCode = e.PlatformCode },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name),
    };

    private static Rejection? NoBlank(IReadOnlyList<string> subjects) =>
        subjects.Count == 0 || subjects.Any(string.IsNullOrWhiteSpace)
            ? Rejections.Invalid("institution.invalid_subjects", "List at least one approved subject (诊疗科目), none blank.")
            : null;
}
