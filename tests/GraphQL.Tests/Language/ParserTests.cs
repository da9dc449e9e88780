using Records.GraphQL.Language;

namespace Records.GraphQL.Tests.Language;

public class ParserTests
{
    private static GraphQLSyntaxError ParseError(string text) => Assert.Throws<GraphQLSyntaxError>(() => Parser.Parse(text));

    [Theory]
    [InlineData("{", "Expected Name, found <EOF>.", 1, 2)]
    [InlineData("", "Unexpected <EOF>.", 1, 1)]
    [InlineData("{ ...MissingOn }\nfragment MissingOn Type", "Expected \"on\", found Name \"Type\".", 2, 20)]
    [InlineData("{ field: {} }", "Expected Name, found \"{\".", 1, 10)]
    [InlineData("notAnOperation Foo { field }", "Unexpected Name \"notAnOperation\".", 1, 1)]
    [InlineData("...", "Unexpected \"...\".", 1, 1)]
    [InlineData("{ \"\"", "Expected Name, found String \"\".", 1, 3)]
    [InlineData("query Foo($x: Complex = { a: { b: [ $var ] } }) { field }", "Unexpected variable \"$var\" in constant value.", 1, 37)]
    [InlineData("fragment on on on { on }", "Unexpected Name \"on\".", 1, 10)]
    [InlineData("{ ...on }", "Expected Name, found \"}\".", 1, 9)]
    [InlineData("query Foo($x: Int = $y) { a }", "Unexpected variable \"$y\" in constant value.", 1, 21)]
    [InlineData("\"desc\" { a }", "Unexpected description, descriptions are not supported on shorthand queries.", 1, 1)]
    [InlineData("\"desc\" extend type A { a: Int }", "Unexpected description, only GraphQL definitions support descriptions.", 1, 1)]
    [InlineData("enum E { true }", "Name \"true\" is reserved and cannot be used for an enum value.", 1, 10)]
    [InlineData("directive @d on FIELD | NOWHERE", "Unexpected Name \"NOWHERE\".", 1, 25)]
    [InlineData("extend scalar S", "Unexpected <EOF>.", 1, 16)]
    [InlineData("extend type T", "Unexpected <EOF>.", 1, 14)]
    [InlineData("extend schema", "Unexpected <EOF>.", 1, 14)]
    [InlineData("extend foo Bar", "Unexpected Name \"foo\".", 1, 8)]
    [InlineData("type T { a(): Int }", "Expected Name, found \")\".", 1, 12)]
    [InlineData("union U = ", "Expected Name, found <EOF>.", 1, 11)]
    [InlineData("schema { query: Q, other: O }", "Unexpected Name \"other\".", 1, 20)]
    [InlineData("query Q($a: [Int) { a }", "Expected \"]\", found \")\".", 1, 17)]
    public void Reports_syntax_errors_like_graphql_js(string text, string description, int line, int column)
    {
        var error = ParseError(text);
        Assert.Equal("Syntax Error: " + description, error.Message);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void Parses_an_operation_with_every_executable_construct()
    {
        var document = Parser.Parse("""
            "Finds a node"
            query Q("the id" $id: ID! = "1" @v, $list: [[Int!]]) @op {
              alias: node(id: $id, f: 1.5, s: "x", b: true, n: null, e: RED, l: [1, 2], o: {a: {b: 1}}) @skip(if: false) {
                ...Frag @d
                ... on User { name }
                ... @include(if: true) { id }
              }
            }
            "A fragment"
            fragment Frag on Node { id }
            mutation { m }
            subscription S { s }
            """);

        var operation = Assert.IsType<OperationDefinitionNode>(document.Definitions[0]);
        Assert.Equal(OperationType.Query, operation.Operation);
        Assert.Equal("Q", operation.Name!.Value);
        Assert.Equal("Finds a node", operation.Description!.Value);
        Assert.Equal("the id", operation.VariableDefinitions[0].Description!.Value);
        Assert.IsType<NonNullTypeNode>(operation.VariableDefinitions[0].Type);
        Assert.Equal("1", Assert.IsType<StringValueNode>(operation.VariableDefinitions[0].DefaultValue).Value);
        Assert.Equal("v", operation.VariableDefinitions[0].Directives[0].Name.Value);
        var list = Assert.IsType<ListTypeNode>(operation.VariableDefinitions[1].Type);
        Assert.IsType<NonNullTypeNode>(Assert.IsType<ListTypeNode>(list.Type).Type);

        var field = Assert.IsType<FieldNode>(operation.SelectionSet.Selections[0]);
        Assert.Equal(("alias", "node", "alias"), (field.Alias!.Value, field.Name.Value, field.ResponseKey));
        Assert.Collection(field.Arguments.Select(a => a.Value),
            v => Assert.Equal("id", Assert.IsType<VariableNode>(v).Name.Value),
            v => Assert.Equal("1.5", Assert.IsType<FloatValueNode>(v).Value),
            v => Assert.Equal("x", Assert.IsType<StringValueNode>(v).Value),
            v => Assert.True(Assert.IsType<BooleanValueNode>(v).Value),
            v => Assert.IsType<NullValueNode>(v),
            v => Assert.Equal("RED", Assert.IsType<EnumValueNode>(v).Value),
            v => Assert.Equal(2, Assert.IsType<ListValueNode>(v).Values.Count),
            v => Assert.Equal("a", Assert.IsType<ObjectValueNode>(v).Fields[0].Name.Value));
        Assert.Equal("skip", field.Directives[0].Name.Value);
        Assert.Collection(field.SelectionSet!.Selections,
            s => Assert.Equal("Frag", Assert.IsType<FragmentSpreadNode>(s).Name.Value),
            s => Assert.Equal("User", Assert.IsType<InlineFragmentNode>(s).TypeCondition!.Name.Value),
            s => Assert.Null(Assert.IsType<InlineFragmentNode>(s).TypeCondition));

        var fragment = Assert.IsType<FragmentDefinitionNode>(document.Definitions[1]);
        Assert.Equal(("Frag", "Node", "A fragment"), (fragment.Name.Value, fragment.TypeCondition.Name.Value, fragment.Description!.Value));
        Assert.Equal(OperationType.Mutation, Assert.IsType<OperationDefinitionNode>(document.Definitions[2]).Operation);
        Assert.Equal(OperationType.Subscription, Assert.IsType<OperationDefinitionNode>(document.Definitions[3]).Operation);
    }

    [Fact]
    public void Parses_every_type_system_construct()
    {
        var document = Parser.Parse("""
            "The schema" schema @s { query: Q mutation: M }
            "A scalar" scalar Date @specifiedBy(url: "https://example.com")
            type Q implements & A & B @d { "f" f("a" a: Int = 1 @deprecated): [String!]! @deprecated(reason: "no") }
            interface B implements A { f: Int }
            union U @d = | X | Y
            enum E { "one" ONE @deprecated TWO }
            input I @oneOf { a: Int = 2 b: String }
            "dir" directive @d(a: Int) repeatable on | FIELD | OBJECT
            extend schema @s { subscription: S }
            extend scalar Date @d
            extend type Q implements C { g: Int }
            extend interface B @d
            extend union U = Z
            extend enum E { THREE }
            extend input I { c: Int }
            """);

        var schema = Assert.IsType<SchemaDefinitionNode>(document.Definitions[0]);
        Assert.Equal("The schema", schema.Description!.Value);
        Assert.Equal([OperationType.Query, OperationType.Mutation], schema.OperationTypes.Select(o => o.Operation));
        Assert.Equal("Date", Assert.IsType<ScalarTypeDefinitionNode>(document.Definitions[1]).Name.Value);
        var type = Assert.IsType<ObjectTypeDefinitionNode>(document.Definitions[2]);
        Assert.Equal(["A", "B"], type.Interfaces.Select(i => i.Name.Value));
        var field = type.Fields[0];
        Assert.Equal("f", field.Description!.Value);
        Assert.Equal("1", Assert.IsType<IntValueNode>(field.Arguments[0].DefaultValue).Value);
        Assert.Equal("deprecated", field.Arguments[0].Directives[0].Name.Value);
        Assert.Equal(["A"], Assert.IsType<InterfaceTypeDefinitionNode>(document.Definitions[3]).Interfaces.Select(i => i.Name.Value));
        Assert.Equal(["X", "Y"], Assert.IsType<UnionTypeDefinitionNode>(document.Definitions[4]).Types.Select(t => t.Name.Value));
        Assert.Equal(["ONE", "TWO"], Assert.IsType<EnumTypeDefinitionNode>(document.Definitions[5]).Values.Select(v => v.Name.Value));
        Assert.Equal(2, Assert.IsType<InputObjectTypeDefinitionNode>(document.Definitions[6]).Fields.Count);
        var directive = Assert.IsType<DirectiveDefinitionNode>(document.Definitions[7]);
        Assert.True(directive.Repeatable);
        Assert.Equal(["FIELD", "OBJECT"], directive.Locations.Select(l => l.Value));
        Assert.IsType<SchemaExtensionNode>(document.Definitions[8]);
        Assert.IsType<ScalarTypeExtensionNode>(document.Definitions[9]);
        Assert.Equal("C", Assert.IsType<ObjectTypeExtensionNode>(document.Definitions[10]).Interfaces[0].Name.Value);
        Assert.IsType<InterfaceTypeExtensionNode>(document.Definitions[11]);
        Assert.IsType<UnionTypeExtensionNode>(document.Definitions[12]);
        Assert.IsType<EnumTypeExtensionNode>(document.Definitions[13]);
        Assert.IsType<InputObjectTypeExtensionNode>(document.Definitions[14]);
    }

    [Fact]
    public void Nodes_carry_locations_with_line_and_column()
    {
        var document = Parser.Parse("{\n  field(arg: 1)\n}");
        var field = (FieldNode)((OperationDefinitionNode)document.Definitions[0]).SelectionSet.Selections[0];
        Assert.Equal((4, 17), (field.Location!.Value.Start, field.Location.Value.End));
        Assert.Equal(new SourceLocation(2, 3), field.Location.Value.StartLocation);
        Assert.Equal(new SourceLocation(2, 16), field.Location.Value.EndLocation);
        Assert.Equal((0, 19), (document.Location!.Value.Start, document.Location.Value.End));
    }

    [Fact]
    public void NoLocation_leaves_locations_out()
    {
        var document = Parser.Parse("{ a }", new ParserOptions { NoLocation = true });
        Assert.Null(document.Location);
        Assert.Null(((OperationDefinitionNode)document.Definitions[0]).SelectionSet.Location);
    }

    [Fact]
    public void Parses_single_values_and_types()
    {
        Assert.Equal("[1, {a: $b}]", Printer.Print(Parser.ParseValue("[1, {a: $b}]")));
        Assert.Equal("[String!]!", Printer.Print(Parser.ParseType("[String!]!")));
        Assert.Throws<GraphQLSyntaxError>(() => Parser.ParseConstValue("$a"));
        Assert.Throws<GraphQLSyntaxError>(() => Parser.ParseValue("1 2"));
    }

    [Fact]
    public void Keywords_are_valid_names()
    {
        var names = new[] { "on", "fragment", "query", "mutation", "subscription", "true", "false", "null", "type", "extend" };
        foreach (var name in names)
        {
            var document = Parser.Parse($"query {name} {{ ... {(name == "on" ? "a" : name)} ... on {name} {{ {name} }} }}");
            Assert.Single(document.Definitions);
        }
    }
}
