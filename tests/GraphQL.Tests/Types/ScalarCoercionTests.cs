using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Tests.Types;

// Coercion tables of spec section 3.5 ("Scalars"), with graphql-js's messages.
public class ScalarCoercionTests
{
    public static TheoryData<ScalarType, object, object> ResultCoercions => new()
    {
        { ScalarType.Int, 1, 1 },
        { ScalarType.Int, 123L, 123 },
        { ScalarType.Int, 1.0, 1 },
        { ScalarType.Int, -1e5, -100000 },
        { ScalarType.Int, true, 1 },
        { ScalarType.Int, false, 0 },
        { ScalarType.Int, "123", 123 },
        { ScalarType.Float, 1, 1.0 },
        { ScalarType.Float, 0.1, 0.1 },
        { ScalarType.Float, true, 1.0 },
        { ScalarType.Float, "-1.1", -1.1 },
        { ScalarType.String, "string", "string" },
        { ScalarType.String, 1, "1" },
        { ScalarType.String, -1.1, "-1.1" },
        { ScalarType.String, true, "true" },
        { ScalarType.Boolean, true, true },
        { ScalarType.Boolean, 1, true },
        { ScalarType.Boolean, 0, false },
        { ScalarType.ID, "string", "string" },
        { ScalarType.ID, 123, "123" },
        { ScalarType.ID, 9007199254740993L, "9007199254740993" },
    };

    [Theory]
    [MemberData(nameof(ResultCoercions))]
    public void Serializes_per_the_result_coercion_rules(ScalarType scalar, object value, object expected)
    {
        Assert.Equal(expected, scalar.Serialize(value));
    }

    public static TheoryData<ScalarType, object, string> ResultCoercionErrors => new()
    {
        { ScalarType.Int, 0.1, "Int cannot represent non-integer value: 0.1" },
        { ScalarType.Int, 1e100, "Int cannot represent non 32-bit signed integer value: 1e+100" },
        { ScalarType.Int, 2147483648L, "Int cannot represent non 32-bit signed integer value: 2147483648" },
        { ScalarType.Int, "one", "Int cannot represent non-integer value: \"one\"" },
        { ScalarType.Int, "", "Int cannot represent non-integer value: \"\"" },
        { ScalarType.Int, double.NaN, "Int cannot represent non-integer value: NaN" },
        { ScalarType.Float, double.PositiveInfinity, "Float cannot represent non numeric value: Infinity" },
        { ScalarType.Float, "one", "Float cannot represent non numeric value: \"one\"" },
        { ScalarType.String, new object[] { 1 }, "String cannot represent value: [1]" },
        { ScalarType.Boolean, "true", "Boolean cannot represent a non boolean value: \"true\"" },
        { ScalarType.ID, 1.5, "ID cannot represent value: 1.5" },
        { ScalarType.ID, true, "ID cannot represent value: true" },
    };

    [Theory]
    [MemberData(nameof(ResultCoercionErrors))]
    public void Rejects_unrepresentable_results(ScalarType scalar, object value, string message)
    {
        Assert.Equal(message, Assert.Throws<CoercionException>(() => scalar.Serialize(value)).Message);
    }

    public static TheoryData<ScalarType, object, object?> InputCoercions => new()
    {
        { ScalarType.Int, 1, 1 },
        { ScalarType.Int, 1L, 1 },
        { ScalarType.Int, 1.0, 1 },
        { ScalarType.Float, 1, 1.0 },
        { ScalarType.Float, 1.5, 1.5 },
        { ScalarType.String, "a", "a" },
        { ScalarType.Boolean, false, false },
        { ScalarType.ID, "x", "x" },
        { ScalarType.ID, 42L, "42" },
    };

    [Theory]
    [MemberData(nameof(InputCoercions))]
    public void Parses_runtime_input_values(ScalarType scalar, object value, object? expected)
    {
        Assert.Equal(expected, scalar.ParseValue(value));
    }

