namespace Records.GraphQL.Language;

/// <summary>What a visitor wants after entering a node.</summary>
public enum VisitAction
{
    /// <summary>Visit the node's children, then leave it.</summary>
    Continue,

    /// <summary>Do not visit the node's children, nor leave it.</summary>
    Skip,

    /// <summary>End the whole walk.</summary>
    Stop,
}

/// <summary>
/// Receives the nodes of a tree in document order (graphql-js's visitor): <see cref="Enter"/> before a node's
/// children and <see cref="Leave"/> after them. Name nodes are not visited: no rule needs them.
/// </summary>
public abstract class AstVisitor
{
    public virtual VisitAction Enter(Node node, AstWalker walker) => VisitAction.Continue;

    public virtual void Leave(Node node, AstWalker walker)
    {
    }
}

/// <summary>
/// Walks a tree depth-first in graphql-js's key order and tells a visitor. <see cref="Ancestors"/> holds the
/// nodes above the current one (nearest last), for visitors that need a node's parent, e.g. a directive's location.
/// </summary>
public sealed class AstWalker
{
    private readonly List<Node> _ancestors = new(32);
    private AstVisitor _visitor = null!;
    private bool _stopped;

    /// <summary>The nodes enclosing the node being visited, outermost first.</summary>
    public IReadOnlyList<Node> Ancestors => _ancestors;

    /// <summary>The node directly enclosing the node being visited, or null at the root.</summary>
    public Node? Parent => _ancestors.Count > 0 ? _ancestors[^1] : null;

    /// <summary>Visits <paramref name="root"/> and everything below it.</summary>
    public static void Walk(Node root, AstVisitor visitor) => new AstWalker().Run(root, visitor);

    /// <summary>Visits <paramref name="root"/> with this walker (reusable, not thread-safe).</summary>
    public void Run(Node root, AstVisitor visitor)
    {
        _visitor = visitor;
        _stopped = false;
        _ancestors.Clear();
        Visit(root);
    }

    private void Visit(Node? node)
    {
        if (node is null || _stopped) return;
        var action = _visitor.Enter(node, this);
        if (action == VisitAction.Stop)
        {
            _stopped = true;
            return;
        }
        if (action == VisitAction.Skip) return;

        _ancestors.Add(node);
        VisitChildren(node);
        _ancestors.RemoveAt(_ancestors.Count - 1);
        if (!_stopped) _visitor.Leave(node, this);
    }

    private void VisitAll<T>(IReadOnlyList<T> nodes) where T : Node
    {
        for (var i = 0; i < nodes.Count && !_stopped; i++) Visit(nodes[i]);
    }

    private void VisitChildren(Node node)
    {
        switch (node)
        {
            case DocumentNode document:
                VisitAll(document.Definitions);
                break;
            case OperationDefinitionNode operation:
                VisitAll(operation.VariableDefinitions);
                VisitAll(operation.Directives);
                Visit(operation.SelectionSet);
                break;
            case VariableDefinitionNode variableDefinition:
                Visit(variableDefinition.Variable);
                Visit(variableDefinition.Type);
                Visit(variableDefinition.DefaultValue);
                VisitAll(variableDefinition.Directives);
                break;
            case SelectionSetNode selectionSet:
                VisitAll(selectionSet.Selections);
                break;
            case FieldNode field:
                VisitAll(field.Arguments);
                VisitAll(field.Directives);
                Visit(field.SelectionSet);
                break;
            case ArgumentNode argument:
                Visit(argument.Value);
                break;
            case FragmentSpreadNode spread:
                VisitAll(spread.Directives);
                break;
            case InlineFragmentNode inline:
                Visit(inline.TypeCondition);
                VisitAll(inline.Directives);
                Visit(inline.SelectionSet);
                break;
            case FragmentDefinitionNode fragment:
                Visit(fragment.TypeCondition);
                VisitAll(fragment.Directives);
                Visit(fragment.SelectionSet);
                break;
            case ListValueNode list:
                VisitAll(list.Values);
                break;
            case ObjectValueNode obj:
                VisitAll(obj.Fields);
                break;
            case ObjectFieldNode objectField:
                Visit(objectField.Value);
                break;
            case DirectiveNode directive:
                VisitAll(directive.Arguments);
                break;
            case ListTypeNode listType:
                Visit(listType.Type);
                break;
            case NonNullTypeNode nonNullType:
                Visit(nonNullType.Type);
                break;
            case TypeSystemDefinitionNode or TypeExtensionNode:
                VisitTypeSystemChildren(node);
                break;
            case FieldDefinitionNode fieldDefinition:
                VisitAll(fieldDefinition.Arguments);
                Visit(fieldDefinition.Type);
                VisitAll(fieldDefinition.Directives);
                break;
            case InputValueDefinitionNode inputValue:
                Visit(inputValue.Type);
                Visit(inputValue.DefaultValue);
                VisitAll(inputValue.Directives);
                break;
            case EnumValueDefinitionNode enumValue:
                VisitAll(enumValue.Directives);
                break;
            case OperationTypeDefinitionNode operationType:
                Visit(operationType.Type);
                break;
        }
    }

    // Type system definitions only appear in requests by mistake; their directives and type references are
    // still visited so that unknown directives and types in them are reported, as graphql-js does.
    private void VisitTypeSystemChildren(Node node)
    {
        switch (node)
        {
            case SchemaDefinitionNode schema:
                VisitAll(schema.Directives);
                VisitAll(schema.OperationTypes);
                break;
            case SchemaExtensionNode schemaExtension:
                VisitAll(schemaExtension.Directives);
                VisitAll(schemaExtension.OperationTypes);
                break;
            case DirectiveDefinitionNode directiveDefinition:
                VisitAll(directiveDefinition.Arguments);
                break;
            case ObjectTypeDefinitionNode t:
                VisitAll(t.Interfaces); VisitAll(t.Directives); VisitAll(t.Fields);
                break;
            case ObjectTypeExtensionNode t:
                VisitAll(t.Interfaces); VisitAll(t.Directives); VisitAll(t.Fields);
                break;
            case InterfaceTypeDefinitionNode t:
                VisitAll(t.Interfaces); VisitAll(t.Directives); VisitAll(t.Fields);
                break;
            case InterfaceTypeExtensionNode t:
                VisitAll(t.Interfaces); VisitAll(t.Directives); VisitAll(t.Fields);
                break;
            case UnionTypeDefinitionNode t:
                VisitAll(t.Directives); VisitAll(t.Types);
                break;
            case UnionTypeExtensionNode t:
                VisitAll(t.Directives); VisitAll(t.Types);
                break;
            case EnumTypeDefinitionNode t:
                VisitAll(t.Directives); VisitAll(t.Values);
                break;
            case EnumTypeExtensionNode t:
                VisitAll(t.Directives); VisitAll(t.Values);
                break;
            case InputObjectTypeDefinitionNode t:
                VisitAll(t.Directives); VisitAll(t.Fields);
                break;
            case InputObjectTypeExtensionNode t:
                VisitAll(t.Directives); VisitAll(t.Fields);
                break;
            case ScalarTypeDefinitionNode t:
                VisitAll(t.Directives);
                break;
            case ScalarTypeExtensionNode t:
                VisitAll(t.Directives);
                break;
        }
    }
}
