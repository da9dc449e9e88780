using Records.Domain.Consent;
using Records.Domain.Institution;
using Records.Domain.Patient;
using Records.Domain.Practitioner;
using Records.Domain.Signature;

namespace Records.Projections.Regulator;

// Institutions, patients, consents, practitioners and signatures: the facts the indicators judge by, and the
// practitioner qualification register.
internal sealed partial class Detector
{
    private async Task<Scope> Institution(string id, IInstitutionEvent e, CancellationToken ct)
    {
        var institution = await ws.GetAsync<InstitutionFacts>("institution", id, ct) ?? new InstitutionFacts { Id = id };
        switch (e)
        {
            case InstitutionRegistered x:
                institution.ProvinceCode = x.ProvinceCode;
                break;
            case ServiceTermsPublished x:
                institution.ReplyLimit = x.ReplyLimit;
                break;
        }

        ws.Put("institution", id, institution);
        return new Scope($"institution:{id}", new(institution.ProvinceCode, id), null, null);
    }

    private async Task<Scope> Patient(string id, IPatientEvent e, CancellationToken ct)
    {
        var patientRef = Pseudonym(id)!;
        if (e is PatientRegistered x)
        {
            var patient = await ws.GetAsync<PatientFacts>("patient", patientRef, ct) ?? new PatientFacts { Id = patientRef };
            patient.DateOfBirth = x.DateOfBirth;
            ws.Put("patient", patientRef, patient);
        }

        return new Scope($"patient:{patientRef}", await PlaceOf(_actorInstitution, ct), null, patientRef);
    }

    private async Task<Scope> Consent(string id, IConsentEvent e, CancellationToken ct)
    {
        var consent = await ws.GetAsync<ConsentFacts>("consent", id, ct) ?? new ConsentFacts { Id = id };
        switch (e)
        {
            case ConsentGranted x:
                consent.PatientRef = Pseudonym(x.PatientId)!;
                consent.Scope = x.Scope;
                consent.ConsultationId = x.ConsultationId;
                consent.Signed = x.SignatureId is not null;
                consent.GrantedAt = x.GrantedAt;
                var patient = await ws.GetAsync<PatientFacts>("patient", consent.PatientRef, ct) ?? new PatientFacts { Id = consent.PatientRef };
                patient.ConsentIds.Add(id);
                ws.Put("patient", consent.PatientRef, patient);
                break;
            case ConsentWithdrawn x:
                consent.WithdrawnAt = x.WithdrawnAt;
                break;
        }

        ws.Put("consent", id, consent);
        return new Scope($"consent:{id}", await PlaceOf(_actorInstitution, ct), null, consent.PatientRef);
    }

    private async Task<Scope> Practitioner(string id, IPractitionerEvent e, CancellationToken ct)
    {
        var p = await ws.GetAsync<PractitionerFacts>("practitioner", id, ct) ?? new PractitionerFacts { Id = id };
        var (kind, detail) = e switch
        {
            PractitionerRegistered x => Register(p, x),
            PractitionerEnrolled x => Enrol(p, x),
            EnrolmentEnded x => EndEnrolment(p, x),
            RealNameVerified x => Verify(p, x),
            TrainingRecorded x => ("trained", $"{x.Course}: {(x.Passed ? "passed" : "failed")} on {x.CompletedOn:yyyy-MM-dd}"),
            PractitionerSuspended x => Suspend(p, true, x.Reason),
            PractitionerReinstated x => Suspend(p, false, x.Reason),
            BadPracticePointsRecorded x => AddPoints(p, x),
            SigningKeyRegistered x => AddKey(p, x.Key),
            SigningKeyRevoked x => RevokeKey(p, x),
            _ => (e.GetType().Name, ""),
        };
        ws.Put("practitioner", id, p);
        ws.History.Add((id, _event, _at, kind, detail));
        return new Scope($"practitioner:{id}", await PlaceOf(_actorInstitution, ct), id, null);
    }

    private static (string, string) Register(PractitionerFacts p, PractitionerRegistered x)
    {
        (p.Name, p.Profession, p.Title, p.Grade, p.RegistryNumber, p.PracticeSince, p.RegisteredAt) =
            (x.Name, x.Profession, x.Title, x.Grade, x.NationalRegistryNumber, x.PracticeSince, x.RegisteredAt);
        return ("registered", $"{x.Profession} {x.Title} ({x.Grade}), registry {x.NationalRegistryNumber}, practising since {x.PracticeSince:yyyy-MM-dd}");
    }

    private static (string, string) Enrol(PractitionerFacts p, PractitionerEnrolled x)
    {
        p.Enrolments[x.InstitutionId] = new EnrolmentFacts { Kind = x.Kind, Scope = [.. x.Scope], EnrolledAt = x.EnrolledAt };
        return (x.Kind == EnrolmentKind.Registered ? "registered_here" : "filed_here", $"{x.InstitutionId}: {string.Join(", ", x.Scope)}");
    }

    private static (string, string) EndEnrolment(PractitionerFacts p, EnrolmentEnded x)
    {
        if (p.Enrolments.TryGetValue(x.InstitutionId, out var enrolment)) enrolment.EndedAt = x.EndedAt;
        return ("enrolment_ended", $"{x.InstitutionId}: {x.Reason}");
    }

    private static (string, string) Verify(PractitionerFacts p, RealNameVerified x)
    {
        p.VerifiedFor[x.ConsultationId] = x.VerifiedAt;
        return ("real_name_verified", $"consultation {x.ConsultationId} by {x.Method}");
    }

    private static (string, string) Suspend(PractitionerFacts p, bool suspended, string reason)
    {
        p.Suspended = suspended;
        return (suspended ? "suspended" : "reinstated", reason);
    }

    private static (string, string) AddPoints(PractitionerFacts p, BadPracticePointsRecorded x)
    {
        p.BadPracticePoints += x.Points;
        return ("bad_practice_points", $"{x.Points}: {x.Reason}");
    }

    private static (string, string) AddKey(PractitionerFacts p, SigningKey key)
    {
        p.Keys[key.Fingerprint] = new KeyFacts { ValidFrom = key.ValidFrom, ValidUntil = key.ValidUntil };
        return ("signing_key_registered", $"{key.Algorithm} {key.Fingerprint}");
    }

    private static (string, string) RevokeKey(PractitionerFacts p, SigningKeyRevoked x)
    {
        if (p.Keys.TryGetValue(x.Fingerprint, out var key)) key.RevokedAt = x.RevokedAt;
        return ("signing_key_revoked", $"{x.Fingerprint}: {x.Reason}");
    }

    private async Task<Scope> Signature(string id, ISignatureEvent e, CancellationToken ct)
    {
        var x = (SignatureRecorded)e;
        ws.Put("signature", id, new SignatureFacts { Id = id, SignerId = x.SignerId, KeyFingerprint = x.KeyFingerprint, SignedAt = x.SignedAt, ClaimedAt = x.ClaimedAt, Recorded = _event });
        return new Scope($"signature:{id}", await PlaceOf(_actorInstitution, ct), x.SignerId, null);
    }
}
