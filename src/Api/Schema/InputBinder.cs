using System.Collections;
using System.Reflection;

namespace Records.Api.Schema;

/// <summary>
/// Builds the domain's records from coerced GraphQL input (the engine has already checked every type,
/// required field and scalar, so values are of their field's type): input objects become records through
/// their primary constructor, lists become typed lists.
/// </summary>
public static class InputBinder
{
    /// <summary>The value for <paramref name="parameter"/> from an input object's fields; a field left out takes the parameter's default.</summary>
    public static object? Argument(ParameterInfo parameter, IReadOnlyDictionary<string, object?> fields) =>
        fields.TryGetValue(DomainTypes.FieldName(parameter.Name!), out var value)
            ? Bind(value, parameter.ParameterType)
            : parameter.HasDefaultValue ? parameter.DefaultValue : null;

    private static object? Bind(object? value, Type target)
    {
        if (value is null) return null;
        var type = Nullable.GetUnderlyingType(target) ?? target;
        if (type.IsInstanceOfType(value) && value is not IEnumerable or string) return value;
        if (type != typeof(string) && DomainTypes.IsList(type, out var item) && value is IEnumerable items)
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(item))!;
            foreach (var each in items) list.Add(Bind(each, item));
            if (type.IsArray)
            {
                var array = Array.CreateInstance(item, list.Count);
                list.CopyTo(array, 0);
                return array;
            }
            return type.IsAssignableFrom(list.GetType())
                ? list
                : throw new NotSupportedException($"A list of {item.Name} cannot be given as {type.Name}.");
        }
        if (value is IReadOnlyDictionary<string, object?> fields && type.IsClass)
        {
            var constructor = DomainTypes.PrimaryConstructor(type);
            return constructor.Invoke(constructor.GetParameters().Select(p => Argument(p, fields)).ToArray());
        }
        // DomainTypes gives every C# type the GraphQL type whose coerced values are of it; anything else is a mapping bug.
        throw new InvalidOperationException($"A coerced {value.GetType().Name} cannot be given as {type.Name}: the mapping in {nameof(DomainTypes)} disagrees.");
    }
}