    public static TheoryData<ScalarType, object, string> InputCoercionErrors => new()
    {
        { ScalarType.Int, "1", "Int cannot represent non-integer value: \"1\"" },
        { ScalarType.Int, true, "Int cannot represent non-integer value: true" },
        { ScalarType.Int, 1.5, "Int cannot represent non-integer value: 1.5" },
        { ScalarType.Int, 3000000000L, "Int cannot represent non 32-bit signed integer value: 3000000000" },
        { ScalarType.Float, "1.5", "Float cannot represent non numeric value: \"1.5\"" },
        { ScalarType.String, 1, "String cannot represent a non string value: 1" },
        { ScalarType.Boolean, 1, "Boolean cannot represent a non boolean value: 1" },
        { ScalarType.ID, 1.5, "ID cannot represent value: 1.5" },
    };

    [Theory]
    [MemberData(nameof(InputCoercionErrors))]
    public void Rejects_bad_runtime_input_values(ScalarType scalar, object value, string message)
    {
        Assert.Equal(message, Assert.Throws<CoercionException>(() => scalar.ParseValue(value)).Message);
    }

    public static TheoryData<ScalarType, string, object> LiteralCoercions => new()
    {
        { ScalarType.Int, "123", 123 },
        { ScalarType.Int, "-2147483648", int.MinValue },
        { ScalarType.Float, "123", 123.0 },
        { ScalarType.Float, "1.5e3", 1500.0 },
        { ScalarType.String, "\"abc\"", "abc" },
        { ScalarType.String, "\"\"\"block\"\"\"", "block" },
        { ScalarType.Boolean, "true", true },
        { ScalarType.ID, "\"abc\"", "abc" },
        { ScalarType.ID, "123", "123" },
    };

    [Theory]
    [MemberData(nameof(LiteralCoercions))]
    public void Parses_literals(ScalarType scalar, string literal, object expected)
    {
        Assert.Equal(expected, scalar.ParseLiteral(Parser.ParseConstValue(literal)));
    }

    [Theory]
    [InlineData("Int", "1.5", "Int cannot represent non-integer value: 1.5")]
    [InlineData("Int", "\"1\"", "Int cannot represent non-integer value: \"1\"")]
    [InlineData("Int", "2147483648", "Int cannot represent non 32-bit signed integer value: 2147483648")]
    [InlineData("Float", "\"1\"", "Float cannot represent non numeric value: \"1\"")]
    [InlineData("String", "1", "String cannot represent a non string value: 1")]
    [InlineData("String", "ENUM", "String cannot represent a non string value: ENUM")]
    [InlineData("Boolean", "1", "Boolean cannot represent a non boolean value: 1")]
    [InlineData("ID", "1.0", "ID cannot represent a non-string and non-integer value: 1.0")]
    public void Rejects_bad_literals(string scalarName, string literal, string message)
    {
        var scalar = ScalarType.SpecifiedScalars.Single(s => s.Name == scalarName);
        Assert.Equal(message, Assert.Throws<CoercionException>(() => scalar.ParseLiteral(Parser.ParseConstValue(literal))).Message);
    }

    [Fact]
    public void Custom_scalars_pass_values_through_and_read_literals_untyped()
    {
        var json = new ScalarType("JSON", specifiedByUrl: "https://www.rfc-editor.org/rfc/rfc8259");
        Assert.Equal("x", json.Serialize("x"));
        var parsed = Assert.IsType<Dictionary<string, object?>>(json.ParseLiteral(Parser.ParseConstValue("{a: [1, 2.5, \"s\", null]}")));
        Assert.Equal(new List<object?> { 1L, 2.5, "s", null }, Assert.IsType<List<object?>>(parsed["a"]));
        Assert.False(json.IsSpecified);
        Assert.True(ScalarType.Int.IsSpecified);
    }
}
