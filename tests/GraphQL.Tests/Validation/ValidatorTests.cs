using Records.GraphQL.Language;
using Records.GraphQL.Types;
using Records.GraphQL.Validation;
using Records.GraphQL.Validation.Rules;

namespace Records.GraphQL.Tests.Validation;

// The validator itself: its entry point, error shape and limit, the walker and the TypeInfo the rules rely on.
public class ValidatorTests
{
    [Fact]
    public void Errors_carry_the_validation_code_and_locations()
    {
        var errors = DocumentValidator.Validate(RuleTests.Schema, Parser.Parse("{ dog { nope } }"));
        var error = Assert.Single(errors);
        Assert.Equal(DocumentValidator.ValidationFailedCode, error.Code);
        Assert.Equal([new SourceLocation(1, 9)], error.Locations);
        Assert.Contains("\"code\":\"GRAPHQL_VALIDATION_FAILED\"", error.ToJson());
    }

    [Fact]
    public void A_valid_document_has_no_errors_with_all_rules()
    {
        const string query = """
            query Q($id: ID!, $withOwner: Boolean = false) {
              human(id: $id) { ...H }
              pet { name ... on Dog { owner @include(if: $withOwner) { name } } __typename }
            }
            fragment H on Human { name friends(first: 2) { name } }
            """;
        Assert.Empty(DocumentValidator.Validate(RuleTests.Schema, Parser.Parse(query)));
    }

    // graphql-js's getIntrospectionQuery with every option on.
    internal const string IntrospectionQuery = """
        query IntrospectionQuery {
          __schema {
            description
            queryType { name kind }
            mutationType { name kind }
            subscriptionType { name kind }
            types {
              ...FullType
            }
            directives {
              name
              description
              isRepeatable
              locations
              args(includeDeprecated: true) {
                ...InputValue
              }
            }
          }
        }

        fragment FullType on __Type {
          kind
          name
          description
          specifiedByURL
          isOneOf
          fields(includeDeprecated: true) {
            name
            description
            args(includeDeprecated: true) {
              ...InputValue
            }
            type {
              ...TypeRef
            }
            isDeprecated
            deprecationReason
          }
          inputFields(includeDeprecated: true) {
            ...InputValue
          }
          interfaces {
            ...TypeRef
          }
          enumValues(includeDeprecated: true) {
            name
            description
            isDeprecated
            deprecationReason
          }
          possibleTypes {
            ...TypeRef
          }
        }

        fragment InputValue on __InputValue {
          name
          description
          type { ...TypeRef }
          defaultValue
          isDeprecated
          deprecationReason
        }

        fragment TypeRef on __Type {
          kind
          name
          ofType {
            kind
            name
            ofType {
              kind
              name
              ofType {
                kind
                name
                ofType {
                  kind
                  name
                  ofType {
                    kind
                    name
                    ofType {
                      kind
                      name
                      ofType {
                        kind
                        name
                        ofType {
                          kind
                          name
                          ofType {
                            kind
                            name
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
        """;

    [Fact]
    public void The_full_introspection_query_is_valid()
    {
        Assert.Empty(DocumentValidator.Validate(RuleTests.Schema, Parser.Parse(IntrospectionQuery)));
        var errors = DocumentValidator.Validate(RuleTests.Schema, Parser.Parse("{ dog { __schema { description } } __type { name } }"));
        Assert.Equal(
            ["Cannot query field \"__schema\" on type \"Dog\".", "Argument \"Query.__type(name:)\" of type \"String!\" is required, but it was not provided."],
            errors.Select(e => e.Message));
    }

    [Fact]
    public void Validation_stops_after_the_maximum_number_of_errors()
    {
        var query = "{ " + string.Join(" ", Enumerable.Range(0, 10).Select(i => $"f{i}")) + " }";
        var errors = DocumentValidator.Validate(RuleTests.Schema, Parser.Parse(query), maxErrors: 3);
        Assert.Equal(4, errors.Count);
        Assert.Equal("Too many validation errors, error limit reached. Validation aborted.", errors[^1].Message);
        Assert.Equal(10, DocumentValidator.Validate(RuleTests.Schema, Parser.Parse(query)).Count);
    }

    [Fact]
    public void Suggestions_can_be_hidden_so_messages_reveal_no_schema_names()
    {
        const string query = "{ dog { nickame isHouseTrained(atOtherHome: true) } search(filter: { nam: \"a\" }) { name } }";
        var shown = DocumentValidator.Validate(RuleTests.Schema, Parser.Parse(query)).Select(e => e.Message).ToList();
        var hidden = DocumentValidator.Validate(RuleTests.Schema, Parser.Parse(query), hideSuggestions: true).Select(e => e.Message).ToList();
        Assert.Contains(shown, m => m.Contains("Did you mean \"nickname\""));
        Assert.Equal(shown.Count, hidden.Count);
        Assert.All(hidden, m => Assert.DoesNotContain("Did you mean", m));
        Assert.Contains("Cannot query field \"nickame\" on type \"Dog\".", hidden);
    }

    [Theory]
    [InlineData("nickame", "nickname,name")]
    [InlineData("NAME", "name")]
    [InlineData("nmae", "name")]
    [InlineData("zzzz", "")]
    public void Suggestions_are_close_names_nearest_first(string input, string expected)
    {
        Assert.Equal(expected, string.Join(",", Suggestions.For(input, ["barkVolume", "name", "nickname", "owner"])));
    }

