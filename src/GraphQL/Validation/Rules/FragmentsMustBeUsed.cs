using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>5.5.1.4 Fragments Must Be Used: every fragment is spread by some operation, directly or through fragments (graphql-js NoUnusedFragmentsRule).</summary>
public sealed class FragmentsMustBeUsed(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.Document;

    public override void Leave(Node node)
    {
        if (node is not DocumentNode document) return;
        var used = new HashSet<string>();
        foreach (var definition in document.Definitions)
        {
            if (definition is not OperationDefinitionNode operation) continue;
            foreach (var fragment in Context.GetRecursivelyReferencedFragments(operation)) used.Add(fragment.Name.Value);
        }
        foreach (var definition in document.Definitions)
        {
            if (definition is FragmentDefinitionNode fragment && !used.Contains(fragment.Name.Value))
                Context.ReportError($"Fragment \"{fragment.Name.Value}\" is never used.", fragment);
        }
    }
}
