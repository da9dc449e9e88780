using System.Text.Json;
using Records.GraphQL.Execution;
using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Tests.Introspection;

// graphql-js's standard introspection query (all options on) runs against our engine; graphql-js rebuilds the schema from
// our result, validates it, and prints it exactly as it prints the SDL the schema was built from.
public class GraphQLJsConformanceTests
{
    internal const string Sdl = """"
        "The schema of the conformance test: every kind of type."
        schema {
          query: Query
          mutation: Mutation
          subscription: Subscription
        }

        "Marks a field as cacheable."
        directive @cached(
          "Seconds to keep."
          maxAge: Int = 60
          scopes: [Scope!] = [PUBLIC]
        ) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE

        directive @audit(reason: String @deprecated(reason: "Use note.") note: String) on QUERY | MUTATION | FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT | VARIABLE_DEFINITION | SCHEMA | SCALAR | ARGUMENT_DEFINITION | UNION | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION

        """
        An instant, as an ISO 8601 string.
        Second line of the description.
        """
        scalar DateTime @specifiedBy(url: "https://tools.ietf.org/html/rfc3339")

        scalar Json

        "Who may see a value."
        enum Scope {
          PUBLIC
          "Only the owner."
          PRIVATE
          LEGACY @deprecated
          OLD @deprecated(reason: "Use PRIVATE.")
        }

        interface Node {
          id: ID!
        }

        "Something with a timestamp."
        interface Entity implements Node {
          id: ID!
          createdAt: DateTime
        }

        type User implements Entity & Node @cached(maxAge: 10) @cached {
          id: ID!
          createdAt: DateTime
          "The display name."
          name(
            "Upper-case it."
            upper: Boolean = false
            style: String @deprecated(reason: "Use upper.")
          ): String!
          friends(first: Int = 10, after: String, filter: UserFilter = {nameContains: "a", scopes: [PUBLIC, PRIVATE]}): [User!]!
          legacyName: String @deprecated(reason: "Use name.")
          oldName: String @deprecated
          settings: Json
        }

        type Post implements Entity & Node {
          id: ID!
          createdAt: DateTime
          title: String
          score: Float
          author: User
        }

        "A search hit."
        union SearchResult = User | Post

        input UserFilter {
          nameContains: String
          scopes: [Scope!] = [PUBLIC]
          minAge: Int = 18 @deprecated(reason: "Use ageRange.")
          ageRange: [Int!]
          nested: UserFilter
        }

        "Look a user up by exactly one key."
        input UserKey @oneOf {
          id: ID
          email: String
        }

        type Query {
          node(id: ID!): Node
          user(key: UserKey!): User
          search(text: String = "", limit: Int = 5, filter: UserFilter): [SearchResult]
          now: DateTime
          pi: Float
          flag: Boolean
        }

        type Mutation {
          rename(id: ID!, name: String!): User
        }

        type Subscription {
          userChanged(id: ID!): User
        }
        """";

    [Fact]
    public async Task GraphQLJs_rebuilds_and_prints_our_introspection_as_it_prints_the_sdl()
    {
        var schema = SchemaBuilder.FromSdl(Sdl).AssertValid();
        var query = await NodeScript.RunAsync("introspection.mjs", "query");

        var result = await Executor.ExecuteAsync(new ExecutionRequest { Schema = schema, Document = Parser.Parse(query) });
        Assert.Null(result.Errors);

        var directory = Directory.CreateTempSubdirectory("graphql-js-conformance-");
        try
        {
            var sdlFile = Path.Combine(directory.FullName, "schema.graphql");
            var resultFile = Path.Combine(directory.FullName, "introspection.json");
            await File.WriteAllTextAsync(sdlFile, Sdl);
            await File.WriteAllBytesAsync(resultFile, result.ToUtf8Json());

            using var verdict = JsonDocument.Parse(await NodeScript.RunAsync("introspection.mjs", "check", sdlFile, resultFile));
            Assert.Empty(verdict.RootElement.GetProperty("errors").EnumerateArray());
            Assert.Equal(verdict.RootElement.GetProperty("expected").GetString(), verdict.RootElement.GetProperty("printed").GetString());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
