using Records.GraphQL.Language;

namespace Records.GraphQL.Tests.Language;

public class PrinterTests
{
    private static void AssertRoundTrip(string canonical)
    {
        var printed = Printer.Print(Parser.Parse(canonical));
        Assert.Equal(canonical, printed);
        Assert.Equal(printed, Printer.Print(Parser.Parse(printed)));
    }

    [Fact]
    public void Prints_the_query_shorthand_and_named_operations()
    {
        Assert.Equal("{\n  a\n}", Printer.Print(Parser.Parse("query { a }")));
        Assert.Equal("query Q {\n  a\n}", Printer.Print(Parser.Parse("query Q{a}")));
        Assert.Equal("query ($a: Int) {\n  a\n}", Printer.Print(Parser.Parse("query($a:Int){a}")));
        Assert.Equal("query @d {\n  a\n}", Printer.Print(Parser.Parse("query @d {a}")));
        Assert.Equal("mutation {\n  a\n}", Printer.Print(Parser.Parse("mutation{a}")));
    }

    [Fact]
    public void Round_trips_an_executable_document()
    {
        AssertRoundTrip("""
            "Described"
            query Q($id: ID! = "1" @v, $l: [[Int!]] = [[1]]) @op {
              alias: node(id: $id, f: 1.5e3, s: "a\"b\n", b: true, n: null, e: RED) @skip(if: false) {
                list(l: [1, 2], o: {a: {b: 1}})
                ...Frag @d
                ... on User {
                  name
                }
                ... @include(if: true) {
                  id
                }
              }
            }

            fragment Frag on Node @d {
              id
            }

            subscription {
              s
            }
            """);
    }

    [Fact]
    public void Prints_described_variables_one_per_line()
    {
        AssertRoundTrip("""
            query Q(
              "The id"
              $id: ID!
              $flag: Boolean = false
            ) {
              node(id: $id)
            }
            """);
    }

    [Fact]
    public void Wraps_long_argument_lists()
    {
        var printed = Printer.Print(Parser.Parse(
            "{ field(aVeryLongArgumentName: \"a long string value\", anotherLongArgument: \"more text here\") }"));
        Assert.Equal("""
            {
              field(
                aVeryLongArgumentName: "a long string value"
                anotherLongArgument: "more text here"
              )
            }
            """, printed);
    }

    [Fact]
    public void Round_trips_the_type_system_language()
    {
        AssertRoundTrip(""""
            "The schema"
            schema @s {
              query: Q
              mutation: M
            }

            scalar Date @specifiedBy(url: "https://example.com")

            """
            A type
            with lines
            """
            type Q implements A & B @d {
              "f"
              f(
                "a"
                a: Int = 1 @deprecated
              ): [String!]! @deprecated(reason: "no")
              g(a: Int, b: [I!] = [{a: 1}]): Int
            }

            interface B implements A {
              f: Int
            }

            union U @d = X | Y

            enum E {
              "one"
              ONE @deprecated
              TWO
            }

            input I @oneOf {
              a: Int = 2
              b: String
            }

            "dir"
            directive @d(a: Int) repeatable on FIELD | OBJECT

            extend schema @s {
              subscription: S
            }

            extend scalar Date @d

            extend type Q implements C {
              g: Int
            }

            extend interface B @d

            extend union U = Z

            extend enum E {
              THREE
            }

            extend input I {
              c: Int
            }
            """");
    }

    [Theory]
    [InlineData("", "\"\"\"\"\"\"")]
    [InlineData("single line", "\"\"\"single line\"\"\"")]
    [InlineData("two\nlines", "\"\"\"\ntwo\nlines\n\"\"\"")]
    [InlineData(" leading space", "\"\"\" leading space\"\"\"")]
    [InlineData("trailing quote\"", "\"\"\"\ntrailing quote\"\n\"\"\"")]
    [InlineData("has \"\"\" inside", "\"\"\"has \\\"\"\" inside\"\"\"")]
    public void Prints_block_strings_like_graphql_js(string value, string printed)
    {
        Assert.Equal(printed, BlockString.Print(value));
        var token = new Lexer(new Source(printed)).Advance();
        Assert.Equal(value, token.Value);
    }

    [Theory]
    [InlineData("plain", true)]
    [InlineData("two\nlines", true)]
    [InlineData("\nleading blank line", false)]
    [InlineData("trailing blank line\n", false)]
    [InlineData("  common\n  indent", false)]
    [InlineData("carriage\rreturn", false)]
    [InlineData("control\u0001", false)]
    public void Knows_which_strings_print_as_block_strings(string value, bool printable)
    {
        Assert.Equal(printable, BlockString.IsPrintable(value));
    }

    [Fact]
    public void Escapes_strings_like_graphql_js()
    {
        Assert.Equal("\"a\\\"b\\\\c\\n\\t\\u0001\\u007F\u00E9\"", Printer.PrintString("a\"b\\c\n\t\u0001\u007F\u00E9"));
    }
}
