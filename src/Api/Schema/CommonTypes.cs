using Records.Api.Commands;
using Records.Api.Identity;
using Records.Domain;
using Records.Domain.RecordAccess;
using Records.GraphQL.Types;

namespace Records.Api.Schema;

/// <summary>The types every part of the records schema shares, made once so the schema holds one of each.</summary>
public sealed class CommonTypes
{
    public CommonTypes()
    {
        Rule = new ObjectType("Rule", t => t
            .Field("id", ScalarType.String.NonNull())
            .Field("source", ScalarType.String.NonNull()), description: "A rule of REGULATION.md, by its id in the rule book and its source text.");
        CommandError = new ObjectType("CommandError", t => t
            .Field("code", ScalarType.String.NonNull())
            .Field("message", ScalarType.String.NonNull())
            .Field("rule", Rule), description: "Why the domain refused a command: a stable code, a sentence, and the rule behind it.");
        WrittenEvent = new ObjectType("WrittenEvent", t => t
            .Field("eventId", ScalarType.ID.NonNull())
            .Field("eventType", ScalarType.String.NonNull())
            .Field("version", ScalarType.Int.NonNull(), ctx => (int)((WrittenEvent)ctx.Source!).Version)
            .Field("hash", ScalarType.String.NonNull())
            .Field("sequence", ScalarType.String, ctx => ((WrittenEvent)ctx.Source!).Sequence?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                description: "The global sequence number (64-bit, as text); null if the sequencer had not numbered it yet."));
        Actor = new ObjectType("Actor", t => t
            .Field("id", ScalarType.ID.NonNull())
            .Field("role", ScalarType.String.NonNull(), ctx => RecordsClaims.RoleName(((Actor)ctx.Source!).Role))
            .Field("realNameVerified", ScalarType.Boolean.NonNull()));
        PurposeOfUse = EnumType.FromEnum<PurposeOfUse>();
    }

    public ObjectType Rule { get; }

    public ObjectType CommandError { get; }

    public ObjectType WrittenEvent { get; }

    public ObjectType Actor { get; }

    public EnumType PurposeOfUse { get; }
}
