namespace Records.Projections.Views;

/// <summary>The domain's stream types, as the event store records them (the prefix of each event type name).</summary>
public static class StreamTypes
{
    public const string Patient = "patient";
    public const string Practitioner = "practitioner";
    public const string Consent = "consent";
    public const string Consultation = "consultation";
    public const string Prescription = "prescription";
    public const string Document = "document";
    public const string Signature = "signature";
    public const string RecordAccess = "record_access";
}
