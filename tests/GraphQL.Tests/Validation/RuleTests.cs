using Records.GraphQL.Language;
using Records.GraphQL.Types;
using Records.GraphQL.Validation;
using Records.GraphQL.Validation.Rules;

namespace Records.GraphQL.Tests.Validation;

// Each specified rule on its own: a document it accepts and one it rejects, with graphql-js's message and locations.
public class RuleTests
{
    internal static readonly Schema Schema = SchemaBuilder.FromSdl("""
        directive @onQuery on QUERY
        directive @onField on FIELD
        directive @again repeatable on FIELD
        directive @cost(weight: Int!) on FIELD_DEFINITION

        interface Pet { name: String }
        type Dog implements Pet {
          name: String
          nickname: String
          barkVolume: Int
          doesKnowCommand(dogCommand: DogCommand!): Boolean
          isHouseTrained(atOtherHomes: Boolean = true): Boolean
          owner: Human
        }
        type Cat implements Pet { name: String meows: Boolean }
        union CatOrDog = Cat | Dog
        type Human { name: String pets(first: Int): [Pet] friends(first: Int = 5): [Human] }
        enum DogCommand { SIT HEEL }
        input Filter { name: String! limit: Int = 10 tag: String }
        input Choice @oneOf { a: String b: Int }
        type Query {
          dog: Dog
          human(id: ID!): Human
          pet: Pet
          catOrDog: CatOrDog
          search(filter: Filter, choice: Choice, ids: [ID!], count: Int): [Pet]
          expensive: Int @cost(weight: 50)
        }
        type Mutation { rename(name: String!): Dog }
        type Subscription { barked: Dog meowed: Cat }
        """);

    internal static List<string> Errors(string query, params ValidationRuleFactory[] rules) =>
        DocumentValidator.Validate(Schema, Parser.Parse(query), rules)
            .Select(e => $"{e.Message} ({string.Join(", ", e.Locations.Select(l => $"{l.Line}:{l.Column}"))})")
            .ToList();

    private static void Accepts(ValidationRuleFactory rule, string query) => Assert.Empty(Errors(query, rule));

    private static void Rejects(ValidationRuleFactory rule, string query, params string[] expected) =>
        Assert.Equal(string.Join("\n", expected), string.Join("\n", Errors(query, rule)));

    [Fact]
    public void Executable_definitions()
    {
        Accepts(c => new ExecutableDefinitions(c), "query Q { dog { name } } fragment F on Dog { name }");
        Rejects(c => new ExecutableDefinitions(c), "{ dog { name } }\ntype Cow { name: String }\nschema { query: Query }",
            "The \"Cow\" definition is not executable. (2:1)", "The schema definition is not executable. (3:1)");
    }

    [Fact]
    public void Operation_type_existence()
    {
        Accepts(c => new OperationTypeExistence(c), "mutation { rename(name: \"Rex\") { name } }");
        var noMutation = SchemaBuilder.FromSdl("type Query { a: Int }");
        var errors = DocumentValidator.Validate(noMutation, Parser.Parse("mutation { a }"), [c => new OperationTypeExistence(c)]);
        Assert.Equal("The mutation operation is not supported by the schema.", Assert.Single(errors).Message);
    }

    [Fact]
    public void Operation_name_uniqueness()
    {
        Accepts(c => new OperationNameUniqueness(c), "query A { dog { name } } query B { dog { name } }");
        Rejects(c => new OperationNameUniqueness(c), "query A { dog { name } }\nmutation A { rename(name: \"x\") { name } }",
            "There can be only one operation named \"A\". (1:7, 2:10)");
    }

    [Fact]
    public void Lone_anonymous_operation()
    {
        Accepts(c => new LoneAnonymousOperation(c), "{ dog { name } } fragment F on Dog { name }");
        Rejects(c => new LoneAnonymousOperation(c), "{ dog { name } }\nquery B { dog { name } }",
            "This anonymous operation must be the only defined operation. (1:1)");
    }

