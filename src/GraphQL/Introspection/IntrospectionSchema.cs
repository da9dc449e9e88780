using Records.GraphQL.Execution;
using Records.GraphQL.Language;
using Records.GraphQL.Types;
using GraphQLSchema = Records.GraphQL.Types.Schema;

namespace Records.GraphQL.Introspection;

/// <summary>
/// The introspection system (spec section 4, September 2025): the <c>__Schema</c>, <c>__Type</c>, <c>__Field</c>,
/// <c>__InputValue</c>, <c>__EnumValue</c>, <c>__Directive</c>, <c>__TypeKind</c> and <c>__DirectiveLocation</c> types,
/// and the <c>__schema</c> and <c>__type(name:)</c> fields execution adds to the query root type.
/// Their sources are the type system's own objects: <see cref="Schema"/>, <see cref="GraphQLType"/>, <see cref="FieldDefinition"/>,
/// <see cref="InputValueDefinition"/>, <see cref="EnumValueDefinition"/> and <see cref="DirectiveDefinition"/>.
/// </summary>
public static class IntrospectionSchema
{
    /// <summary>The kinds of types (spec 4.2.2).</summary>
    public static EnumType TypeKind { get; } = new("__TypeKind",
    [
        new("SCALAR", "SCALAR") { Description = "Indicates this type is a scalar." },
        new("OBJECT", "OBJECT") { Description = "Indicates this type is an object. `fields` and `interfaces` are valid fields." },
        new("INTERFACE", "INTERFACE") { Description = "Indicates this type is an interface. `fields`, `interfaces`, and `possibleTypes` are valid fields." },
        new("UNION", "UNION") { Description = "Indicates this type is a union. `possibleTypes` is a valid field." },
        new("ENUM", "ENUM") { Description = "Indicates this type is an enum. `enumValues` is a valid field." },
        new("INPUT_OBJECT", "INPUT_OBJECT") { Description = "Indicates this type is an input object. `inputFields` is a valid field." },
        new("LIST", "LIST") { Description = "Indicates this type is a list. `ofType` is a valid field." },
        new("NON_NULL", "NON_NULL") { Description = "Indicates this type is a non-null. `ofType` is a valid field." },
    ], "An enum describing what kind of type a given `__Type` is.");

    /// <summary>Where directives may be used; values stand for <see cref="Language.DirectiveLocation"/> members.</summary>
    public static EnumType DirectiveLocation { get; } = new("__DirectiveLocation",
        Enum.GetValues<DirectiveLocation>()
            .Where(location => location != Language.DirectiveLocation.FRAGMENT_VARIABLE_DEFINITION)
            .Select(location => new EnumValueDefinition(location.ToString(), location)),
        "A Directive can be adjacent to many parts of the GraphQL language, a __DirectiveLocation describes one such possible adjacencies.");

    public static ObjectType Schema { get; } = new("__Schema", ConfigureSchema,
        "A GraphQL Schema defines the capabilities of a GraphQL server. It exposes all available types and directives on the server, as well as the entry points for query, mutation, and subscription operations.");

    public static ObjectType Type { get; } = new("__Type", ConfigureType,
        "The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.\n\n" +
        "Depending on the kind of a type, certain fields describe information about that type. Scalar types provide no information beyond a name, " +
        "description and optional `specifiedByURL`, while Enum types provide their values. Object and Interface types provide the fields they describe. " +
        "Abstract types, Union and Interface, provide the Object types possible at runtime. List and NonNull types compose other types.");

    public static ObjectType Field { get; } = new("__Field", ConfigureField,
        "Object and Interface types are described by a list of Fields, each of which has a name, potentially a list of arguments, and a return type.");

    public static ObjectType InputValue { get; } = new("__InputValue", ConfigureInputValue,
        "Arguments provided to Fields or Directives and the input fields of an InputObject are represented as Input Values which describe their type and optionally a default value.");

    public static ObjectType EnumValue { get; } = new("__EnumValue", ConfigureEnumValue,
        "One possible value for a given Enum. Enum values are unique values, not a placeholder for a string or numeric value. However an Enum value is returned in a JSON response as a string.");

    public static ObjectType Directive { get; } = new("__Directive", ConfigureDirective,
        "A Directive provides a way to describe alternate runtime execution and type validation behavior in a GraphQL document.\n\n" +
        "In some cases, you need to provide options to alter GraphQL's execution behavior in ways field arguments will not suffice, such as conditionally " +
        "including or skipping a field. Directives provide this by describing additional information to the executor.");

