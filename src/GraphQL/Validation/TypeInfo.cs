using Records.GraphQL.Introspection;
using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Validation;

/// <summary>
/// Tracks, while a document is walked, the schema elements each node refers to (graphql-js's TypeInfo): the
/// output type and parent type of a selection, the field, directive and argument definitions, and the input
/// type, default and enum value of a value. Unknown names give null rather than errors: rules report those.
/// Call <see cref="Enter"/> before visitors enter a node and <see cref="Leave"/> after they leave it.
/// </summary>
public sealed class TypeInfo(Schema schema)
{
    private readonly List<GraphQLType?> _typeStack = [];
    private readonly List<NamedType?> _parentTypeStack = [];
    private readonly List<GraphQLType?> _inputTypeStack = [];
    private readonly List<FieldDefinition?> _fieldDefinitionStack = [];
    private readonly List<bool> _defaultValueStack = [];

    public Schema Schema { get; } = schema;

    /// <summary>The output type of the current selection set or field.</summary>
    public GraphQLType? Type => Top(_typeStack);

    /// <summary>The composite type whose fields the current selection set selects.</summary>
    public NamedType? ParentType => Top(_parentTypeStack);

    /// <summary>The input type expected at the current value, argument or variable definition.</summary>
    public GraphQLType? InputType => Top(_inputTypeStack);

    /// <summary>The input type enclosing the current one (e.g. the list around an item).</summary>
    public GraphQLType? ParentInputType => _inputTypeStack.Count > 1 ? _inputTypeStack[^2] : null;

    public FieldDefinition? FieldDefinition => Top(_fieldDefinitionStack);

    /// <summary>Whether the argument or input field the current value is for has a default value.</summary>
    public bool HasDefaultValue => _defaultValueStack.Count > 0 && _defaultValueStack[^1];

    public DirectiveDefinition? Directive { get; private set; }

    public InputValueDefinition? Argument { get; private set; }

    public EnumValueDefinition? EnumValue { get; private set; }

    private static T? Top<T>(List<T?> stack) where T : class => stack.Count > 0 ? stack[^1] : null;

    public void Enter(Node node)
    {
        switch (node)
        {
            case SelectionSetNode:
                _parentTypeStack.Add(Type?.Named is { IsCompositeType: true } composite ? composite : null);
                break;
            case FieldNode field:
            {
                var definition = ParentType is { } parent ? GetFieldDefinition(Schema, parent, field.Name.Value) : null;
                _fieldDefinitionStack.Add(definition);
                _typeStack.Add(definition?.Type is { IsOutputType: true } output ? output : null);
                break;
            }
            case DirectiveNode directive:
                Directive = Schema.GetDirective(directive.Name.Value);
                break;
            case OperationDefinitionNode operation:
                _typeStack.Add(Schema.GetRootType(operation.Operation));
                break;
            case InlineFragmentNode inline:
                PushFragmentType(inline.TypeCondition is { } condition ? TypeFromAst(Schema, condition) : Type?.Named);
                break;
            case FragmentDefinitionNode fragment:
                PushFragmentType(TypeFromAst(Schema, fragment.TypeCondition));
                break;
            case VariableDefinitionNode variableDefinition:
                _inputTypeStack.Add(TypeFromAst(Schema, variableDefinition.Type) is { IsInputType: true } variableType ? variableType : null);
                break;
            case ArgumentNode argument:
            {
                var definition = Directive is { } directive
                    ? directive.GetArgument(argument.Name.Value)
                    : FieldDefinition?.GetArgument(argument.Name.Value);
                Argument = definition;
                _defaultValueStack.Add(definition?.HasDefaultValue ?? false);
                _inputTypeStack.Add(definition?.Type is { IsInputType: true } argumentType ? argumentType : null);
                break;
            }
            case ListValueNode:
            {
                var listType = InputType?.Nullable;
                var itemType = listType is ListType list ? list.OfType : listType;
                _defaultValueStack.Add(false);
                _inputTypeStack.Add(itemType is { IsInputType: true } ? itemType : null);
                break;
            }
            case ObjectFieldNode objectField:
            {
                var inputField = InputType?.Named is InputObjectType inputObject
                    ? inputObject.Fields.GetValueOrDefault(objectField.Name.Value)
                    : null;
                _defaultValueStack.Add(inputField?.HasDefaultValue ?? false);
                _inputTypeStack.Add(inputField?.Type is { IsInputType: true } fieldType ? fieldType : null);
                break;
            }
            case EnumValueNode enumValue:
                EnumValue = InputType?.Named is EnumType enumType ? enumType.GetValue(enumValue.Value) : null;
                break;
        }
    }

