using System.Runtime.CompilerServices;
using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Validation.Rules;

/// <summary>
/// 5.3.2 Field Selection Merging: fields with the same response name in a selection set (through fragments too)
/// can be merged: same field and arguments unless their parents are different object types, shapes of return
/// types that agree, and mergeable sub-selections (graphql-js OverlappingFieldsCanBeMergedRule).
/// </summary>
/// <remarks>
/// The spec's algorithm compares every pair of fields of every selection set and can take exponential time.
/// As graphql-js does, each selection set's fields and spread fragment names are collected once (cached), pairs of
/// fragments are compared once per exclusivity (a pair set), and a field map is compared with a fragment once.
/// </remarks>
public sealed class FieldSelectionMerging(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.SelectionSet;

    private readonly Dictionary<SelectionSetNode, FieldsAndFragments> _cache = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(string, string), bool> _comparedFragmentPairs = [];
    private readonly HashSet<(FieldMap, string, bool)> _comparedFieldsAndFragments = [];

    public override VisitAction Enter(Node node)
    {
        if (node is not SelectionSetNode selectionSet || HasOnlyDistinctFields(selectionSet)) return VisitAction.Continue;
        var conflicts = new List<Conflict>();
        FindConflictsWithinSelectionSet(conflicts, Context.TypeInfo.ParentType, selectionSet);
        foreach (var conflict in conflicts)
        {
            Context.ReportError(
                $"Fields \"{conflict.ResponseName}\" conflict because {conflict.Reason.Message}. Use different aliases on the fields to fetch both if this was intentional.",
                [.. conflict.Fields1, .. conflict.Fields2]);
        }
        return VisitAction.Continue;
    }

    // Most selection sets are a few fields with distinct response names: nothing within them can conflict
    // (their sub-selections are checked when the walk reaches them), so no field map is built for them.
    private static bool HasOnlyDistinctFields(SelectionSetNode selectionSet)
    {
        var selections = selectionSet.Selections;
        if (selections.Count > 32) return false;
        for (var i = 0; i < selections.Count; i++)
        {
            if (selections[i] is not FieldNode field) return false;
            for (var j = 0; j < i; j++)
                if (((FieldNode)selections[j]).ResponseKey == field.ResponseKey) return false;
        }
        return true;
    }

    // Conflicts between the fields of one selection set, including the fields its fragments bring in.
    private void FindConflictsWithinSelectionSet(List<Conflict> conflicts, NamedType? parentType, SelectionSetNode selectionSet)
    {
        var (fieldMap, fragmentNames) = GetFieldsAndFragmentNames(parentType, selectionSet);
        CollectConflictsWithin(conflicts, fieldMap);
        for (var i = 0; i < fragmentNames.Count; i++)
        {
            CollectConflictsBetweenFieldsAndFragment(conflicts, false, fieldMap, fragmentNames[i]);
            for (var j = i + 1; j < fragmentNames.Count; j++)
                CollectConflictsBetweenFragments(conflicts, false, fragmentNames[i], fragmentNames[j]);
        }
    }

    private void CollectConflictsBetweenFieldsAndFragment(
        List<Conflict> conflicts, bool areMutuallyExclusive, FieldMap fieldMap, string fragmentName)
    {
        // Nothing conflicts with no fields (as with a selection set that only spreads fragments).
        if (fieldMap.Groups.Count == 0 || !_comparedFieldsAndFragments.Add((fieldMap, fragmentName, areMutuallyExclusive))) return;
        if (Context.GetFragment(fragmentName) is not { } fragment) return;
        var (fragmentFieldMap, referencedFragmentNames) = GetReferencedFieldsAndFragmentNames(fragment);
        if (ReferenceEquals(fieldMap, fragmentFieldMap)) return;

        CollectConflictsBetween(conflicts, areMutuallyExclusive, fieldMap, fragmentFieldMap);
        foreach (var referencedFragmentName in referencedFragmentNames)
            CollectConflictsBetweenFieldsAndFragment(conflicts, areMutuallyExclusive, fieldMap, referencedFragmentName);
    }

    private void CollectConflictsBetweenFragments(
        List<Conflict> conflicts, bool areMutuallyExclusive, string fragmentName1, string fragmentName2)
    {
        if (fragmentName1 == fragmentName2) return;
        // Comparing as not mutually exclusive finds everything comparing as mutually exclusive finds, not the reverse.
        var key = string.CompareOrdinal(fragmentName1, fragmentName2) < 0 ? (fragmentName1, fragmentName2) : (fragmentName2, fragmentName1);
        if (_comparedFragmentPairs.TryGetValue(key, out var comparedExclusive) && (areMutuallyExclusive || !comparedExclusive)) return;
        _comparedFragmentPairs[key] = areMutuallyExclusive;

        if (Context.GetFragment(fragmentName1) is not { } fragment1 || Context.GetFragment(fragmentName2) is not { } fragment2) return;
        var (fieldMap1, referencedFragmentNames1) = GetReferencedFieldsAndFragmentNames(fragment1);
        var (fieldMap2, referencedFragmentNames2) = GetReferencedFieldsAndFragmentNames(fragment2);
        CollectConflictsBetween(conflicts, areMutuallyExclusive, fieldMap1, fieldMap2);
        foreach (var referenced2 in referencedFragmentNames2)
            CollectConflictsBetweenFragments(conflicts, areMutuallyExclusive, fragmentName1, referenced2);
        foreach (var referenced1 in referencedFragmentNames1)
            CollectConflictsBetweenFragments(conflicts, areMutuallyExclusive, referenced1, fragmentName2);
    }

    // Conflicts between the sub-selections of two fields that share a response name.
    private List<Conflict> FindConflictsBetweenSubSelectionSets(
        bool areMutuallyExclusive, NamedType? parentType1, SelectionSetNode selectionSet1, NamedType? parentType2, SelectionSetNode selectionSet2)
    {
        var conflicts = new List<Conflict>();
        var (fieldMap1, fragmentNames1) = GetFieldsAndFragmentNames(parentType1, selectionSet1);
        var (fieldMap2, fragmentNames2) = GetFieldsAndFragmentNames(parentType2, selectionSet2);
        CollectConflictsBetween(conflicts, areMutuallyExclusive, fieldMap1, fieldMap2);
        foreach (var fragmentName2 in fragmentNames2)
            CollectConflictsBetweenFieldsAndFragment(conflicts, areMutuallyExclusive, fieldMap1, fragmentName2);
        foreach (var fragmentName1 in fragmentNames1)
            CollectConflictsBetweenFieldsAndFragment(conflicts, areMutuallyExclusive, fieldMap2, fragmentName1);
        foreach (var fragmentName1 in fragmentNames1)
            foreach (var fragmentName2 in fragmentNames2)
                CollectConflictsBetweenFragments(conflicts, areMutuallyExclusive, fragmentName1, fragmentName2);
        return conflicts;
    }

    private void CollectConflictsWithin(List<Conflict> conflicts, FieldMap fieldMap)
    {
        foreach (var (responseName, fields) in fieldMap.Groups)
        {
            for (var i = 0; i < fields.Count; i++)
                for (var j = i + 1; j < fields.Count; j++)
                    if (FindConflict(false, responseName, fields[i], fields[j]) is { } conflict) conflicts.Add(conflict);
        }
    }

    private void CollectConflictsBetween(List<Conflict> conflicts, bool parentFieldsAreMutuallyExclusive, FieldMap fieldMap1, FieldMap fieldMap2)
    {
        foreach (var (responseName, fields1) in fieldMap1.Groups)
        {
            if (!fieldMap2.TryGet(responseName, out var fields2)) continue;
            foreach (var field1 in fields1)
                foreach (var field2 in fields2)
                    if (FindConflict(parentFieldsAreMutuallyExclusive, responseName, field1, field2) is { } conflict) conflicts.Add(conflict);
        }
    }

    private Conflict? FindConflict(bool parentFieldsAreMutuallyExclusive, string responseName, FieldAndDefinition field1, FieldAndDefinition field2)
    {
        // Fields on two different object types never both execute, so their names and arguments may differ.
        var areMutuallyExclusive = parentFieldsAreMutuallyExclusive
            || (!ReferenceEquals(field1.ParentType, field2.ParentType) && field1.ParentType is ObjectType && field2.ParentType is ObjectType);
        var node1 = field1.Node;
        var node2 = field2.Node;
        if (!areMutuallyExclusive)
        {
            if (node1.Name.Value != node2.Name.Value)
                return Conflict.Between(responseName, $"\"{node1.Name.Value}\" and \"{node2.Name.Value}\" are different fields", node1, node2);
            if (!SameArguments(node1.Arguments, node2.Arguments))
                return Conflict.Between(responseName, "they have differing arguments", node1, node2);
        }

        var type1 = field1.Definition?.Type;
        var type2 = field2.Definition?.Type;
        if (type1 is not null && type2 is not null && DoTypesConflict(type1, type2))
            return Conflict.Between(responseName, $"they return conflicting types \"{type1}\" and \"{type2}\"", node1, node2);

        if (node1.SelectionSet is { } selectionSet1 && node2.SelectionSet is { } selectionSet2)
        {
            var subConflicts = FindConflictsBetweenSubSelectionSets(
                areMutuallyExclusive, type1?.Named, selectionSet1, type2?.Named, selectionSet2);
            if (subConflicts.Count > 0) return Conflict.FromSubfields(responseName, node1, node2, subConflicts);
        }
        return null;
    }

    private static bool SameArguments(IReadOnlyList<ArgumentNode> arguments1, IReadOnlyList<ArgumentNode> arguments2)
    {
        if (arguments1.Count != arguments2.Count) return false;
        foreach (var argument1 in arguments1)
        {
            ArgumentNode? argument2 = null;
            foreach (var candidate in arguments2)
            {
                if (candidate.Name.Value != argument1.Name.Value) continue;
                argument2 = candidate;
                break;
            }
            if (argument2 is null || !SameValue(argument1.Value, argument2.Value)) return false;
        }
        return true;
    }

    // Values compare as printed, with object fields in name order (graphql-js's sortValueNode then print).
    private static bool SameValue(ValueNode a, ValueNode b) => (a, b) switch
    {
        (VariableNode x, VariableNode y) => x.Name.Value == y.Name.Value,
        (IntValueNode x, IntValueNode y) => x.Value == y.Value,
        (FloatValueNode x, FloatValueNode y) => x.Value == y.Value,
        (StringValueNode x, StringValueNode y) => x.Value == y.Value,
        (BooleanValueNode x, BooleanValueNode y) => x.Value == y.Value,
        (NullValueNode, NullValueNode) => true,
        (EnumValueNode x, EnumValueNode y) => x.Value == y.Value,
        (ListValueNode x, ListValueNode y) => SameList(x.Values, y.Values),
        (ObjectValueNode x, ObjectValueNode y) => SameObject(x.Fields, y.Fields),
        _ => false,
    };

    private static bool SameList(IReadOnlyList<ValueNode> a, IReadOnlyList<ValueNode> b)
    {
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
            if (!SameValue(a[i], b[i])) return false;
        return true;
    }

    private static bool SameObject(IReadOnlyList<ObjectFieldNode> a, IReadOnlyList<ObjectFieldNode> b)
    {
        if (a.Count != b.Count) return false;
        var sortedA = a.OrderBy(f => f.Name.Value, StringComparer.Ordinal).ToArray();
        var sortedB = b.OrderBy(f => f.Name.Value, StringComparer.Ordinal).ToArray();
        for (var i = 0; i < sortedA.Length; i++)
            if (sortedA[i].Name.Value != sortedB[i].Name.Value || !SameValue(sortedA[i].Value, sortedB[i].Value)) return false;
        return true;
    }

    // Two types conflict when their list and non-null wrappers differ, or when they end in different leaf types.
    // Differing composite types do not conflict by themselves: their sub-selections are compared instead.
    private static bool DoTypesConflict(GraphQLType type1, GraphQLType type2) => (type1, type2) switch
    {
        (ListType list1, ListType list2) => DoTypesConflict(list1.OfType, list2.OfType),
        (ListType, _) or (_, ListType) => true,
        (NonNullType nonNull1, NonNullType nonNull2) => DoTypesConflict(nonNull1.OfType, nonNull2.OfType),
        (NonNullType, _) or (_, NonNullType) => true,
        _ when type1.Named.IsLeafType || type2.Named.IsLeafType => !ReferenceEquals(type1, type2),
        _ => false,
    };

    private FieldsAndFragments GetReferencedFieldsAndFragmentNames(FragmentDefinitionNode fragment) =>
        _cache.TryGetValue(fragment.SelectionSet, out var cached)
            ? cached
            : GetFieldsAndFragmentNames(TypeInfo.GetNamedType(Context.Schema, fragment.TypeCondition.Name.Value), fragment.SelectionSet);

    private FieldsAndFragments GetFieldsAndFragmentNames(NamedType? parentType, SelectionSetNode selectionSet)
    {
        if (_cache.TryGetValue(selectionSet, out var cached)) return cached;
        var fieldMap = new FieldMap();
        var fragmentNames = new List<string>();
        CollectFieldsAndFragmentNames(parentType, selectionSet, fieldMap, fragmentNames);
        var result = new FieldsAndFragments(fieldMap, fragmentNames);
        _cache[selectionSet] = result;
        return result;
    }

    private void CollectFieldsAndFragmentNames(NamedType? parentType, SelectionSetNode selectionSet, FieldMap fieldMap, List<string> fragmentNames)
    {
        foreach (var selection in selectionSet.Selections)
        {
            switch (selection)
            {
                case FieldNode field:
                    var definition = parentType is ComplexType complex ? complex.GetField(field.Name.Value) : null;
                    fieldMap.Add(field.ResponseKey, new FieldAndDefinition(parentType, field, definition));
                    break;
                case FragmentSpreadNode spread:
                    if (!fragmentNames.Contains(spread.Name.Value)) fragmentNames.Add(spread.Name.Value);
                    break;
                case InlineFragmentNode inline:
                    var inlineType = inline.TypeCondition is { } condition ? TypeInfo.GetNamedType(Context.Schema, condition.Name.Value) : parentType;
                    CollectFieldsAndFragmentNames(inlineType, inline.SelectionSet, fieldMap, fragmentNames);
                    break;
            }
        }
    }

    private readonly record struct FieldAndDefinition(NamedType? ParentType, FieldNode Node, FieldDefinition? Definition);

    private readonly record struct FieldsAndFragments(FieldMap FieldMap, List<string> FragmentNames);

    // Fields by response name, in the order the names first appear. Compared by reference.
    private sealed class FieldMap : IEquatable<FieldMap>
    {
        private readonly Dictionary<string, List<FieldAndDefinition>> _byName = [];

        public List<KeyValuePair<string, List<FieldAndDefinition>>> Groups { get; } = [];

        public void Add(string responseName, FieldAndDefinition field)
        {
            if (!_byName.TryGetValue(responseName, out var fields))
            {
                _byName[responseName] = fields = [];
                Groups.Add(new(responseName, fields));
            }
            fields.Add(field);
        }

        public bool TryGet(string responseName, out List<FieldAndDefinition> fields) => _byName.TryGetValue(responseName, out fields!);

        public bool Equals(FieldMap? other) => ReferenceEquals(this, other);

        public override bool Equals(object? obj) => ReferenceEquals(this, obj);

        public override int GetHashCode() => RuntimeHelpers.GetHashCode(this);
    }

    // Why two fields cannot merge: a sentence, or the conflicts of their subfields.
    private sealed record Reason(string? Text, List<Conflict>? Subfields)
    {
        public string Message => Text ?? string.Join(" and ", Subfields!.Select(c => $"subfields \"{c.ResponseName}\" conflict because {c.Reason.Message}"));
    }

    private sealed record Conflict(string ResponseName, Reason Reason, List<FieldNode> Fields1, List<FieldNode> Fields2)
    {
        public static Conflict Between(string responseName, string reason, FieldNode node1, FieldNode node2) =>
            new(responseName, new Reason(reason, null), [node1], [node2]);

        public static Conflict FromSubfields(string responseName, FieldNode node1, FieldNode node2, List<Conflict> subConflicts)
        {
            List<FieldNode> fields1 = [node1];
            List<FieldNode> fields2 = [node2];
            foreach (var sub in subConflicts)
            {
                fields1.AddRange(sub.Fields1);
                fields2.AddRange(sub.Fields2);
            }
            return new Conflict(responseName, new Reason(null, subConflicts), fields1, fields2);
        }
    }
}