    private static void ConfigureSchema(FieldsBuilder t) => t
        .Field("description", ScalarType.String, c => ((GraphQLSchema)c.Source!).Description)
        .Field("types", Type.NonNull().List().NonNull(), c => AllTypes((GraphQLSchema)c.Source!),
            description: "A list of all types supported by this server.")
        .Field("queryType", Type.NonNull(), c => ((GraphQLSchema)c.Source!).Query, description: "The type that query operations will be rooted at.")
        .Field("mutationType", Type, c => ((GraphQLSchema)c.Source!).Mutation,
            description: "If this server supports mutation, the type that mutation operations will be rooted at.")
        .Field("subscriptionType", Type, c => ((GraphQLSchema)c.Source!).Subscription,
            description: "If this server supports subscription, the type that subscription operations will be rooted at.")
        .Field("directives", Directive.NonNull().List().NonNull(), c => ((GraphQLSchema)c.Source!).Directives,
            description: "A list of all directives supported by this server.");

    private static void ConfigureType(FieldsBuilder t) => t
        .Field("kind", TypeKind.NonNull(), c => KindOf((GraphQLType)c.Source!))
        .Field("name", ScalarType.String, c => (c.Source as NamedType)?.Name)
        .Field("description", ScalarType.String, c => (c.Source as NamedType)?.Description)
        .Field("specifiedByURL", ScalarType.String, c => (c.Source as ScalarType)?.SpecifiedByUrl)
        .Field("fields", Field.NonNull().List(),
            c => c.Source is ComplexType complex ? complex.Fields.Values.Where(f => IncludeDeprecated(c) || !f.IsDeprecated).ToArray() : null,
            arguments: [IncludeDeprecatedArgument()])
        .Field("interfaces", Type.NonNull().List(), c => (c.Source as ComplexType)?.Interfaces)
        .Field("possibleTypes", Type.NonNull().List(),
            c => c.Source is NamedType { IsAbstractType: true } abstractType ? c.Schema.GetPossibleTypes(abstractType) : null)
        .Field("enumValues", EnumValue.NonNull().List(),
            c => (c.Source as EnumType)?.Values.Where(v => IncludeDeprecated(c) || !v.IsDeprecated).ToArray(),
            arguments: [IncludeDeprecatedArgument()])
        .Field("inputFields", InputValue.NonNull().List(),
            c => (c.Source as InputObjectType)?.Fields.Values.Where(f => IncludeDeprecated(c) || !f.IsDeprecated).ToArray(),
            arguments: [IncludeDeprecatedArgument()])
        .Field("ofType", Type, c => c.Source switch
        {
            ListType list => list.OfType,
            NonNullType nonNull => nonNull.OfType,
            _ => null,
        })
        .Field("isOneOf", ScalarType.Boolean, c => (c.Source as InputObjectType)?.IsOneOf);

    private static void ConfigureField(FieldsBuilder t) => t
        .Field("name", ScalarType.String.NonNull(), c => ((FieldDefinition)c.Source!).Name)
        .Field("description", ScalarType.String, c => ((FieldDefinition)c.Source!).Description)
        .Field("args", InputValue.NonNull().List().NonNull(),
            c => ((FieldDefinition)c.Source!).Arguments.Where(a => IncludeDeprecated(c) || !a.IsDeprecated).ToArray(),
            arguments: [IncludeDeprecatedArgument()])
        .Field("type", Type.NonNull(), c => ((FieldDefinition)c.Source!).Type)
        .Field("isDeprecated", ScalarType.Boolean.NonNull(), c => ((FieldDefinition)c.Source!).IsDeprecated)
        .Field("deprecationReason", ScalarType.String, c => ((FieldDefinition)c.Source!).DeprecationReason);

    private static void ConfigureInputValue(FieldsBuilder t) => t
        .Field("name", ScalarType.String.NonNull(), c => ((InputValueDefinition)c.Source!).Name)
        .Field("description", ScalarType.String, c => ((InputValueDefinition)c.Source!).Description)
        .Field("type", Type.NonNull(), c => ((InputValueDefinition)c.Source!).Type)
        .Field("defaultValue", ScalarType.String, c => PrintDefaultValue((InputValueDefinition)c.Source!),
            description: "A GraphQL-formatted string representing the default value for this input value.")
        .Field("isDeprecated", ScalarType.Boolean.NonNull(), c => ((InputValueDefinition)c.Source!).IsDeprecated)
        .Field("deprecationReason", ScalarType.String, c => ((InputValueDefinition)c.Source!).DeprecationReason);

