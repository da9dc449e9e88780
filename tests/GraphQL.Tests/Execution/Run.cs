using System.Text.Json;
using System.Text.Json.Nodes;
using Records.GraphQL.Execution;
using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Tests.Execution;

/// <summary>Runs documents through the executor and compares responses as JSON.</summary>
internal static class Run
{
    public static ExecutionRequest Request(Schema schema, string document, string? variablesJson = null, object? root = null, string? operationName = null) => new()
    {
        Schema = schema,
        Document = Parser.Parse(document),
        Variables = variablesJson is null ? null : ExecutionRequest.VariablesFromJson(JsonDocument.Parse(variablesJson).RootElement),
        RootValue = root,
        OperationName = operationName,
    };

    public static async Task<string> Json(Schema schema, string document, string? variablesJson = null, object? root = null, string? operationName = null) =>
        (await Executor.ExecuteAsync(Request(schema, document, variablesJson, root, operationName))).ToJson();

    public static async Task<string> Json(ExecutionRequest request) => (await Executor.ExecuteAsync(request)).ToJson();

    /// <summary>Asserts two JSON texts are equal, member order included, whitespace ignored.</summary>
    public static void AssertJson(string expected, string actual) =>
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), JsonNode.Parse(actual)!.ToJsonString());
}
