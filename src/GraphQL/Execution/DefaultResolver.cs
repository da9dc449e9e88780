using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Records.GraphQL.Types;

namespace Records.GraphQL.Execution;

/// <summary>
/// What a field without a resolver resolves to (graphql-js's defaultFieldResolver, for .NET values): the parent's
/// dictionary entry of the field's name, else its public property, field or parameterless method of that name
/// (ignoring case, so <c>firstName</c> reads <c>FirstName</c>). Accessors are compiled once per CLR type and name.
/// </summary>
public static class DefaultResolver
{
    private static readonly ConcurrentDictionary<(Type, string), Func<object, object?>> Accessors = new();

    /// <summary>The default resolver as a <see cref="FieldResolver"/>.</summary>
    public static FieldResolver Instance { get; } = context => new ValueTask<object?>(Resolve(context.Source, context.FieldDefinition.Name));

    /// <summary>The value of member <paramref name="name"/> of <paramref name="source"/>; null when it has none.</summary>
    public static object? Resolve(object? source, string name) => source switch
    {
        null => null,
        IReadOnlyDictionary<string, object?> map => map.GetValueOrDefault(name),
        IDictionary<string, object?> map => map.TryGetValue(name, out var value) ? value : null,
        IDictionary map => map.Contains(name) ? map[name] : null,
        _ => Accessors.GetOrAdd((source.GetType(), name), static key => Compile(key.Item1, key.Item2))(source),
    };

    private static Func<object, object?> Compile(Type type, string name)
    {
        const BindingFlags Public = BindingFlags.Public | BindingFlags.Instance;
        var source = Expression.Parameter(typeof(object), "source");
        var typed = Expression.Convert(source, type);
        Expression? member =
            Pick(type.GetProperties(Public).Where(p => p.GetIndexParameters().Length == 0 && p.CanRead), name) is { } property ? Expression.Property(typed, property)
            : Pick(type.GetFields(Public), name) is { } field ? Expression.Field(typed, field)
            : Pick(type.GetMethods(Public).Where(m => m.GetParameters().Length == 0 && m.ReturnType != typeof(void) && !m.IsGenericMethod), name) is { } method
                ? Expression.Call(typed, method)
            : null;
        if (member is null) return static _ => null;
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(member, typeof(object)), source).Compile();
    }

    // An exact name match wins over a case-insensitive one.
    private static T? Pick<T>(IEnumerable<T> members, string name) where T : MemberInfo
    {
        T? insensitive = null;
        foreach (var member in members)
        {
            if (member.Name == name) return member;
            if (insensitive is null && string.Equals(member.Name, name, StringComparison.OrdinalIgnoreCase)) insensitive = member;
        }
        return insensitive;
    }
}
