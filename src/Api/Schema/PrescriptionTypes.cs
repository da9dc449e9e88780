using Records.GraphQL.Types;

namespace Records.Api.Schema;

/// <summary>The prescription as clinicians and mutations show it.</summary>
public sealed class PrescriptionTypes
{
    public ObjectType Prescription { get; } = new("Prescription", t => t
        .Field("prescriptionId", ScalarType.ID.NonNull())
        .Field("consultationId", ScalarType.ID.NonNull())
        .Field("status", ScalarType.String.NonNull())
        .Field("prescriberId", ScalarType.ID.NonNull())
        .Field("reviewerId", ScalarType.ID));
}