    public void Leave(Node node)
    {
        switch (node)
        {
            case SelectionSetNode:
                Pop(_parentTypeStack);
                break;
            case FieldNode:
                Pop(_fieldDefinitionStack);
                Pop(_typeStack);
                break;
            case DirectiveNode:
                Directive = null;
                break;
            case OperationDefinitionNode or InlineFragmentNode or FragmentDefinitionNode:
                Pop(_typeStack);
                break;
            case VariableDefinitionNode:
                Pop(_inputTypeStack);
                break;
            case ArgumentNode:
                Argument = null;
                Pop(_defaultValueStack);
                Pop(_inputTypeStack);
                break;
            case ListValueNode or ObjectFieldNode:
                Pop(_defaultValueStack);
                Pop(_inputTypeStack);
                break;
            case EnumValueNode:
                EnumValue = null;
                break;
        }
    }

    private void PushFragmentType(GraphQLType? type) => _typeStack.Add(type is { IsOutputType: true } ? type : null);

    private static void Pop<T>(List<T> stack) => stack.RemoveAt(stack.Count - 1);

    /// <summary>The type a type reference names, or null when a named type in it is not in the schema.</summary>
    public static GraphQLType? TypeFromAst(Schema schema, TypeNode node) => node switch
    {
        NamedTypeNode named => GetNamedType(schema, named.Name.Value),
        ListTypeNode list => TypeFromAst(schema, list.Type) is { } item ? new ListType(item) : null,
        NonNullTypeNode nonNull => TypeFromAst(schema, nonNull.Type) is { } inner ? new NonNullType(inner) : null,
        _ => null,
    };

    /// <summary>The named type of the schema, or the introspection type, of that name; null when there is none.</summary>
    public static NamedType? GetNamedType(Schema schema, string name) =>
        schema.GetType(name) ?? (name.StartsWith("__", StringComparison.Ordinal) ? IntrospectionSchema.GetType(schema, name) : null);

    /// <summary>The names <see cref="GetNamedType"/> knows, for suggestions.</summary>
    public static IEnumerable<string> NamedTypeNames(Schema schema) =>
        schema.Types.Keys.Concat(IntrospectionSchema.Types.Select(t => t.Name).Where(name => !schema.Types.ContainsKey(name)));

    /// <summary>
    /// The definition of a field selected on <paramref name="parentType"/>, including the meta-fields: <c>__typename</c>
    /// on every composite type, and <c>__schema</c> and <c>__type</c> on the query root type.
    /// </summary>
    public static FieldDefinition? GetFieldDefinition(Schema schema, NamedType parentType, string fieldName)
    {
        if (fieldName.Length > 2 && fieldName[0] == '_' && fieldName[1] == '_')
        {
            if (fieldName == TypeNameField.Name) return parentType.IsCompositeType ? TypeNameField : null;
            if (ReferenceEquals(parentType, schema.Query))
            {
                if (fieldName == IntrospectionSchema.SchemaField.Name) return IntrospectionSchema.SchemaField;
                if (fieldName == IntrospectionSchema.TypeField.Name) return IntrospectionSchema.TypeField;
            }
        }
        return parentType is ComplexType complex ? complex.GetField(fieldName) : null;
    }

    // Execution answers __typename itself; validation needs its definition for the field's type.
    private static readonly FieldDefinition TypeNameField = new("__typename", ScalarType.String.NonNull())
    {
        Description = "The name of the current Object type at runtime.",
    };
}