    [Fact]
    public void Single_root_field()
    {
        Accepts(c => new SingleRootField(c), "subscription S { ...F } fragment F on Subscription { barked { name } }");
        Rejects(c => new SingleRootField(c), "subscription S {\n  barked { name }\n  meowed { name }\n}",
            "Subscription \"S\" must select only one top level field. (3:3)");
        Rejects(c => new SingleRootField(c), "subscription { __typename }",
            "Anonymous Subscription must not select an introspection top level field. (1:16)");
        Rejects(c => new SingleRootField(c), "subscription ($b: Boolean!) { barked @skip(if: $b) { name } }",
            "Anonymous Subscription must not use `@skip` or `@include` directives in the top level selection. (1:38)");
    }

    [Fact]
    public void Field_selections()
    {
        Accepts(c => new FieldSelections(c), "{ pet { name __typename ... on Dog { barkVolume } } }");
        Rejects(c => new FieldSelections(c), "{ dog { nickame } }",
            "Cannot query field \"nickame\" on type \"Dog\". Did you mean \"nickname\" or \"name\"? (1:9)");
        Rejects(c => new FieldSelections(c), "{ pet { meows } }",
            "Cannot query field \"meows\" on type \"Pet\". Did you mean to use an inline fragment on \"Cat\"? (1:9)");
    }

    [Fact]
    public void Field_selection_merging()
    {
        Accepts(c => new FieldSelectionMerging(c),
            "{ dog { name name ...F } pet { ... on Dog { x: nickname } ... on Cat { x: name } } } fragment F on Dog { name }");
        Rejects(c => new FieldSelectionMerging(c), "{ dog { x: name x: nickname } }",
            "Fields \"x\" conflict because \"name\" and \"nickname\" are different fields. Use different aliases on the fields to fetch both if this was intentional. (1:9, 1:17)");
        Rejects(c => new FieldSelectionMerging(c),
            "{ dog { doesKnowCommand(dogCommand: SIT) ...F } } fragment F on Dog { doesKnowCommand(dogCommand: HEEL) }",
            "Fields \"doesKnowCommand\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. (1:9, 1:71)");
        Rejects(c => new FieldSelectionMerging(c), "{ pet { ... on Dog { x: barkVolume } ... on Cat { x: meows } } }",
            "Fields \"x\" conflict because they return conflicting types \"Int\" and \"Boolean\". Use different aliases on the fields to fetch both if this was intentional. (1:22, 1:51)");
        Rejects(c => new FieldSelectionMerging(c), "{ dog { owner { n: name } owner { n: pets { name } } } }",
            "Fields \"owner\" conflict because subfields \"n\" conflict because \"name\" and \"pets\" are different fields. Use different aliases on the fields to fetch both if this was intentional. (1:9, 1:17, 1:27, 1:35)");
    }