    [Fact]
    public void Did_you_mean_lists_at_most_five()
    {
        Assert.Equal("", Suggestions.DidYouMean([]));
        Assert.Equal(" Did you mean \"a\" or \"b\"?", Suggestions.DidYouMean(["a", "b"]));
        Assert.Equal(" Did you mean the enum value \"a\", \"b\", \"c\", \"d\", or \"e\"?",
            Suggestions.DidYouMean(["a", "b", "c", "d", "e", "f"], "the enum value"));
    }

    [Fact]
    public void Walker_visits_in_document_order_and_honours_skip_and_stop()
    {
        var document = Parser.Parse("{ a(x: 1) { b } c }");
        var recorder = new Recorder(skip: "a");
        AstWalker.Walk(document, recorder);
        Assert.Equal(["enter Document", "enter OperationDefinition", "enter SelectionSet", "enter Field a", "enter Field c",
            "leave Field c", "leave SelectionSet", "leave OperationDefinition", "leave Document"], recorder.Events);

        var stopper = new Recorder(stop: "a");
        AstWalker.Walk(document, stopper);
        Assert.Equal(["enter Document", "enter OperationDefinition", "enter SelectionSet", "enter Field a"], stopper.Events);
    }

    [Fact]
    public void A_rule_that_skips_a_subtree_does_not_hide_it_from_other_rules()
    {
        var skipping = new List<string>();
        var seeing = new List<string>();
        DocumentValidator.Validate(RuleTests.Schema, Parser.Parse("{ dog { name } pet { name } }"),
        [
            c => new FieldLog(c, skipping, skipField: "dog"),
            c => new FieldLog(c, seeing, skipField: null),
        ]);
        Assert.Equal(["dog", "pet", "name", "/name", "/pet"], skipping);
        Assert.Equal(["dog", "name", "/name", "/dog", "pet", "name", "/name", "/pet"], seeing);
    }

    [Fact]
    public void TypeInfo_tracks_types_fields_arguments_and_input_types()
    {
        var seen = new List<string>();
        DocumentValidator.Validate(RuleTests.Schema,
            Parser.Parse("query ($f: Filter) { human(id: 1) { pets { ... on Dog { doesKnowCommand(dogCommand: SIT) } } } search(filter: { name: \"a\" }, ids: [2]) { __typename } }"),
            [c => new TypeInfoLog(c, seen)]);
        Assert.Equal(
        [
            "var: Filter",
            "field Query.human: Human",
            "arg id: ID!",
            "field Human.pets: [Pet]",
            "inline on Dog, parent Pet",
            "field Dog.doesKnowCommand: Boolean",
            "arg dogCommand: DogCommand!",
            "enum SIT",
            "field Query.search: [Pet]",
            "arg filter: Filter",
            "object field name: String!, in Filter",
            "arg ids: [ID!]",
            "list item: ID!",
            "field Pet.__typename: String!",
        ], seen);
    }

    private sealed class Recorder(string? skip = null, string? stop = null) : AstVisitor
    {
        public List<string> Events { get; } = [];

        public override VisitAction Enter(Node node, AstWalker walker)
        {
            if (node is ArgumentNode or ValueNode) return VisitAction.Skip;
            Events.Add("enter " + Describe(node));
            if (node is FieldNode field && field.Name.Value == stop) return VisitAction.Stop;
            return node is FieldNode f && f.Name.Value == skip ? VisitAction.Skip : VisitAction.Continue;
        }

        public override void Leave(Node node, AstWalker walker) => Events.Add("leave " + Describe(node));

        private static string Describe(Node node) =>
            node is FieldNode field ? "Field " + field.Name.Value : node.GetType().Name.Replace("Node", "");
    }

    private sealed class FieldLog(ValidationContext context, List<string> log, string? skipField) : ValidationRule(context)
    {
        public override NodeKinds Visits => NodeKinds.Field;

        public override VisitAction Enter(Node node)
        {
            var name = ((FieldNode)node).Name.Value;
            log.Add(name);
            return name == skipField ? VisitAction.Skip : VisitAction.Continue;
        }

        public override void Leave(Node node) => log.Add("/" + ((FieldNode)node).Name.Value);
    }

    private sealed class TypeInfoLog(ValidationContext context, List<string> log) : ValidationRule(context)
    {
        public override VisitAction Enter(Node node)
        {
            var info = Context.TypeInfo;
            switch (node)
            {
                case VariableDefinitionNode:
                    log.Add($"var: {info.InputType}");
                    return VisitAction.Skip;
                case FieldNode field:
                    log.Add($"field {info.ParentType}.{info.FieldDefinition?.Name}: {info.Type}");
                    break;
                case ArgumentNode argument:
                    log.Add($"arg {argument.Name.Value}: {info.InputType}");
                    break;
                case InlineFragmentNode:
                    log.Add($"inline on {info.Type}, parent {info.ParentType}");
                    break;
                case EnumValueNode:
                    log.Add($"enum {info.EnumValue?.Name}");
                    break;
                case ObjectFieldNode objectField:
                    log.Add($"object field {objectField.Name.Value}: {info.InputType}, in {info.ParentInputType}");
                    break;
                case IntValueNode when info.ParentInputType is ListType:
                    log.Add($"list item: {info.InputType}");
                    break;
            }
            return VisitAction.Continue;
        }
    }
}
