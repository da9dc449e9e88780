using Records.GraphQL.Language;
using Records.GraphQL.Types;
using Records.GraphQL.Validation.Rules;

namespace Records.GraphQL.Validation;

/// <summary>
/// Validates an executable document against a schema (spec section 5, graphql-js's validate): every rule sees
/// every node in one walk of the document, with a shared <see cref="TypeInfo"/>.
/// </summary>
public static class DocumentValidator
{
    /// <summary>The code in the extensions of every error the specified rules report.</summary>
    public const string ValidationFailedCode = "GRAPHQL_VALIDATION_FAILED";

    /// <summary>graphql-js's default: validation stops after this many errors.</summary>
    public const int DefaultMaxErrors = 100;

    /// <summary>The 30 rules of the specification's section 5, in its order.</summary>
    public static IReadOnlyList<ValidationRuleFactory> SpecifiedRules { get; } =
    [
        c => new ExecutableDefinitions(c),
        c => new OperationTypeExistence(c),
        c => new OperationNameUniqueness(c),
        c => new LoneAnonymousOperation(c),
        c => new SingleRootField(c),
        c => new FieldSelections(c),
        c => new FieldSelectionMerging(c),
        c => new LeafFieldSelections(c),
        c => new ArgumentNames(c),
        c => new ArgumentUniqueness(c),
        c => new RequiredArguments(c),
        c => new FragmentNameUniqueness(c),
        c => new FragmentSpreadTypeExistence(c),
        c => new FragmentsOnCompositeTypes(c),
        c => new FragmentsMustBeUsed(c),
        c => new FragmentSpreadTargetDefined(c),
        c => new FragmentSpreadsMustNotFormCycles(c),
        c => new FragmentSpreadIsPossible(c),
        c => new ValuesOfCorrectType(c),
        c => new InputObjectFieldNames(c),
        c => new InputObjectFieldUniqueness(c),
        c => new InputObjectRequiredFields(c),
        c => new DirectivesAreDefined(c),
        c => new DirectivesAreInValidLocations(c),
        c => new DirectivesAreUniquePerLocation(c),
        c => new VariableUniqueness(c),
        c => new VariablesAreInputTypes(c),
        c => new AllVariableUsesDefined(c),
        c => new AllVariablesUsed(c),
        c => new AllVariableUsagesAreAllowed(c),
    ];

    /// <summary>
    /// The errors of <paramref name="document"/> against <paramref name="schema"/>; empty when valid.
    /// </summary>
    /// <param name="rules">The rules to apply; null means <see cref="SpecifiedRules"/>. Add the <c>Limits</c> rules here.</param>
    /// <param name="maxErrors">After this many errors one more error says validation was aborted, and it stops.</param>
    /// <param name="hideSuggestions">Leave "Did you mean …?" hints out of messages, so they reveal no names of the schema (graphql-js 17's option; use it when introspection is off).</param>
    public static IReadOnlyList<GraphQLError> Validate(
        Schema schema,
        DocumentNode document,
        IEnumerable<ValidationRuleFactory>? rules = null,
        int maxErrors = DefaultMaxErrors,
        bool hideSuggestions = false)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentOutOfRangeException.ThrowIfNegative(maxErrors);

        var errors = new List<GraphQLError>();
        var context = new ValidationContext(schema, document, errors, maxErrors, hideSuggestions);
        var ruleInstances = new List<ValidationRule>();
        foreach (var factory in rules ?? SpecifiedRules) ruleInstances.Add(factory(context));
        try
        {
            context.Walker.Run(document, new ParallelRules(context, [.. ruleInstances]));
        }
        catch (ValidationAbortedException)
        {
            // The error saying so has been added.
        }
        return errors;
    }

    // graphql-js's visitInParallel wrapped in visitWithTypeInfo: TypeInfo enters a node before the rules and leaves
    // it after them; a rule that skips a node sees nothing more until the walk leaves that node. Each node is shown
    // only to the rules that visit its kind.
    private sealed class ParallelRules : AstVisitor
    {
        private const int KindCount = 14;
        private readonly ValidationContext _context;
        private readonly TypeInfo _typeInfo;
        private readonly ValidationRule[] _rules;
        private readonly int[][] _rulesByKind = new int[KindCount][];
        private readonly Node?[] _skipping;

        public ParallelRules(ValidationContext context, ValidationRule[] rules)
        {
            _context = context;
            _typeInfo = context.TypeInfo;
            _rules = rules;
            _skipping = new Node?[rules.Length];
            var visits = Array.ConvertAll(rules, rule => rule.Visits);
            for (var kind = 0; kind < KindCount; kind++)
            {
                var interested = new List<int>();
                for (var i = 0; i < rules.Length; i++)
                    if (((int)visits[i] & (1 << kind)) != 0) interested.Add(i);
                _rulesByKind[kind] = [.. interested];
            }
        }

        public override VisitAction Enter(Node node, AstWalker walker)
        {
            _typeInfo.Enter(node);
            _context.EnterForVariableUsages(node);
            foreach (var i in _rulesByKind[KindIndex(node)])
            {
                if (_skipping[i] is not null) continue;
                var action = _rules[i].Enter(node);
                if (action == VisitAction.Skip) _skipping[i] = node;
                else if (action == VisitAction.Stop) return VisitAction.Stop;
            }
            return VisitAction.Continue;
        }

        public override void Leave(Node node, AstWalker walker)
        {
            _context.LeaveForVariableUsages(node);
            foreach (var i in _rulesByKind[KindIndex(node)])
            {
                if (_skipping[i] is null) _rules[i].Leave(node);
                else if (ReferenceEquals(_skipping[i], node)) _skipping[i] = null;
            }
            _typeInfo.Leave(node);
        }

        // The bit position of the node's NodeKinds flag.
        private static int KindIndex(Node node) => node switch
        {
            FieldNode => 4,
            SelectionSetNode => 3,
            ArgumentNode => 5,
            FragmentSpreadNode => 6,
            InlineFragmentNode => 7,
            DirectiveNode => 9,
            VariableNode => 10,
            ValueNode or ObjectFieldNode => 11,
            NamedTypeNode or ListTypeNode or NonNullTypeNode => 12,
            OperationDefinitionNode => 1,
            FragmentDefinitionNode => 8,
            VariableDefinitionNode => 2,
            DocumentNode => 0,
            _ => 13,
        };
    }
}