    [Fact]
    public void Field_selection_merging_compares_fragment_pairs_once()
    {
        // Each fragment spreads the next one twice: expanded, the document has 2^40 fields. Comparing each pair of
        // fragments once keeps validation linear.
        const int depth = 40;
        var fragments = Enumerable.Range(0, depth).Select(i =>
            $"fragment F{i} on Human {{ name friends {{ ...F{i + 1} }} friends {{ ...F{i + 1} }} }}");
        var query = "{ human(id: 1) { ...F0 } }\n" + string.Join("\n", fragments) + $"\nfragment F{depth} on Human {{ name }}";
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Empty(Errors(query, c => new FieldSelectionMerging(c)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Leaf_field_selections()
    {
        Accepts(c => new LeafFieldSelections(c), "{ dog { name owner { name } } }");
        Rejects(c => new LeafFieldSelections(c), "{ dog { name { x } } }",
            "Field \"name\" must not have a selection since type \"String\" has no subfields. (1:14)");
        Rejects(c => new LeafFieldSelections(c), "{ dog }",
            "Field \"dog\" of type \"Dog\" must have a selection of subfields. Did you mean \"dog { ... }\"? (1:3)");
    }

    [Fact]
    public void Argument_names()
    {
        Accepts(c => new ArgumentNames(c), "{ dog { isHouseTrained(atOtherHomes: true) name @include(if: true) } }");
        Rejects(c => new ArgumentNames(c), "{ dog { isHouseTrained(atOtherHome: true) name @skip(iff: true) } }",
            "Unknown argument \"atOtherHome\" on field \"Dog.isHouseTrained\". Did you mean \"atOtherHomes\"? (1:24)",
            "Unknown argument \"iff\" on directive \"@skip\". Did you mean \"if\"? (1:54)");
    }

    [Fact]
    public void Argument_uniqueness()
    {
        Accepts(c => new ArgumentUniqueness(c), "{ search(count: 1, ids: []) { name } }");
        Rejects(c => new ArgumentUniqueness(c), "{ search(count: 1, count: 2) { name } }",
            "There can be only one argument named \"count\". (1:10, 1:20)");
    }

    [Fact]
    public void Required_arguments()
    {
        Accepts(c => new RequiredArguments(c), "{ human(id: 1) { name } dog { isHouseTrained name @include(if: true) } }");
        Rejects(c => new RequiredArguments(c), "{ human { name @skip } }",
            "Argument \"@skip(if:)\" of type \"Boolean!\" is required, but it was not provided. (1:16)",
            "Argument \"Query.human(id:)\" of type \"ID!\" is required, but it was not provided. (1:3)");
    }

    [Fact]
    public void Fragment_name_uniqueness()
    {
        Accepts(c => new FragmentNameUniqueness(c), "fragment A on Dog { name } fragment B on Dog { name }");
        Rejects(c => new FragmentNameUniqueness(c), "fragment A on Dog { name }\nfragment A on Cat { name }",
            "There can be only one fragment named \"A\". (1:10, 2:10)");
    }

    [Fact]
    public void Fragment_spread_type_existence()
    {
        Accepts(c => new FragmentSpreadTypeExistence(c), "fragment A on Dog { ... on Pet { name } ... { name } }");
        Rejects(c => new FragmentSpreadTypeExistence(c), "fragment A on Dgo { ... on Pett { name } }",
            "Unknown type \"Dgo\". Did you mean \"Dog\"? (1:15)", "Unknown type \"Pett\". Did you mean \"Pet\"? (1:28)");
    }

    [Fact]
    public void Fragments_on_composite_types()
    {
        Accepts(c => new FragmentsOnCompositeTypes(c), "fragment A on CatOrDog { ... on Pet { name } }");
        Rejects(c => new FragmentsOnCompositeTypes(c), "fragment A on DogCommand { ... on String { x } }",
            "Fragment \"A\" cannot condition on non composite type \"DogCommand\". (1:15)",
            "Fragment cannot condition on non composite type \"String\". (1:35)");
    }

    [Fact]
    public void Fragments_must_be_used()
    {
        Accepts(c => new FragmentsMustBeUsed(c), "{ dog { ...A } } fragment A on Dog { ...B } fragment B on Dog { name }");
        Rejects(c => new FragmentsMustBeUsed(c), "{ dog { name } }\nfragment A on Dog { ...B }\nfragment B on Dog { name }",
            "Fragment \"A\" is never used. (2:1)", "Fragment \"B\" is never used. (3:1)");
    }

    [Fact]
    public void Fragment_spread_target_defined()
    {
        Accepts(c => new FragmentSpreadTargetDefined(c), "{ dog { ...A } } fragment A on Dog { name }");
        Rejects(c => new FragmentSpreadTargetDefined(c), "{ dog { ...Missing } }", "Unknown fragment \"Missing\". (1:12)");
    }

    [Fact]
    public void Fragment_spreads_must_not_form_cycles()
    {
        Accepts(c => new FragmentSpreadsMustNotFormCycles(c), "fragment A on Dog { ...B ...B } fragment B on Dog { name }");
        Rejects(c => new FragmentSpreadsMustNotFormCycles(c),
            "fragment A on Dog { ...B }\nfragment B on Dog { ...C }\nfragment C on Dog { ...A }",
            "Cannot spread fragment \"A\" within itself via \"B\", \"C\". (1:21, 2:21, 3:21)");
        Rejects(c => new FragmentSpreadsMustNotFormCycles(c), "fragment A on Dog { owner { pets { ... on Dog { ...A } } } }",
            "Cannot spread fragment \"A\" within itself. (1:49)");
    }

    [Fact]
    public void Fragment_spread_is_possible()
    {
        Accepts(c => new FragmentSpreadIsPossible(c), "{ pet { ...D ... on CatOrDog { ... on Cat { meows } } } } fragment D on Dog { name }");
        Rejects(c => new FragmentSpreadIsPossible(c), "{ dog { ...C ... on Cat { meows } } } fragment C on Cat { name }",
            "Fragment \"C\" cannot be spread here as objects of type \"Dog\" can never be of type \"Cat\". (1:9)",
            "Fragment cannot be spread here as objects of type \"Dog\" can never be of type \"Cat\". (1:14)");
    }

    [Fact]
    public void Values_of_correct_type()
    {
        Accepts(c => new ValuesOfCorrectType(c),
            "{ dog { doesKnowCommand(dogCommand: SIT) } search(filter: { name: \"a\", limit: null }, choice: { b: 1 }, ids: [1, \"2\"], count: 3) { name } }");
        Rejects(c => new ValuesOfCorrectType(c), "{ search(count: 1.5, ids: [true]) { name } }",
            "Int cannot represent non-integer value: 1.5 (1:17)",
            "ID cannot represent a non-string and non-integer value: true (1:28)");
        Rejects(c => new ValuesOfCorrectType(c), "{ dog { doesKnowCommand(dogCommand: \"SIT\") } }",
            "Enum \"DogCommand\" cannot represent non-enum value: \"SIT\". Did you mean the enum value \"SIT\"? (1:37)");
        Rejects(c => new ValuesOfCorrectType(c), "{ dog { doesKnowCommand(dogCommand: null) } }",
            "Expected value of non-null type \"DogCommand!\" not to be null. (1:37)");
        Rejects(c => new ValuesOfCorrectType(c), "{ search(filter: \"a\", choice: { a: \"x\", b: 1 }) { name } }",
            "Expected value of type \"Filter\" to be an object, found: \"a\". (1:18)",
            "Within OneOf Input Object type \"Choice\", exactly one field must be specified, and the value for that field must be non-null. (1:31)");
    }

    [Fact]
    public void Values_of_correct_type_reports_a_custom_scalar_parser_failure()
    {
        var even = new ScalarType("Even", parseLiteral: (node, _) =>
            node is IntValueNode { Value: var text } && int.Parse(text) % 2 == 0 ? int.Parse(text) : throw new InvalidOperationException("odd"));
        var schema = new Schema(new ObjectType("Query", t => t.Field("f", ScalarType.Int, arguments: [new InputValueDefinition("n", even)])));
        Assert.Empty(DocumentValidator.Validate(schema, Parser.Parse("{ f(n: 2) }")));
        var error = Assert.Single(DocumentValidator.Validate(schema, Parser.Parse("{ f(n: 3) }")));
        Assert.Equal("Expected value of type \"Even\", found 3; odd", error.Message);
    }

    [Fact]
    public void Input_object_field_names()
    {
        Accepts(c => new InputObjectFieldNames(c), "{ search(filter: { name: \"a\", tag: \"b\" }) { name } }");
        Rejects(c => new InputObjectFieldNames(c), "{ search(filter: { name: \"a\", tga: \"b\" }) { name } }",
            "Expected value of type \"Filter\" not to include unknown field \"tga\". Did you mean \"tag\"? Found: {name: \"a\", tga: \"b\"}. (1:31)");
    }

    [Fact]
    public void Input_object_field_uniqueness()
    {
        Accepts(c => new InputObjectFieldUniqueness(c), "{ search(filter: { name: \"a\", tag: \"b\" }) { name } }");
        Rejects(c => new InputObjectFieldUniqueness(c), "{ search(filter: { name: \"a\", name: \"b\" }) { name } }",
            "There can be only one input field named \"name\". (1:20, 1:31)");
    }

    [Fact]
    public void Input_object_required_fields()
    {
        Accepts(c => new InputObjectRequiredFields(c), "{ search(filter: { name: \"a\" }) { name } }");
        Rejects(c => new InputObjectRequiredFields(c), "{ search(filter: { tag: \"a\" }) { name } }",
            "Expected value of type \"Filter\" to include required field \"name\", found: {tag: \"a\"}. (1:18)");
    }

    [Fact]
    public void Directives_are_defined()
    {
        Accepts(c => new DirectivesAreDefined(c), "query @onQuery { dog @onField { name @include(if: true) } }");
        Rejects(c => new DirectivesAreDefined(c), "{ dog @unknown { name } }", "Unknown directive \"@unknown\". (1:7)");
    }

    [Fact]
    public void Directives_are_in_valid_locations()
    {
        Accepts(c => new DirectivesAreInValidLocations(c), "query @onQuery { dog @onField { ... @skip(if: false) { name } } }");
        Rejects(c => new DirectivesAreInValidLocations(c), "query @onField { dog @onQuery { name } }",
            "Directive \"@onField\" may not be used on QUERY. (1:7)", "Directive \"@onQuery\" may not be used on FIELD. (1:22)");
    }

    [Fact]
    public void Directives_are_unique_per_location()
    {
        Accepts(c => new DirectivesAreUniquePerLocation(c), "{ dog @again @again @onField { name @onField } }");
        Rejects(c => new DirectivesAreUniquePerLocation(c), "{ dog @onField @onField { name } }",
            "The directive \"@onField\" can only be used once at this location. (1:7, 1:16)");
    }

    [Fact]
    public void Variable_uniqueness()
    {
        Accepts(c => new VariableUniqueness(c), "query ($a: Int, $b: Int) { dog { name } }");
        Rejects(c => new VariableUniqueness(c), "query ($a: Int, $a: Int) { dog { name } }",
            "There can be only one variable named \"$a\". (1:9, 1:18)");
    }

    [Fact]
    public void Variables_are_input_types()
    {
        Accepts(c => new VariablesAreInputTypes(c), "query ($a: [Filter!], $b: DogCommand, $c: ID!) { dog { name } }");
        Rejects(c => new VariablesAreInputTypes(c), "query ($a: [Dog], $b: Fliter) { dog { name } }",
            "Variable \"$a\" cannot be non-input type \"[Dog]\". (1:12)", "Unknown type \"Fliter\". Did you mean \"Filter\"? (1:23)");
    }

    [Fact]
    public void All_variable_uses_defined()
    {
        Accepts(c => new AllVariableUsesDefined(c), "query ($c: Int) { ...F } fragment F on Query { search(count: $c) { name } }");
        Rejects(c => new AllVariableUsesDefined(c), "query Q { ...F }\nfragment F on Query { search(count: $c) { name } }",
            "Variable \"$c\" is not defined by operation \"Q\". (2:37, 1:1)");
    }

    [Fact]
    public void All_variables_used()
    {
        Accepts(c => new AllVariablesUsed(c), "query ($c: Int) { ...F } fragment F on Query { search(count: $c) { name } }");
        Rejects(c => new AllVariablesUsed(c), "query Q($c: Int, $d: Int @onField) { search(count: $d) { name } }",
            "Variable \"$c\" is never used in operation \"Q\". (1:9)");
    }

    [Fact]
    public void All_variable_usages_are_allowed()
    {
        Accepts(c => new AllVariableUsagesAreAllowed(c),
            "query ($id: ID!, $b: Boolean, $s: String!) { human(id: $id) { name } dog { isHouseTrained(atOtherHomes: $b) } search(choice: { a: $s }) { name } }");
        Rejects(c => new AllVariableUsagesAreAllowed(c), "query ($id: ID, $c: String) { human(id: $id) { name } search(count: $c) { name } }",
            "Variable \"$id\" of type \"ID\" used in position expecting type \"ID!\". (1:8, 1:41)",
            "Variable \"$c\" of type \"String\" used in position expecting type \"Int\". (1:17, 1:69)");
        Rejects(c => new AllVariableUsagesAreAllowed(c), "query ($s: String) { search(choice: { a: $s }) { name } }",
            "Variable \"$s\" is of type \"String\" but must be non-nullable to be used for OneOf Input Object \"Choice\". (1:8, 1:42)");
    }

    [Fact]
    public void The_specified_rules_are_the_thirty_of_the_specification()
    {
        Assert.Equal(30, DocumentValidator.SpecifiedRules.Count);
        var context = Assert.IsType<ValidationContext>(CaptureContext(), exactMatch: true);
        var types = DocumentValidator.SpecifiedRules.Select(factory => factory(context).GetType()).ToList();
        Assert.Equal(30, types.Distinct().Count());
        Assert.All(types, type => Assert.Equal("Records.GraphQL.Validation.Rules", type.Namespace));
    }

    private static ValidationContext? CaptureContext()
    {
        ValidationContext? captured = null;
        DocumentValidator.Validate(Schema, Parser.Parse("{ dog { name } }"), [c => { captured = c; return new ExecutableDefinitions(c); }]);
        return captured;
    }
}
