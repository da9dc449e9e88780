using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Tests.Types;

public class ValueCoercionTests
{
    private static readonly EnumType Color = new("Color", [new EnumValueDefinition("RED", 1), new EnumValueDefinition("GREEN", 2)]);

    private static readonly InputObjectType Point = new("Point", f => f
        .Field("x", ScalarType.Int.NonNull())
        .Field(new InputValueDefinition("y", ScalarType.Int) { DefaultValue = 7 })
        .Field("color", Color));

    private static readonly InputObjectType OneOf = new("OneOf", f => f.Field("a", ScalarType.Int).Field("b", ScalarType.String), isOneOf: true);

    private static bool TryCoerce(string literal, GraphQLType type, out object? value, Dictionary<string, object?>? variables = null) =>
        ValueCoercion.TryCoerceInputLiteral(Parser.ParseValue(literal), type, variables, out value);

    [Fact]
    public void Coerces_literals_of_every_input_kind()
    {
        Assert.True(TryCoerce("{x: 1, color: GREEN}", Point, out var point));
        Assert.Equal(new Dictionary<string, object?> { ["x"] = 1, ["y"] = 7, ["color"] = 2 }, point);

        Assert.True(TryCoerce("[1, 2]", ScalarType.Int.List(), out var list));
        Assert.Equal(new List<object?> { 1, 2 }, list);
        Assert.True(TryCoerce("3", ScalarType.Int.List(), out var single));
        Assert.Equal(new List<object?> { 3 }, single);
        Assert.True(TryCoerce("null", ScalarType.Int, out var nullValue));
        Assert.Null(nullValue);
    }

    [Theory]
    [InlineData("null", "Int!")]
    [InlineData("\"1\"", "Int")]
    [InlineData("[1, \"2\"]", "[Int]")]
    [InlineData("[1, null]", "[Int!]")]
    [InlineData("{y: 1}", "Point")]
    [InlineData("{x: 1, z: 1}", "Point")]
    [InlineData("{x: 1, color: BLUE}", "Point")]
    [InlineData("{x: 1, color: \"RED\"}", "Point")]
    [InlineData("{a: 1, b: \"x\"}", "OneOf")]
    [InlineData("{a: null}", "OneOf")]
    [InlineData("{}", "OneOf")]
    public void Rejects_invalid_literals(string literal, string typeName)
    {
        GraphQLType type = typeName switch
        {
            "Int!" => ScalarType.Int.NonNull(),
            "Int" => ScalarType.Int,
            "[Int]" => ScalarType.Int.List(),
            "[Int!]" => ScalarType.Int.NonNull().List(),
            "Point" => Point,
            _ => OneOf,
        };
        Assert.False(TryCoerce(literal, type, out _));
    }

    [Fact]
    public void Reads_variables_and_treats_missing_ones_as_absent()
    {
        var variables = new Dictionary<string, object?> { ["v"] = 5, ["n"] = null };
        Assert.True(TryCoerce("$v", ScalarType.Int.NonNull(), out var value, variables));
        Assert.Equal(5, value);
        Assert.False(TryCoerce("$n", ScalarType.Int.NonNull(), out _, variables));
        Assert.False(TryCoerce("$missing", ScalarType.Int, out _, variables));
        Assert.True(TryCoerce("[$missing, $v]", ScalarType.Int.List(), out var list, variables));
        Assert.Equal(new List<object?> { null, 5 }, list);
        Assert.True(TryCoerce("{x: 1, y: $missing}", Point, out var point, variables));
        Assert.Equal(7, ((Dictionary<string, object?>)point!)["y"]);
    }

    [Fact]
    public void Coerces_runtime_values_and_names_the_bad_path()
    {
        var point = ValueCoercion.CoerceInputValue(new Dictionary<string, object?> { ["x"] = 1L, ["color"] = "RED" }, Point);
        Assert.Equal(new Dictionary<string, object?> { ["x"] = 1, ["y"] = 7, ["color"] = 1 }, point);

        var error = Assert.Throws<CoercionException>(() =>
            ValueCoercion.CoerceInputValue(new List<object?> { new Dictionary<string, object?> { ["x"] = "no" } }, Point.List(), "$points"));
        Assert.Equal("Int cannot represent non-integer value: \"no\" at $points[0].x.", error.Message);
        Assert.Throws<CoercionException>(() => ValueCoercion.CoerceInputValue(null, ScalarType.Int.NonNull()));
        Assert.Throws<CoercionException>(() => ValueCoercion.CoerceInputValue(new Dictionary<string, object?> { ["x"] = 1, ["q"] = 1 }, Point));
        Assert.Throws<CoercionException>(() => ValueCoercion.CoerceInputValue(new Dictionary<string, object?> { ["a"] = 1, ["b"] = "x" }, OneOf));
    }

    [Fact]
    public void Prints_values_as_literals()
    {
        Assert.Equal("{x: 1, y: 7, color: RED}",
            Printer.Print(ValueCoercion.AstFromValue(new Dictionary<string, object?> { ["x"] = 1, ["y"] = 7, ["color"] = 1 }, Point)!));
        Assert.Equal("[1.5, 2]", Printer.Print(ValueCoercion.AstFromValue(new List<object?> { 1.5, 2.0 }, ScalarType.Float.List())!));
        Assert.Equal("123", Printer.Print(ValueCoercion.AstFromValue("123", ScalarType.ID)!));
        Assert.Equal("\"01\"", Printer.Print(ValueCoercion.AstFromValue("01", ScalarType.ID)!));
        Assert.Equal("null", Printer.Print(ValueCoercion.AstFromValue(null, ScalarType.String)!));
        Assert.Null(ValueCoercion.AstFromValue(null, ScalarType.String.NonNull()));
    }
}
