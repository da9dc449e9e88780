namespace Records.Domain.ClinicalDocument;

using Records.Domain.Patient;
using Records.Domain.Signature;

/// <summary>What a document decision needs: the patient, and the signatures the command names, by id.</summary>
public sealed record ClinicalDocumentContext(Instant Now, Regulation Regulation, PatientState? Patient, IReadOnlyDictionary<string, SignatureState> Signatures);

/// <summary>
/// An EMR document: versions that never overwrite each other, signatures, archiving, and sealing (封存) for a dispute.
/// </summary>
public static class ClinicalDocumentDecider
{
    private const string Stream = "document";

    public static Decision<IClinicalDocumentEvent> Decide(IClinicalDocumentCommand command, ClinicalDocumentState state, ClinicalDocumentContext context)
    {
        var actor = command.Meta.Actor;
        var now = context.Now;
        var findings = new Findings(context.Regulation, now);

        // Who may act comes before whether the record exists and what state it is in, so a refused caller learns neither.
        if (RoleRefusal(command, findings) is { } refusal)
        {
            return refusal;
        }

        if (command is CreateDocument create)
        {
            if (state.Created)
            {
                return Rejections.AlreadyExists(Stream);
            }

            if (context.Patient is not { Registered: true } patient || patient.Id != create.PatientId)
            {
                return Rejections.NotFound("patient");
            }

            return ValidHash(create.ContentHash) ?? findings.Decide<IClinicalDocumentEvent>(flags => new DocumentCreated(
                create.DocumentId, create.PatientId, create.ConsultationId, create.Kind, create.Title, create.ContentHash, actor.Id,
                create.EncounterEndedAt, now, flags));
        }

        if (state.Current is not { } current)
        {
            return Rejections.NotFound(Stream);
        }

        switch (command)
        {
            case AmendDocument c:
                Editable(findings, state);
                if (string.IsNullOrWhiteSpace(c.Reason))
                {
                    return Rejections.Invalid("document.amendment_without_reason", "Say why the record is amended.");
                }

                return ValidHash(c.ContentHash) ?? findings.Decide<IClinicalDocumentEvent>(
                    flags => new DocumentAmended(current.Version + 1, current.Version, c.ContentHash, c.Reason, actor.Id, now, flags));

            case SignDocument c:
                Editable(findings, state);
                if (current.SignatureId is not null)
                {
                    return Rejections.Invalid("document.already_signed", "This version is already signed.");
                }

                SignatureCheck.Covers(findings, context.Signatures.GetValueOrDefault(c.SignatureId), c.SignatureId, current.SigningHash(state.Id), actor.Id);

                // 医疗纠纷预防和处理条例 Art. 15: rescue notes within 6 hours; other records within the configured deadline.
                if (findings.Rule(RuleIds.LateSignature) is { } late)
                {
                    var deadline = late.Parameter<Deadline>();
                    var within = state.Kind == DocumentKind.RescueNote ? deadline.AfterRescue ?? deadline.Within : deadline.Within;
                    if (now > state.EncounterEndedAt + within)
                    {
                        findings.Breach(late, "document.signed_late", $"Signed {(now - state.EncounterEndedAt).TotalHours:0.#} h after the encounter; the deadline is {within.TotalHours:0.#} h.");
                    }
                }

                return findings.Decide<IClinicalDocumentEvent>(flags => new DocumentSigned(current.Version, c.SignatureId, actor.Id, now, flags));

            case ArchiveDocument:
                if (state.Archived)
                {
                    return Rejections.WrongState(Stream, "archive", "Archived");
                }

                return current.SignatureId is null
                    ? Rejections.Invalid("document.unsigned", "Sign the current version before archiving.")
                    : new DocumentArchived(actor.Id, now);

            case SealDocument c:
                if (state.Sealed)
                {
                    return Rejections.WrongState(Stream, "seal", "Sealed");
                }

                if (ValidHash(c.SealingListHash) is { } badList)
                {
                    return badList;
                }

                // 电子病历应用管理规范（试行） Art. 23; 医疗纠纷预防和处理条例 Art. 24: both parties present, sealing list signed by both.
                if (!SignedByBothParties(c, context))
                {
                    findings.Breach(RuleIds.SealWithBothParties, "document.seal_without_both_parties",
                        "Sealing needs the sealing list signed by the hospital and by the patient or their guardian.");
                }

                return findings.Decide<IClinicalDocumentEvent>(
                    flags => new DocumentSealed(c.DisputeRef, c.SealingListHash, c.InstitutionSignatureId, c.PatientSideSignatureId, now, flags));

            case SealCompletedPart c:
                if (!state.Sealed)
                {
                    return Rejections.WrongState(Stream, "add a sealed part to", "Unsealed");
                }

                return ValidHash(c.ContentHash)
                    ?? findings.Decide<IClinicalDocumentEvent>(flags => new CompletedPartSealed(c.ContentHash, c.Description, now, flags));

            case UnsealDocument c:
                if (state.SealedAt is not { } sealedAt)
                {
                    return Rejections.WrongState(Stream, "unseal", "Unsealed");
                }

                // 医疗纠纷预防和处理条例 Art. 24: unseal once resolved, or after 3 years without a claim.
                if (findings.Rule(RuleIds.UnsealWhenResolvedOrExpired) is { } unseal)
                {
                    var years = unseal.Parameter<MinimumYears>().Years;
                    if (c.Ground == UnsealGround.DisputeResolved && string.IsNullOrWhiteSpace(c.ResolutionRef))
                    {
                        findings.Breach(unseal, "document.unseal_without_resolution", "Name the resolution of the dispute to unseal.");
                    }
                    else if (c.Ground == UnsealGround.NoClaimWithinPeriod && ChinaTime.YearsSince(ChinaTime.DateOf(sealedAt), now) < years)
                    {
                        findings.Breach(unseal, "document.unseal_too_early", $"Without a resolution, a seal is lifted only after {years} years.");
                    }
                }

                return findings.Decide<IClinicalDocumentEvent>(flags => new DocumentUnsealed(c.Ground, c.ResolutionRef, now, flags));

            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name);
        }
    }

    public static ClinicalDocumentState Evolve(ClinicalDocumentState state, IClinicalDocumentEvent @event) => @event switch
    {
        DocumentCreated e => ClinicalDocumentState.Initial with
        {
            Created = true, Id = e.DocumentId, PatientId = e.PatientId, Kind = e.Kind, EncounterEndedAt = e.EncounterEndedAt,
            Versions = [new DocumentVersion(1, null, e.ContentHash, e.AuthorId, e.CreatedAt, null)],
        },
        DocumentAmended e => state with { Versions = state.Versions.Add(new DocumentVersion(e.Version, e.Replaces, e.ContentHash, e.AuthorId, e.AmendedAt, null)) },
        DocumentSigned e => state with { Versions = state.Versions.SetItem(state.Versions.Count - 1, state.Current! with { SignatureId = e.SignatureId }) },
        DocumentArchived => state with { Archived = true },
        DocumentSealed e => state with { SealedAt = e.SealedAt },
        CompletedPartSealed e => state with { SealedParts = state.SealedParts.Add(e.ContentHash) },
        DocumentUnsealed => state with { SealedAt = null },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name),
    };

    /// <summary>
    /// Who may give <paramref name="command"/>, on any document: records are written, signed and added to by clinicians, never by a
    /// machine (a breach of a rule, in <paramref name="findings"/>); archived by clinicians and the records office; sealed and
    /// unsealed by quality or an administrator.
    /// </summary>
    private static Rejection? RoleRefusal(IClinicalDocumentCommand command, Findings findings)
    {
        var role = command.Meta.Actor.Role;
        switch (command)
        {
            case CreateDocument or AmendDocument or SignDocument or SealCompletedPart:
                if (command.Meta.Actor.IsMachine)
                {
                    // 互联网诊疗监管细则（试行）: AI may assist but not replace the clinician.
                    findings.Breach(RuleIds.NoMachineClinician, "document.machine_author", "An AI or a machine account cannot author or sign a medical record.");
                    return findings.Rejection;
                }

                return role is Role.Physician or Role.Nurse or Role.Pharmacist ? null : Rejections.NotAllowed(Stream, "write medical records", role);
            case ArchiveDocument when role is not (Role.Physician or Role.Nurse or Role.QualityManager or Role.Administrator):
                return Rejections.NotAllowed(Stream, "archive records", role);
            case SealDocument when role is not (Role.QualityManager or Role.Administrator):
                return Rejections.NotAllowed(Stream, "seal records", role);
            case UnsealDocument when role is not (Role.QualityManager or Role.Administrator):
                return Rejections.NotAllowed(Stream, "unseal records", role);
            default:
                return null;
        }
    }

    private static void Editable(Findings findings, ClinicalDocumentState state)
    {
        // 电子病历应用管理规范（试行） Art. 23: a sealed record is readable, not editable.
        if (state.Sealed)
        {
            findings.Breach(RuleIds.NoEditWhenSealed, "document.sealed", "This record is sealed for a dispute: it can be read, not changed.");
        }

        // 电子病历应用管理规范（试行） Art. 14: an archived record is not edited.
        if (state.Archived)
        {
            findings.Breach(RuleIds.NoEditWhenArchived, "document.archived", "This record is archived and cannot be changed.");
        }
    }

    private static Rejection? ValidHash(string hash) =>
        CanonicalHash.IsSha256Hex(hash) ? null : Rejections.Invalid("document.invalid_hash", "Identify content by its SHA-256 hash in lower-case hex.");

    private static bool SignedByBothParties(SealDocument c, ClinicalDocumentContext context) =>
        context.Patient is { } patient
        && context.Signatures.GetValueOrDefault(c.InstitutionSignatureId) is { Recorded: true } hospital
        && context.Signatures.GetValueOrDefault(c.PatientSideSignatureId) is { Recorded: true } patientSide
        && hospital.SubjectHash == c.SealingListHash && patientSide.SubjectHash == c.SealingListHash
        && patient.IsPatientOrGuardian(patientSide.SignerId) && !patient.IsPatientOrGuardian(hospital.SignerId);
}
