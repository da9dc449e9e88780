using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Validation.Rules;

/// <summary>
/// 5.4.2.1 Required Arguments: every non-null argument without a default is given, on fields and directives
/// (graphql-js ProvidedRequiredArgumentsRule).
/// </summary>
public sealed class RequiredArguments(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.Field | NodeKinds.Directive;

    public override void Leave(Node node)
    {
        switch (node)
        {
            case FieldNode field when Context.TypeInfo.FieldDefinition is { } definition:
                foreach (var argument in definition.Arguments)
                {
                    if (IsRequired(argument) && !IsGiven(field.Arguments, argument.Name))
                        Context.ReportError(
                            $"Argument \"{Context.TypeInfo.ParentType?.Name}.{definition.Name}({argument.Name}:)\" of type \"{argument.Type}\" is required, but it was not provided.",
                            field);
                }
                break;
            case DirectiveNode directive when Context.Schema.GetDirective(directive.Name.Value) is { } definition:
                foreach (var argument in definition.Arguments)
                {
                    if (IsRequired(argument) && !IsGiven(directive.Arguments, argument.Name))
                        Context.ReportError(
                            $"Argument \"@{definition.Name}({argument.Name}:)\" of type \"{argument.Type}\" is required, but it was not provided.",
                            directive);
                }
                break;
        }
    }

    private static bool IsRequired(InputValueDefinition argument) => argument.Type is NonNullType && !argument.HasDefaultValue;

    private static bool IsGiven(IReadOnlyList<ArgumentNode> arguments, string name)
    {
        foreach (var argument in arguments)
            if (argument.Name.Value == name) return true;
        return false;
    }
}
