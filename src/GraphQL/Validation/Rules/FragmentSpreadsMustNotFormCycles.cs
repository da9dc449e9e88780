using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>
/// 5.5.2.2 Fragment Spreads Must Not Form Cycles (graphql-js NoFragmentCyclesRule). Each fragment is searched
/// once, depth-first along its spreads, so every cycle is reported once, at the spreads that form it.
/// </summary>
public sealed class FragmentSpreadsMustNotFormCycles(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.FragmentDefinition;

    private readonly HashSet<string> _visited = [];
    private readonly List<FragmentSpreadNode> _spreadPath = [];
    private readonly Dictionary<string, int> _spreadPathIndexByName = [];

    public override VisitAction Enter(Node node)
    {
        if (node is FragmentDefinitionNode fragment) DetectCycles(fragment);
        return VisitAction.Continue;
    }

    private void DetectCycles(FragmentDefinitionNode fragment)
    {
        var name = fragment.Name.Value;
        if (!_visited.Add(name)) return;
        var spreads = Context.GetFragmentSpreads(fragment.SelectionSet);
        if (spreads.Count == 0) return;

        _spreadPathIndexByName[name] = _spreadPath.Count;
        foreach (var spread in spreads)
        {
            var spreadName = spread.Name.Value;
            _spreadPath.Add(spread);
            if (!_spreadPathIndexByName.TryGetValue(spreadName, out var cycleIndex))
            {
                if (Context.GetFragment(spreadName) is { } target) DetectCycles(target);
            }
            else
            {
                var cyclePath = _spreadPath[cycleIndex..];
                var via = string.Join(", ", cyclePath[..^1].Select(s => "\"" + s.Name.Value + "\""));
                Context.ReportError(
                    $"Cannot spread fragment \"{spreadName}\" within itself{(via.Length > 0 ? " via " + via : "")}.", [.. cyclePath]);
            }
            _spreadPath.RemoveAt(_spreadPath.Count - 1);
        }
        _spreadPathIndexByName.Remove(name);
    }
}
