using System.Collections;
using System.Reflection;
using System.Text.Json;
using NodaTime;
using Records.GraphQL.Types;

namespace Records.Api.Schema;

/// <summary>
/// The GraphQL types of the domain's records, derived from the C# records by reflection and made once
/// per C# type: a record parameter becomes an input field (<c>Diagnosis</c> → <c>DiagnosisInput</c>), a
/// record property an output field, a C# enum a GraphQL enum (<c>OnlineFollowUp</c> → <c>ONLINE_FOLLOW_UP</c>),
/// NodaTime values the text scalars of <see cref="DomainScalars"/>. A name ending in <c>Id</c> is an <c>ID</c>.
/// Nullable reference types decide what is required.
/// </summary>
public sealed class DomainTypes(CommonTypes common)
{
    private readonly NullabilityInfoContext _nullability = new();
    private readonly Dictionary<Type, EnumType> _enums = new() { [typeof(Domain.RecordAccess.PurposeOfUse)] = common.PurposeOfUse };
    private readonly Dictionary<Type, InputObjectType> _inputs = [];
    private readonly Dictionary<Type, ObjectType> _outputs = [];
    private readonly Dictionary<Type, ObjectType> _entries = [];

    public static string FieldName(string memberName) => JsonNamingPolicy.CamelCase.ConvertName(memberName);

    /// <summary>The input type of a constructor parameter (non-null unless the parameter is nullable or has a default).</summary>
    public GraphQLType InputOf(ParameterInfo parameter) =>
        Input(parameter.ParameterType, _nullability.Create(parameter), parameter.Name!, optional: parameter.HasDefaultValue);

    /// <summary>The output type of a record: an object type with a field per public property.</summary>
    public ObjectType OutputOf(Type record)
    {
        if (_outputs.TryGetValue(record, out var existing)) return existing;
        var type = new ObjectType(record.Name, t =>
        {
            foreach (var property in record.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
            {
                var output = Output(property.PropertyType, _nullability.Create(property), property.Name);
                // A map is shown as a list of entries (key, value); everything else by execution's default resolver.
                if (IsDictionary(property.PropertyType, out _))
                    t.Field(FieldName(property.Name), output, ctx => ((IEnumerable)property.GetValue(ctx.Source)!).Cast<object>().ToList());
                else t.Field(FieldName(property.Name), output);
            }
        });
        _outputs[record] = type;
        return type;
    }

    private GraphQLType Input(Type type, NullabilityInfo nullability, string name, bool optional)
    {
        var named = Nullable.GetUnderlyingType(type) is { } underlying
            ? Named(underlying, name, input: true)
            : IsList(type, out var item)
                ? Input(item, nullability.ElementType ?? nullability.GenericTypeArguments[0], name, optional: false).List()
                : Named(type, name, input: true);
        return optional || IsNullable(type, nullability) ? named : named.NonNull();
    }

    private GraphQLType Output(Type type, NullabilityInfo nullability, string name)
    {
        GraphQLType named;
        if (Nullable.GetUnderlyingType(type) is { } underlying) named = Named(underlying, name, input: false);
        else if (IsDictionary(type, out var value)) named = EntryOf(value, nullability.GenericTypeArguments[^1]).NonNull().List();
        else if (IsList(type, out var item)) named = Output(item, nullability.ElementType ?? nullability.GenericTypeArguments[0], name).List();
        else named = Named(type, name, input: false);
        return IsNullable(type, nullability) ? named : named.NonNull();
    }

    private GraphQLType Named(Type type, string name, bool input) => type switch
    {
        _ when type == typeof(string) => name.EndsWith("Id", StringComparison.Ordinal) || name == "Id" ? ScalarType.ID : ScalarType.String,
        _ when type == typeof(bool) => ScalarType.Boolean,
        _ when type == typeof(int) => ScalarType.Int,
        _ when type == typeof(double) => ScalarType.Float,
        _ when type == typeof(long) => DomainScalars.Long,
        _ when type == typeof(decimal) => DomainScalars.Decimal,
        _ when type == typeof(Instant) => DomainScalars.Instant,
        _ when type == typeof(LocalDate) => DomainScalars.LocalDate,
        _ when type == typeof(Duration) => DomainScalars.Duration,
        { IsEnum: true } => EnumOf(type),
        { IsClass: true } when input => InputRecordOf(type),
        { IsClass: true } => OutputOf(type),
        _ => throw new NotSupportedException($"The API has no GraphQL type for {type.Name} (member {name}): add it to {nameof(DomainTypes)}."),
    };

    /// <summary>The schema's one enum type for a C# enum (the read side shares them).</summary>
    public EnumType EnumOf(Type type)
    {
        if (_enums.TryGetValue(type, out var existing)) return existing;
        var made = (EnumType)typeof(EnumType).GetMethod(nameof(EnumType.FromEnum))!.MakeGenericMethod(type).Invoke(null, [null, null])!;
        _enums[type] = made;
        return made;
    }

    private InputObjectType InputRecordOf(Type record)
    {
        if (_inputs.TryGetValue(record, out var existing)) return existing;
        var type = new InputObjectType(record.Name + "Input", f =>
        {
            foreach (var parameter in PrimaryConstructor(record).GetParameters())
                f.Field(FieldName(parameter.Name!), InputOf(parameter), DomainDocs.Parameter(record, parameter.Name!));
        }, DomainDocs.Summary(record));
        _inputs[record] = type;
        return type;
    }

    private ObjectType EntryOf(Type value, NullabilityInfo nullability)
    {
        if (_entries.TryGetValue(value, out var existing)) return existing;
        var type = new ObjectType(value.Name + "Entry", t => t
            .Field("key", ScalarType.String.NonNull())
            .Field("value", Output(value, nullability, "value")), description: $"One {value.Name} of a map, under its key.");
        _entries[value] = type;
        return type;
    }

    /// <summary>The constructor a record is built with: the one with the most parameters (a positional record's primary constructor).</summary>
    public static ConstructorInfo PrimaryConstructor(Type record) =>
        record.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();

    private static bool IsNullable(Type type, NullabilityInfo nullability) =>
        Nullable.GetUnderlyingType(type) is not null || !type.IsValueType && nullability.ReadState == NullabilityState.Nullable;

    public static bool IsList(Type type, out Type item)
    {
        item = type.IsArray ? type.GetElementType()! : type;
        if (type.IsArray) return true;
        var enumerable = type == typeof(string) ? null
            : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>) ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        if (enumerable is null) return false;
        item = enumerable.GetGenericArguments()[0];
        return true;
    }

    private static bool IsDictionary(Type type, out Type value)
    {
        var dictionary = type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));
        value = dictionary?.GetGenericArguments()[1] ?? typeof(object);
        return dictionary is not null;
    }
}
