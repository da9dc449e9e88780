using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Execution;

/// <summary>
/// One response key of a selection set after CollectFields (spec section 6.3.2): the field nodes merged under it and
/// the field they select. Its coerced arguments are computed once however many objects it runs on.
/// </summary>
internal sealed class CollectedField(string responseKey, FieldNode[] nodes, FieldDefinition? definition, bool isShared)
{
    public string ResponseKey { get; } = responseKey;

    public FieldNode[] Nodes { get; } = nodes;

    /// <summary>The field selected; null for <c>__typename</c>, which execution answers itself.</summary>
    public FieldDefinition? Definition { get; } = definition;

    /// <summary>A leaf (not a list) read by the default resolver: needs no resolve context nor, unless it fails, a path.</summary>
    public bool IsPlainLeaf { get; } = definition is { Resolve: null, Type.Named.IsLeafType: true } && definition.Type.Nullable is not ListType;

    /// <summary>Whether this field belongs to a plan kept with the document and shared by requests.</summary>
    public bool IsShared { get; } = isShared;

    /// <summary>Whether the arguments read variables, so differ between requests.</summary>
    public bool ArgumentsUseVariables { get; } = nodes[0].Arguments.Any(a => UsesVariables(a.Value));

    /// <summary>Coerced arguments when they are the same for every use of this field (a race only computes them twice).</summary>
    public IReadOnlyDictionary<string, object?>? Arguments { get; set; }

    /// <summary>Whether a value literal contains a variable anywhere inside.</summary>
    public static bool UsesVariables(ValueNode value) => value switch
    {
        VariableNode => true,
        ListValueNode list => list.Values.Any(UsesVariables),
        ObjectValueNode obj => obj.Fields.Any(f => UsesVariables(f.Value)),
        _ => false,
    };
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