    private static void ConfigureEnumValue(FieldsBuilder t) => t
        .Field("name", ScalarType.String.NonNull(), c => ((EnumValueDefinition)c.Source!).Name)
        .Field("description", ScalarType.String, c => ((EnumValueDefinition)c.Source!).Description)
        .Field("isDeprecated", ScalarType.Boolean.NonNull(), c => ((EnumValueDefinition)c.Source!).IsDeprecated)
        .Field("deprecationReason", ScalarType.String, c => ((EnumValueDefinition)c.Source!).DeprecationReason);

    private static void ConfigureDirective(FieldsBuilder t) => t
        .Field("name", ScalarType.String.NonNull(), c => ((DirectiveDefinition)c.Source!).Name)
        .Field("description", ScalarType.String, c => ((DirectiveDefinition)c.Source!).Description)
        .Field("isRepeatable", ScalarType.Boolean.NonNull(), c => ((DirectiveDefinition)c.Source!).IsRepeatable)
        .Field("locations", DirectiveLocation.NonNull().List().NonNull(), c => ((DirectiveDefinition)c.Source!).Locations)
        .Field("args", InputValue.NonNull().List().NonNull(),
            c => ((DirectiveDefinition)c.Source!).Arguments.Where(a => IncludeDeprecated(c) || !a.IsDeprecated).ToArray(),
            arguments: [IncludeDeprecatedArgument()]);

    /// <summary>The introspection types, in graphql-js's order.</summary>
    public static IReadOnlyList<NamedType> Types { get; } = [Schema, Type, TypeKind, Field, InputValue, EnumValue, Directive, DirectiveLocation];

    /// <summary><c>__schema: __Schema!</c>, on the query root type.</summary>
    public static FieldDefinition SchemaField { get; } = new("__schema", Schema.NonNull())
    {
        Description = "Access the current type schema of this server.",
        Resolve = context => new ValueTask<object?>(Guarded(context, context.Schema)),
    };

    /// <summary><c>__type(name: String!): __Type</c>, on the query root type.</summary>
    public static FieldDefinition TypeField { get; } = new("__type", Type, [new InputValueDefinition("name", ScalarType.String.NonNull())])
    {
        Description = "Request the type information of a single type.",
        Resolve = context => new ValueTask<object?>(Guarded(context, GetType(context.Schema, context.Argument<string>("name")!))),
    };

    /// <summary>A named type of the schema, or an introspection type; null when neither has that name.</summary>
    public static NamedType? GetType(Schema schema, string name) =>
        schema.GetType(name) ?? Types.FirstOrDefault(t => t.Name == name);

    private static IEnumerable<NamedType> AllTypes(Schema schema) =>
        schema.Types.Values.Concat(Types.Where(t => !schema.Types.ContainsKey(t.Name)));

    private static object? Guarded(ResolveContext context, object? value) =>
        context is ExecutionResolveContext { Execution.Request.AllowIntrospection: false }
            ? throw new GraphQLError("GraphQL introspection is not allowed for this request.", ErrorCodes.IntrospectionDisabled)
            : value;

    private static string KindOf(GraphQLType type) => type switch
    {
        ScalarType => "SCALAR",
        ObjectType => "OBJECT",
        InterfaceType => "INTERFACE",
        UnionType => "UNION",
        EnumType => "ENUM",
        InputObjectType => "INPUT_OBJECT",
        ListType => "LIST",
        NonNullType => "NON_NULL",
        _ => throw new ArgumentException($"Unknown kind of type {type}.", nameof(type)),
    };

    private static InputValueDefinition IncludeDeprecatedArgument() => new("includeDeprecated", ScalarType.Boolean) { DefaultValue = false };

    private static bool IncludeDeprecated(ResolveContext context) => context.Argument<bool>("includeDeprecated");

    // As SDL prints it: the default as written in SDL, else the coerced default turned back into a literal.
    private static string? PrintDefaultValue(InputValueDefinition value)
    {
        var literal = value.AstNode?.DefaultValue ?? (value.HasDefaultValue ? ValueCoercion.AstFromValue(value.DefaultValue, value.Type) : null);
        return literal is null ? null : Printer.Print(literal);
    }
}
