using NodaTime;
using Records.GraphQL.Types;
using Records.Domain.Consultation;
using Records.Projections.Views;

namespace Records.Api.Schema;

/// <summary>
/// What the read side's parts share: the time and sequence scalars, Relay connections with their page
/// info and paging arguments, events as the log identifies them, and the domain's enums.
/// </summary>
public sealed class ReadTypes
{
    public ReadTypes(DomainTypes domain)
    {
        _domain = domain;
        PageInfo = new ObjectType("PageInfo", t => t
            .Field("hasNextPage", ScalarType.Boolean.NonNull())
            .Field("hasPreviousPage", ScalarType.Boolean.NonNull())
            .Field("startCursor", ScalarType.String)
            .Field("endCursor", ScalarType.String), description: "Relay: where a page stands in its list.");
        EventRef = new ObjectType("EventRef", t => t
            .Field("eventId", ScalarType.ID.NonNull())
            .Field("streamId", ScalarType.ID.NonNull())
            .Field("version", Long.NonNull())
            .Field("sequence", Long.NonNull())
            .Field("recordedAt", Time.NonNull())
            .Field("hashAlgorithm", ScalarType.String.NonNull())
            .Field("hash", ScalarType.String.NonNull())
            .Field("previousHash", ScalarType.String.NonNull()), description: "An event as the log identifies it: what a verifier checks the hash chains against.");
        Diagnosis = domain.OutputOf(typeof(Diagnosis));
        OfflineEvidence = new ObjectType("TracedEvidence", t => t
            .Field("kind", Enum<EvidenceKind>().NonNull())
            .Field("documentRef", ScalarType.String.NonNull())
            .Field("contentHash", ScalarType.String.NonNull())
            .Field("issuedBy", ScalarType.String.NonNull())
            .Field("diagnoses", Diagnosis.NonNull().List().NonNull())
            .Field("event", EventRef.NonNull()), description: "An offline record a consultation rests on (a follow-up needs one).");
    }

    public ScalarType Date => DomainScalars.LocalDate;

    /// <summary>A read of a patient's data as the access view holds it.</summary>
    public ObjectType AccessRecord => _accessRecord ??= new ObjectType("AccessRecord", t => t
        .Field("accessId", ScalarType.ID.NonNull())
        .Field("patientId", ScalarType.ID.NonNull())
        .Field("readerId", ScalarType.ID.NonNull())
        .Field("readerRole", ScalarType.String.NonNull())
        .Field("resource", ScalarType.String.NonNull())
        .Field("purpose", ScalarType.String.NonNull())
        .Field("careRelationship", ScalarType.Boolean.NonNull(), description: "Whether the reader claimed a care relationship (or read their own record).")
        .Field("relationshipInForce", ScalarType.Boolean.NonNull(), description: "Whether the view knows a care relationship in force at the read.")
        .Field("breakGlass", ScalarType.Boolean.NonNull())
        .Field("breakGlassReason", ScalarType.String)
        .Field("readAt", Time.NonNull())
        .Field("institutionId", ScalarType.ID)
        .Field("eventId", ScalarType.ID.NonNull())
        .Field("sequence", Long.NonNull())
        .Field("review", new ObjectType("BreakGlassReview", r => r
            .Field("reviewerId", ScalarType.ID.NonNull())
            .Field("justified", ScalarType.Boolean.NonNull())
            .Field("note", ScalarType.String.NonNull())
            .Field("reviewedAt", Time.NonNull())
            .Field("eventId", ScalarType.ID.NonNull()))), description: "Who read a patient's data, when, why and on what basis.");

    private ObjectType? _accessRecord;

    public ObjectType Diagnosis { get; }

    public ObjectType OfflineEvidence { get; }

    /// <summary>An instant (the domain's scalar).</summary>
    public ScalarType Time => DomainScalars.Instant;

    /// <summary>A 64-bit number such as a global sequence (the domain's scalar).</summary>
    public ScalarType Long => DomainScalars.Long;

    public ObjectType PageInfo { get; }

    public ObjectType EventRef { get; }

    /// <summary>Relay's paging arguments: <c>first</c> after a cursor, or <c>last</c> before one.</summary>
    public static IReadOnlyList<InputValueDefinition> Paging { get; } =
        [new("first", ScalarType.Int), new("after", ScalarType.String), new("last", ScalarType.Int), new("before", ScalarType.String)];

    public static PageRequest PageOf(ResolveContext ctx) =>
        new(ctx.Argument<int?>("first"), ctx.Argument<string>("after"), ctx.Argument<int?>("last"), ctx.Argument<string>("before"));

    /// <summary>A Relay connection of <paramref name="node"/> (<c>NameConnection</c> with <c>NameEdge</c>s), read from a <see cref="Page{T}"/>.</summary>
    public ObjectType Connection(ObjectType node)
    {
        var edge = new ObjectType(node.Name + "Edge", t => t
            .Field("node", node.NonNull())
            .Field("cursor", ScalarType.String.NonNull()));
        return new ObjectType(node.Name + "Connection", t => t
            .Field("edges", edge.NonNull().List().NonNull())
            .Field("pageInfo", PageInfo.NonNull(), ctx => ctx.Source));
    }

    private readonly DomainTypes _domain;

    /// <summary>The schema's one enum type for the C# enum <typeparamref name="TEnum"/> (values in CONSTANT_CASE), shared with the mutations.</summary>
    public EnumType Enum<TEnum>() where TEnum : struct, Enum => _domain.EnumOf(typeof(TEnum));

    /// <summary>A resolver for a field of <typeparamref name="T"/> computed from the parent.</summary>
    public static Func<ResolveContext, object?> Of<T>(Func<T, object?> read) => ctx => read((T)ctx.Source!);
}
