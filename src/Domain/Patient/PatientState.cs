namespace Records.Domain.Patient;

using System.Collections.Immutable;
using Records.Domain.Signature;

/// <summary>A patient. There is no deletion: a patient's record is kept for its retention period and beyond.</summary>
public sealed record PatientState(
    bool Registered, string Id, string Name, Sex Sex, LocalDate DateOfBirth, string Contact, Guardian? Guardian, ImmutableList<RegisteredKey> Keys)
{
    public static readonly PatientState Initial = new(false, "", "", Sex.Unknown, default, "", null, []);

    public int AgeAt(Instant at) => ChinaTime.YearsSince(DateOfBirth, at);

    /// <summary>Whether <paramref name="personId"/> is the patient or the patient's guardian.</summary>
    public bool IsPatientOrGuardian(string personId) => personId == Id || personId == Guardian?.GuardianId;
}
