namespace Records.GraphQL.Types;

/// <summary>Comparisons between type references that validation and execution share (graphql-js's typeComparators).</summary>
public static class TypeComparators
{
    /// <summary>Same named type under the same list and non-null wrappers.</summary>
    public static bool IsEqualType(GraphQLType a, GraphQLType b) => (a, b) switch
    {
        _ when ReferenceEquals(a, b) => true,
        (NonNullType x, NonNullType y) => IsEqualType(x.OfType, y.OfType),
        (ListType x, ListType y) => IsEqualType(x.OfType, y.OfType),
        _ => false,
    };

    /// <summary>
    /// Whether a value of <paramref name="maybeSubType"/> is always a valid <paramref name="superType"/>:
    /// non-null may narrow a nullable type, lists compare their items, and objects or interfaces fit interfaces and unions they belong to.
    /// </summary>
    public static bool IsTypeSubTypeOf(Schema schema, GraphQLType maybeSubType, GraphQLType superType)
    {
        if (ReferenceEquals(maybeSubType, superType)) return true;
        if (superType is NonNullType superNonNull)
            return maybeSubType is NonNullType subNonNull && IsTypeSubTypeOf(schema, subNonNull.OfType, superNonNull.OfType);
        if (maybeSubType is NonNullType nonNull) return IsTypeSubTypeOf(schema, nonNull.OfType, superType);
        if (superType is ListType superList)
            return maybeSubType is ListType subList && IsTypeSubTypeOf(schema, subList.OfType, superList.OfType);
        if (maybeSubType is ListType) return false;
        return superType is NamedType { IsAbstractType: true } abstractType
            && maybeSubType is ObjectType or InterfaceType
            && schema.IsSubType(abstractType, (NamedType)maybeSubType);
    }

    /// <summary>Whether some object type could be both <paramref name="a"/> and <paramref name="b"/> (composite named types).</summary>
    public static bool DoTypesOverlap(Schema schema, NamedType a, NamedType b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.IsAbstractType)
            return b.IsAbstractType
                ? schema.GetPossibleTypes(a).Any(type => schema.IsSubType(b, type))
                : schema.IsSubType(a, b);
        return b.IsAbstractType && schema.IsSubType(b, a);
    }
}
