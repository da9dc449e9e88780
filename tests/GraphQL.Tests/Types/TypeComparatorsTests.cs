using Records.GraphQL.Types;

namespace Records.GraphQL.Tests.Types;

public class TypeComparatorsTests
{
    private static readonly Schema Schema = SchemaBuilder.FromSdl("""
        type Query { a: Node }
        interface Node { id: ID }
        interface Named { id: ID }
        type User implements Node & Named { id: ID }
        type Post implements Node { id: ID }
        type Lonely { id: ID }
        union Content = Post | Lonely
        """);

    private static NamedType T(string name) => Schema.GetType(name)!;

    [Fact]
    public void Compares_type_references()
    {
        Assert.True(TypeComparators.IsEqualType(ScalarType.Int.NonNull().List(), ScalarType.Int.NonNull().List()));
        Assert.False(TypeComparators.IsEqualType(ScalarType.Int.List(), ScalarType.Int.NonNull().List()));

        Assert.True(TypeComparators.IsTypeSubTypeOf(Schema, ScalarType.Int.NonNull(), ScalarType.Int));
        Assert.False(TypeComparators.IsTypeSubTypeOf(Schema, ScalarType.Int, ScalarType.Int.NonNull()));
        Assert.True(TypeComparators.IsTypeSubTypeOf(Schema, T("User").NonNull().List(), T("Node").List()));
        Assert.False(TypeComparators.IsTypeSubTypeOf(Schema, T("User").List(), T("Node")));
        Assert.False(TypeComparators.IsTypeSubTypeOf(Schema, T("Lonely"), T("Node")));
        Assert.True(TypeComparators.IsTypeSubTypeOf(Schema, T("Post"), T("Content")));
    }

    [Fact]
    public void Finds_overlapping_types()
    {
        Assert.True(TypeComparators.DoTypesOverlap(Schema, T("Node"), T("Named")));
        Assert.True(TypeComparators.DoTypesOverlap(Schema, T("Content"), T("Node")));
        Assert.True(TypeComparators.DoTypesOverlap(Schema, T("User"), T("Named")));
        Assert.False(TypeComparators.DoTypesOverlap(Schema, T("Post"), T("Named")));
        Assert.False(TypeComparators.DoTypesOverlap(Schema, T("User"), T("Content")));
        Assert.False(TypeComparators.DoTypesOverlap(Schema, T("Lonely"), T("User")));
        Assert.Equal(["User", "Post"], Schema.GetPossibleTypes(T("Node")).Select(t => t.Name));
    }
}
