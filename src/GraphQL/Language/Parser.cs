namespace Records.GraphQL.Language;

/// <summary>
/// Recursive-descent parser for the whole GraphQL grammar: executable documents and the type system
/// language (SDL). Each method parses one production and is named after it, as in graphql-js.
/// </summary>
public sealed class Parser
{
    private readonly Lexer _lexer;
    private readonly ParserOptions _options;
    private int _tokenCount;
    private int _depth;

    private Parser(Source source, ParserOptions options)
    {
        _options = options;
        if (source.Body.Length > options.MaxDocumentLength)
            throw new GraphQLSyntaxError(source, 0,
                $"Document is longer than {options.MaxDocumentLength} characters (MaxDocumentLength). Parsing aborted.",
                GraphQLSyntaxError.MaxDocumentLengthCode);
        _lexer = new Lexer(source);
    }

    /// <summary>Parses a document. Throws <see cref="GraphQLSyntaxError"/> on invalid text or an exceeded limit.</summary>
    public static DocumentNode Parse(string text, ParserOptions? options = null) => Parse(new Source(text), options);

    /// <inheritdoc cref="Parse(string, ParserOptions?)"/>
    public static DocumentNode Parse(Source source, ParserOptions? options = null) =>
        new Parser(source, options ?? ParserOptions.Default).ParseDocument();

    /// <summary>Parses a single value literal, such as <c>[1, {a: $b}]</c>.</summary>
    public static ValueNode ParseValue(string text, ParserOptions? options = null) =>
        new Parser(new Source(text), options ?? ParserOptions.Default).ParseWhole(p => p.ParseValueLiteral(isConst: false));

    /// <summary>Parses a single constant value literal (no variables).</summary>
    public static ValueNode ParseConstValue(string text, ParserOptions? options = null) =>
        new Parser(new Source(text), options ?? ParserOptions.Default).ParseWhole(p => p.ParseValueLiteral(isConst: true));

    /// <summary>Parses a single type reference, such as <c>[String!]!</c>.</summary>
    public static TypeNode ParseType(string text, ParserOptions? options = null) =>
        new Parser(new Source(text), options ?? ParserOptions.Default).ParseWhole(p => p.ParseTypeReference());

    private T ParseWhole<T>(Func<Parser, T> parse)
    {
        ExpectToken(TokenKind.Sof);
        var node = parse(this);
        ExpectToken(TokenKind.Eof);
        return node;
    }

    // Document

    private DocumentNode ParseDocument()
    {
        var start = _lexer.Token;
        return new DocumentNode(Many(TokenKind.Sof, ParseDefinition, TokenKind.Eof), Loc(start));
    }

    private DefinitionNode ParseDefinition()
    {
        if (Peek(TokenKind.BraceL)) return ParseOperationDefinition();

        var hasDescription = PeekDescription();
        var keywordToken = hasDescription ? _lexer.Lookahead() : _lexer.Token;
        if (hasDescription && keywordToken.Kind == TokenKind.BraceL)
            throw Error(_lexer.Token.Start, "Unexpected description, descriptions are not supported on shorthand queries.");

        if (keywordToken.Kind == TokenKind.Name)
        {
            switch (keywordToken.Value)
            {
                case "schema": return ParseSchemaDefinition();
                case "scalar": return ParseScalarTypeDefinition();
                case "type": return ParseObjectTypeDefinition();
                case "interface": return ParseInterfaceTypeDefinition();
                case "union": return ParseUnionTypeDefinition();
                case "enum": return ParseEnumTypeDefinition();
                case "input": return ParseInputObjectTypeDefinition();
                case "directive": return ParseDirectiveDefinition();
                case "query" or "mutation" or "subscription": return ParseOperationDefinition();
                case "fragment": return ParseFragmentDefinition();
                case "extend":
                    if (hasDescription)
                        throw Error(_lexer.Token.Start, "Unexpected description, only GraphQL definitions support descriptions.");
                    return ParseTypeSystemExtension();
            }
        }
        throw Unexpected(keywordToken);
    }

    // Operations

