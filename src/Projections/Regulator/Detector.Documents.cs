using Records.Domain.ClinicalDocument;
using Records.Domain.Rules;

namespace Records.Projections.Regulator;

// Clinical documents: the visit's signed record and rescue notes in time (14), edits after archive or seal,
// sealing without both parties, early unsealing (15).
internal sealed partial class Detector
{
    private const string SignedLate = "document.signed_late";

    private async Task<Scope?> Document(string id, IClinicalDocumentEvent e, CancellationToken ct)
    {
        if (e is DocumentCreated created)
        {
            return await Created(id, created, ct);
        }

        if (await ws.GetAsync<DocumentFacts>("document", id, ct) is not { } doc) return null;
        ws.Changed("document", id);
        var scope = await DocumentScope(doc, doc.ConsultationId, ct);
        switch (e)
        {
            case DocumentAmended x:
                scope = scope with { PractitionerId = x.AuthorId };
                if (doc.Sealed is not null)
                {
                    Raise(scope, RuleIds.NoEditWhenSealed, "document.sealed", "A sealed (封存) record was amended.", doc.Sealed);
                }
                else if (doc.Archived is not null)
                {
                    Raise(scope, RuleIds.NoEditWhenArchived, "document.archived", "An archived record was amended.", doc.Archived);
                }

                break;
            case DocumentSigned x:
                scope = scope with { PractitionerId = x.SignerId };
                await Signed(doc, scope, ct);
                break;
            case DocumentArchived:
                doc.Archived = _event;
                break;
            case DocumentSealed x:
                doc.Sealed = _event;
                doc.SealedAt = x.SealedAt;
                if (string.IsNullOrWhiteSpace(x.InstitutionSignatureId) || string.IsNullOrWhiteSpace(x.PatientSideSignatureId))
                {
                    Raise(scope, RuleIds.SealWithBothParties, "document.seal_without_both_parties", "Sealed without a sealing list signed by both parties.");
                }

                break;
            case DocumentUnsealed x:
                Unsealed(doc, scope, x);
                break;
        }

        return scope;
    }

    private async Task<Scope> Created(string id, DocumentCreated x, CancellationToken ct)
    {
        var doc = ws.Put("document", id, new DocumentFacts
        {
            Id = id, PatientRef = Pseudonym(x.PatientId)!, ConsultationId = x.ConsultationId, Kind = x.Kind, EncounterEndedAt = x.EncounterEndedAt, Created = _event,
        });
        var scope = await DocumentScope(doc, x.AuthorId, ct);

        // 医疗纠纷预防和处理条例 Art. 15: a rescue note is completed within 6 hours of the rescue.
        if (x.Kind == DocumentKind.RescueNote && Rule(scope, RuleIds.LateSignature) is { } late && late.Parameter<Deadline>().AfterRescue is { } afterRescue)
        {
            Expect(scope, late, SignedLate, $"The rescue note was not signed within {afterRescue.TotalHours:0.#} h of the rescue.", x.EncounterEndedAt + afterRescue);
        }

        return scope;
    }

    private async Task Signed(DocumentFacts doc, Scope scope, CancellationToken ct)
    {
        Fulfil(SignedLate, scope);
        if (doc.ConsultationId is null || await ws.GetAsync<ConsultationFacts>("consultation", doc.ConsultationId, ct) is not { } visit) return;
        visit.SignedRecord = true;
        ws.Changed("consultation", visit.Id);
        Fulfil(RecordNotSigned, await VisitScope(visit, null, ct));
    }

    // 医疗纠纷预防和处理条例 Art. 24: unsealed once the dispute is resolved, or after the period without a claim.
    private void Unsealed(DocumentFacts doc, Scope scope, DocumentUnsealed x)
    {
        if (x.Ground == UnsealGround.DisputeResolved && string.IsNullOrWhiteSpace(x.ResolutionRef))
        {
            Raise(scope, RuleIds.UnsealWhenResolvedOrExpired, "document.unseal_without_resolution", "Unsealed as resolved without naming the resolution.", doc.Sealed);
        }
        else if (x.Ground == UnsealGround.NoClaimWithinPeriod && doc.SealedAt is { } sealedAt && Rule(scope, RuleIds.UnsealWhenResolvedOrExpired) is { } unseal
                 && Domain.ChinaTime.YearsSince(Domain.ChinaTime.DateOf(sealedAt), x.UnsealedAt) < unseal.Parameter<MinimumYears>().Years)
        {
            Raise(scope, unseal, "document.unseal_too_early", $"Unsealed for want of a claim before {unseal.Parameter<MinimumYears>().Years} years had passed.", doc.Sealed);
        }

        doc.Sealed = null;
        doc.SealedAt = null;
    }

    private async Task<Scope> DocumentScope(DocumentFacts doc, string? practitionerId, CancellationToken ct)
    {
        var visit = doc.ConsultationId is null ? null : await ws.GetAsync<ConsultationFacts>("consultation", doc.ConsultationId, ct);
        return new Scope($"document:{doc.Id}", await PlaceOf(visit?.InstitutionId ?? _actorInstitution, ct), practitionerId, doc.PatientRef);
    }
}
