using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Execution;

/// <summary>
/// One response key of a selection set after CollectFields (spec section 6.3.2): the field nodes merged under it and
/// the field they select. Lives for one request, so its coerced arguments are computed once however many objects it runs on.
/// </summary>
internal sealed class CollectedField(string responseKey, FieldNode[] nodes, FieldDefinition? definition)
{
    public string ResponseKey { get; } = responseKey;

    public FieldNode[] Nodes { get; } = nodes;

    /// <summary>The field selected; null for <c>__typename</c>, which execution answers itself.</summary>
    public FieldDefinition? Definition { get; } = definition;

    /// <summary>A leaf (not a list) read by the default resolver: needs no resolve context nor, unless it fails, a path.</summary>
    public bool IsPlainLeaf { get; } = definition is { Resolve: null, Type.Named.IsLeafType: true } && definition.Type.Nullable is not ListType;

    /// <summary>Coerced arguments, cached on first success (a race only computes them twice).</summary>
    public IReadOnlyDictionary<string, object?>? Arguments { get; set; }
}

/// <summary>The collected fields of a selection set on one object type, with the response keys in order.</summary>
internal sealed class FieldPlan
{
    public FieldPlan(CollectedField[] fields)
    {
        Fields = fields;
        Keys = Array.ConvertAll(fields, f => f.ResponseKey);
    }

    public CollectedField[] Fields { get; }

    public string[] Keys { get; }
}