    private OperationDefinitionNode ParseOperationDefinition()
    {
        var start = _lexer.Token;
        if (Peek(TokenKind.BraceL))
            return new OperationDefinitionNode(OperationType.Query, null, [], [], ParseSelectionSet(), null, Loc(start));

        var description = ParseDescription();
        var operation = ParseOperationType();
        var name = Peek(TokenKind.Name) ? ParseName() : null;
        return new OperationDefinitionNode(
            operation, name, ParseVariableDefinitions(), ParseDirectives(isConst: false), ParseSelectionSet(), description, Loc(start));
    }

    private OperationType ParseOperationType()
    {
        var token = ExpectToken(TokenKind.Name);
        return token.Value switch
        {
            "query" => OperationType.Query,
            "mutation" => OperationType.Mutation,
            "subscription" => OperationType.Subscription,
            _ => throw Unexpected(token),
        };
    }

    private IReadOnlyList<VariableDefinitionNode> ParseVariableDefinitions() =>
        OptionalMany(TokenKind.ParenL, ParseVariableDefinition, TokenKind.ParenR);

    private VariableDefinitionNode ParseVariableDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        var variable = ParseVariable();
        ExpectToken(TokenKind.Colon);
        var type = ParseTypeReference();
        var defaultValue = ExpectOptionalToken(TokenKind.Equals) ? ParseValueLiteral(isConst: true) : null;
        return new VariableDefinitionNode(variable, type, defaultValue, ParseDirectives(isConst: true), description, Loc(start));
    }

    private VariableNode ParseVariable()
    {
        var start = _lexer.Token;
        ExpectToken(TokenKind.Dollar);
        return new VariableNode(ParseName(), Loc(start));
    }

    private SelectionSetNode ParseSelectionSet()
    {
        var start = _lexer.Token;
        EnterNesting(start);
        var selections = Many(TokenKind.BraceL, ParseSelection, TokenKind.BraceR);
        _depth--;
        return new SelectionSetNode(selections, Loc(start));
    }

    private SelectionNode ParseSelection() => Peek(TokenKind.Spread) ? ParseFragment() : ParseField();

    private FieldNode ParseField()
    {
        var start = _lexer.Token;
        var nameOrAlias = ParseName();
        NameNode? alias = null;
        var name = nameOrAlias;
        if (ExpectOptionalToken(TokenKind.Colon))
        {
            alias = nameOrAlias;
            name = ParseName();
        }
        var arguments = ParseArguments(isConst: false);
        var directives = ParseDirectives(isConst: false);
        var selectionSet = Peek(TokenKind.BraceL) ? ParseSelectionSet() : null;
        return new FieldNode(alias, name, arguments, directives, selectionSet, Loc(start));
    }

    private IReadOnlyList<ArgumentNode> ParseArguments(bool isConst) =>
        OptionalMany(TokenKind.ParenL, () => ParseArgument(isConst), TokenKind.ParenR);

    private ArgumentNode ParseArgument(bool isConst)
    {
        var start = _lexer.Token;
        var name = ParseName();
        ExpectToken(TokenKind.Colon);
        return new ArgumentNode(name, ParseValueLiteral(isConst), Loc(start));
    }

    // Fragments

    private SelectionNode ParseFragment()
    {
        var start = _lexer.Token;
        ExpectToken(TokenKind.Spread);
        var hasTypeCondition = ExpectOptionalKeyword("on");
        if (!hasTypeCondition && Peek(TokenKind.Name))
            return new FragmentSpreadNode(ParseFragmentName(), ParseDirectives(isConst: false), Loc(start));

        var typeCondition = hasTypeCondition ? ParseNamedType() : null;
        return new InlineFragmentNode(typeCondition, ParseDirectives(isConst: false), ParseSelectionSet(), Loc(start));
    }

    private FragmentDefinitionNode ParseFragmentDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("fragment");
        var name = ParseFragmentName();
        ExpectKeyword("on");
        var typeCondition = ParseNamedType();
        return new FragmentDefinitionNode(name, typeCondition, ParseDirectives(isConst: false), ParseSelectionSet(), description, Loc(start));
    }

    private NameNode ParseFragmentName()
    {
        if (_lexer.Token.Value == "on") throw Unexpected(_lexer.Token);
        return ParseName();
    }

    // Values

    private ValueNode ParseValueLiteral(bool isConst)
    {
        var token = _lexer.Token;
        switch (token.Kind)
        {
            case TokenKind.BracketL:
                EnterNesting(token);
                var values = Any(TokenKind.BracketL, () => ParseValueLiteral(isConst), TokenKind.BracketR);
                _depth--;
                return new ListValueNode(values, Loc(token));
            case TokenKind.BraceL:
                EnterNesting(token);
                var fields = Any(TokenKind.BraceL, () => ParseObjectField(isConst), TokenKind.BraceR);
                _depth--;
                return new ObjectValueNode(fields, Loc(token));
            case TokenKind.Int:
                Advance();
                return new IntValueNode(token.Value!, Loc(token));
            case TokenKind.Float:
                Advance();
                return new FloatValueNode(token.Value!, Loc(token));
            case TokenKind.String:
            case TokenKind.BlockString:
                return ParseStringLiteral();
            case TokenKind.Name:
                Advance();
                return token.Value switch
                {
                    "true" => new BooleanValueNode(true, Loc(token)),
                    "false" => new BooleanValueNode(false, Loc(token)),
                    "null" => new NullValueNode(Loc(token)),
                    _ => new EnumValueNode(token.Value!, Loc(token)),
                };
            case TokenKind.Dollar:
                if (!isConst) return ParseVariable();
                Advance();
                var nameToken = _lexer.Token;
                if (nameToken.Kind == TokenKind.Name)
                    throw Error(token.Start, $"Unexpected variable \"${nameToken.Value}\" in constant value.");
                throw Unexpected(nameToken);
            default:
                throw Unexpected(token);
        }
    }

    private StringValueNode ParseStringLiteral()
    {
        var token = _lexer.Token;
        Advance();
        return new StringValueNode(token.Value!, token.Kind == TokenKind.BlockString, Loc(token));
    }

    private ObjectFieldNode ParseObjectField(bool isConst)
    {
        var start = _lexer.Token;
        var name = ParseName();
        ExpectToken(TokenKind.Colon);
        return new ObjectFieldNode(name, ParseValueLiteral(isConst), Loc(start));
    }

    // Directives

    private IReadOnlyList<DirectiveNode> ParseDirectives(bool isConst)
    {
        if (!Peek(TokenKind.At)) return [];
        var directives = new List<DirectiveNode>();
        while (Peek(TokenKind.At)) directives.Add(ParseDirective(isConst));
        return directives;
    }

    private DirectiveNode ParseDirective(bool isConst)
    {
        var start = _lexer.Token;
        ExpectToken(TokenKind.At);
        return new DirectiveNode(ParseName(), ParseArguments(isConst), Loc(start));
    }

    // Types

    private TypeNode ParseTypeReference()
    {
        var start = _lexer.Token;
        TypeNode type;
        if (ExpectOptionalToken(TokenKind.BracketL))
        {
            EnterNesting(start);
            var inner = ParseTypeReference();
            _depth--;
            ExpectToken(TokenKind.BracketR);
            type = new ListTypeNode(inner, Loc(start));
        }
        else
        {
            type = ParseNamedType();
        }
        return ExpectOptionalToken(TokenKind.Bang) ? new NonNullTypeNode(type, Loc(start)) : type;
    }

    private NamedTypeNode ParseNamedType()
    {
        var start = _lexer.Token;
        return new NamedTypeNode(ParseName(), Loc(start));
    }

    private NameNode ParseName()
    {
        var token = ExpectToken(TokenKind.Name);
        return new NameNode(token.Value!, Loc(token));
    }

    // Type system definitions

    private bool PeekDescription() => Peek(TokenKind.String) || Peek(TokenKind.BlockString);

    private StringValueNode? ParseDescription() => PeekDescription() ? ParseStringLiteral() : null;

    private SchemaDefinitionNode ParseSchemaDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("schema");
        var directives = ParseDirectives(isConst: true);
        var operationTypes = Many(TokenKind.BraceL, ParseOperationTypeDefinition, TokenKind.BraceR);
        return new SchemaDefinitionNode(description, directives, operationTypes, Loc(start));
    }

    private OperationTypeDefinitionNode ParseOperationTypeDefinition()
    {
        var start = _lexer.Token;
        var operation = ParseOperationType();
        ExpectToken(TokenKind.Colon);
        return new OperationTypeDefinitionNode(operation, ParseNamedType(), Loc(start));
    }

    private ScalarTypeDefinitionNode ParseScalarTypeDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("scalar");
        return new ScalarTypeDefinitionNode(description, ParseName(), ParseDirectives(isConst: true), Loc(start));
    }

    private ObjectTypeDefinitionNode ParseObjectTypeDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("type");
        var name = ParseName();
        var interfaces = ParseImplementsInterfaces();
        var directives = ParseDirectives(isConst: true);
        return new ObjectTypeDefinitionNode(description, name, interfaces, directives, ParseFieldsDefinition(), Loc(start));
    }

    private IReadOnlyList<NamedTypeNode> ParseImplementsInterfaces() =>
        ExpectOptionalKeyword("implements") ? DelimitedMany(TokenKind.Amp, ParseNamedType) : [];

    private IReadOnlyList<FieldDefinitionNode> ParseFieldsDefinition() =>
        OptionalMany(TokenKind.BraceL, ParseFieldDefinition, TokenKind.BraceR);

    private FieldDefinitionNode ParseFieldDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        var name = ParseName();
        var arguments = ParseArgumentDefinitions();
        ExpectToken(TokenKind.Colon);
        var type = ParseTypeReference();
        return new FieldDefinitionNode(description, name, arguments, type, ParseDirectives(isConst: true), Loc(start));
    }

    private IReadOnlyList<InputValueDefinitionNode> ParseArgumentDefinitions() =>
        OptionalMany(TokenKind.ParenL, ParseInputValueDefinition, TokenKind.ParenR);

    private InputValueDefinitionNode ParseInputValueDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        var name = ParseName();
        ExpectToken(TokenKind.Colon);
        var type = ParseTypeReference();
        var defaultValue = ExpectOptionalToken(TokenKind.Equals) ? ParseValueLiteral(isConst: true) : null;
        return new InputValueDefinitionNode(description, name, type, defaultValue, ParseDirectives(isConst: true), Loc(start));
    }

    private InterfaceTypeDefinitionNode ParseInterfaceTypeDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("interface");
        var name = ParseName();
        var interfaces = ParseImplementsInterfaces();
        var directives = ParseDirectives(isConst: true);
        return new InterfaceTypeDefinitionNode(description, name, interfaces, directives, ParseFieldsDefinition(), Loc(start));
    }

    private UnionTypeDefinitionNode ParseUnionTypeDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("union");
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        return new UnionTypeDefinitionNode(description, name, directives, ParseUnionMemberTypes(), Loc(start));
    }

    private IReadOnlyList<NamedTypeNode> ParseUnionMemberTypes() =>
        ExpectOptionalToken(TokenKind.Equals) ? DelimitedMany(TokenKind.Pipe, ParseNamedType) : [];

    private EnumTypeDefinitionNode ParseEnumTypeDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("enum");
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        return new EnumTypeDefinitionNode(description, name, directives, ParseEnumValuesDefinition(), Loc(start));
    }

    private IReadOnlyList<EnumValueDefinitionNode> ParseEnumValuesDefinition() =>
        OptionalMany(TokenKind.BraceL, ParseEnumValueDefinition, TokenKind.BraceR);

    private EnumValueDefinitionNode ParseEnumValueDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        var token = _lexer.Token;
        if (token.Value is "true" or "false" or "null")
            throw Error(token.Start, $"{token} is reserved and cannot be used for an enum value.");
        var name = ParseName();
        return new EnumValueDefinitionNode(description, name, ParseDirectives(isConst: true), Loc(start));
    }

    private InputObjectTypeDefinitionNode ParseInputObjectTypeDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("input");
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        return new InputObjectTypeDefinitionNode(description, name, directives, ParseInputFieldsDefinition(), Loc(start));
    }

    private IReadOnlyList<InputValueDefinitionNode> ParseInputFieldsDefinition() =>
        OptionalMany(TokenKind.BraceL, ParseInputValueDefinition, TokenKind.BraceR);

    private DirectiveDefinitionNode ParseDirectiveDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("directive");
        ExpectToken(TokenKind.At);
        var name = ParseName();
        var arguments = ParseArgumentDefinitions();
        var repeatable = ExpectOptionalKeyword("repeatable");
        ExpectKeyword("on");
        return new DirectiveDefinitionNode(description, name, arguments, repeatable, ParseDirectiveLocations(), Loc(start));
    }

    private IReadOnlyList<NameNode> ParseDirectiveLocations() => DelimitedMany(TokenKind.Pipe, ParseDirectiveLocation);

    private static readonly HashSet<string> DirectiveLocationNames = [.. Enum.GetNames<DirectiveLocation>()];

    private NameNode ParseDirectiveLocation()
    {
        var start = _lexer.Token;
        var name = ParseName();
        if (DirectiveLocationNames.Contains(name.Value)) return name;
        throw Unexpected(start);
    }

    // Type system extensions

    private TypeSystemDefinitionNode ParseTypeSystemExtension()
    {
        var keywordToken = _lexer.Lookahead();
        if (keywordToken.Kind == TokenKind.Name)
        {
            switch (keywordToken.Value)
            {
                case "schema": return ParseSchemaExtension();
                case "scalar": return ParseScalarTypeExtension();
                case "type": return ParseObjectTypeExtension();
                case "interface": return ParseInterfaceTypeExtension();
                case "union": return ParseUnionTypeExtension();
                case "enum": return ParseEnumTypeExtension();
                case "input": return ParseInputObjectTypeExtension();
            }
        }
        throw Unexpected(keywordToken);
    }

    private SchemaExtensionNode ParseSchemaExtension()
    {
        var start = _lexer.Token;
        ExpectKeyword("extend");
        ExpectKeyword("schema");
        var directives = ParseDirectives(isConst: true);
        var operationTypes = OptionalMany(TokenKind.BraceL, ParseOperationTypeDefinition, TokenKind.BraceR);
        if (directives.Count == 0 && operationTypes.Count == 0) throw Unexpected(_lexer.Token);
        return new SchemaExtensionNode(directives, operationTypes, Loc(start));
    }

    private ScalarTypeExtensionNode ParseScalarTypeExtension()
    {
        var start = _lexer.Token;
        ExpectKeyword("extend");
        ExpectKeyword("scalar");
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        if (directives.Count == 0) throw Unexpected(_lexer.Token);
        return new ScalarTypeExtensionNode(name, directives, Loc(start));
    }

    private ObjectTypeExtensionNode ParseObjectTypeExtension()
    {
        var start = _lexer.Token;
        ExpectKeyword("extend");
        ExpectKeyword("type");
        var name = ParseName();
        var interfaces = ParseImplementsInterfaces();
        var directives = ParseDirectives(isConst: true);
        var fields = ParseFieldsDefinition();
        if (interfaces.Count == 0 && directives.Count == 0 && fields.Count == 0) throw Unexpected(_lexer.Token);
        return new ObjectTypeExtensionNode(name, interfaces, directives, fields, Loc(start));
    }

    private InterfaceTypeExtensionNode ParseInterfaceTypeExtension()
    {
        var start = _lexer.Token;
        ExpectKeyword("extend");
        ExpectKeyword("interface");
        var name = ParseName();
        var interfaces = ParseImplementsInterfaces();
        var directives = ParseDirectives(isConst: true);
        var fields = ParseFieldsDefinition();
        if (interfaces.Count == 0 && directives.Count == 0 && fields.Count == 0) throw Unexpected(_lexer.Token);
        return new InterfaceTypeExtensionNode(name, interfaces, directives, fields, Loc(start));
    }

    private UnionTypeExtensionNode ParseUnionTypeExtension()
    {
        var start = _lexer.Token;
        ExpectKeyword("extend");
        ExpectKeyword("union");
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        var types = ParseUnionMemberTypes();
        if (directives.Count == 0 && types.Count == 0) throw Unexpected(_lexer.Token);
        return new UnionTypeExtensionNode(name, directives, types, Loc(start));
    }

    private EnumTypeExtensionNode ParseEnumTypeExtension()
    {
        var start = _lexer.Token;
        ExpectKeyword("extend");
        ExpectKeyword("enum");
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        var values = ParseEnumValuesDefinition();
        if (directives.Count == 0 && values.Count == 0) throw Unexpected(_lexer.Token);
        return new EnumTypeExtensionNode(name, directives, values, Loc(start));
    }

    private InputObjectTypeExtensionNode ParseInputObjectTypeExtension()
    {
        var start = _lexer.Token;
        ExpectKeyword("extend");
        ExpectKeyword("input");
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        var fields = ParseInputFieldsDefinition();
        if (directives.Count == 0 && fields.Count == 0) throw Unexpected(_lexer.Token);
        return new InputObjectTypeExtensionNode(name, directives, fields, Loc(start));
    }

    // Token helpers

    private Location? Loc(Token start) =>
        _options.NoLocation ? null : new Location(start.Start, _lexer.LastToken.End, _lexer.Source);

    private bool Peek(TokenKind kind) => _lexer.Token.Kind == kind;

    private void Advance()
    {
        var token = _lexer.Advance();
        if (token.Kind != TokenKind.Eof && ++_tokenCount > _options.MaxTokens)
            throw new GraphQLSyntaxError(_lexer.Source, token.Start,
                $"Document contains more than {_options.MaxTokens} tokens (MaxTokens). Parsing aborted.",
                GraphQLSyntaxError.MaxTokensCode);
    }

    private void EnterNesting(Token token)
    {
        if (++_depth > _options.MaxDepth)
            throw new GraphQLSyntaxError(_lexer.Source, token.Start,
                $"Document is nested deeper than {_options.MaxDepth} levels (MaxDepth). Parsing aborted.",
                GraphQLSyntaxError.MaxDepthCode);
    }

    private Token ExpectToken(TokenKind kind)
    {
        var token = _lexer.Token;
        if (token.Kind != kind)
            throw Error(token.Start, $"Expected {Token.Describe(kind)}, found {token}.");
        Advance();
        return token;
    }

    private bool ExpectOptionalToken(TokenKind kind)
    {
        if (_lexer.Token.Kind != kind) return false;
        Advance();
        return true;
    }

    private void ExpectKeyword(string value)
    {
        if (!ExpectOptionalKeyword(value))
            throw Error(_lexer.Token.Start, $"Expected \"{value}\", found {_lexer.Token}.");
    }

    private bool ExpectOptionalKeyword(string value)
    {
        var token = _lexer.Token;
        if (token.Kind != TokenKind.Name || token.Value != value) return false;
        Advance();
        return true;
    }

    private GraphQLSyntaxError Unexpected(Token token) => Error(token.Start, $"Unexpected {token}.");

    private GraphQLSyntaxError Error(int position, string description) => new(_lexer.Source, position, description);

    // open item+ close
    private List<T> Many<T>(TokenKind open, Func<T> parseItem, TokenKind close)
    {
        ExpectToken(open);
        var nodes = new List<T>();
        do nodes.Add(parseItem());
        while (!ExpectOptionalToken(close));
        return nodes;
    }

    // (open item+ close)?
    private IReadOnlyList<T> OptionalMany<T>(TokenKind open, Func<T> parseItem, TokenKind close) =>
        Peek(open) ? Many(open, parseItem, close) : [];

    // open item* close
    private List<T> Any<T>(TokenKind open, Func<T> parseItem, TokenKind close)
    {
        ExpectToken(open);
        var nodes = new List<T>();
        while (!ExpectOptionalToken(close)) nodes.Add(parseItem());
        return nodes;
    }

    // delimiter? item (delimiter item)*
    private List<T> DelimitedMany<T>(TokenKind delimiter, Func<T> parseItem)
    {
        ExpectOptionalToken(delimiter);
        var nodes = new List<T>();
        do nodes.Add(parseItem());
        while (ExpectOptionalToken(delimiter));
        return nodes;
    }
}
