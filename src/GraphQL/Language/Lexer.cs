using System.Text;

namespace Records.GraphQL.Language;

/// <summary>
/// Turns a <see cref="Source"/> into tokens, one <see cref="Advance"/> at a time (spec section 2.1 "Source Text").
/// Ignored tokens (white space, line terminators, commas, comments, the byte order mark) are skipped.
/// Works on the string directly: no regular expressions, and values are sliced only for names, numbers and strings.
/// </summary>
public sealed class Lexer
{
    private readonly string _body;
    private int _position;
    private int _line = 1;
    private int _lineStart;

    public Lexer(Source source)
    {
        Source = source;
        _body = source.Body;
        Token = new Token(TokenKind.Sof, 0, 0, 0, 0, null);
    }

    public Source Source { get; }

    /// <summary>The current token.</summary>
    public Token Token { get; private set; }

    /// <summary>The token before <see cref="Token"/>; the parser ends node locations with it.</summary>
    public Token LastToken { get; private set; }

    /// <summary>Moves to the next non-ignored token and returns it.</summary>
    public Token Advance()
    {
        LastToken = Token;
        if (Token.Kind != TokenKind.Eof) Token = ReadNextToken();
        return Token;
    }

    /// <summary>The token after <see cref="Token"/>, without moving.</summary>
    public Token Lookahead()
    {
        if (Token.Kind == TokenKind.Eof) return Token;
        var (position, line, lineStart) = (_position, _line, _lineStart);
        var next = ReadNextToken();
        (_position, _line, _lineStart) = (position, line, lineStart);
        return next;
    }

    private Token ReadNextToken()
    {
        var body = _body;
        var length = body.Length;
        var position = _position;
        while (position < length)
        {
            var code = body[position];
            switch (code)
            {
                case '\uFEFF':
                case '\t':
                case ' ':
                case ',':
                    position++;
                    continue;
                case '\n':
                    position++;
                    _line++;
                    _lineStart = position;
                    continue;
                case '\r':
                    position += position + 1 < length && body[position + 1] == '\n' ? 2 : 1;
                    _line++;
                    _lineStart = position;
                    continue;
                case '#':
                    position = SkipComment(position);
                    continue;
                case '!': return Punctuator(TokenKind.Bang, position);
                case '$': return Punctuator(TokenKind.Dollar, position);
                case '&': return Punctuator(TokenKind.Amp, position);
                case '(': return Punctuator(TokenKind.ParenL, position);
                case ')': return Punctuator(TokenKind.ParenR, position);
                case '.':
                    if (CharAt(position + 1) == '.' && CharAt(position + 2) == '.')
                        return Emit(TokenKind.Spread, position, position + 3, null);
                    break;
                case ':': return Punctuator(TokenKind.Colon, position);
                case '=': return Punctuator(TokenKind.Equals, position);
                case '@': return Punctuator(TokenKind.At, position);
                case '[': return Punctuator(TokenKind.BracketL, position);
                case ']': return Punctuator(TokenKind.BracketR, position);
                case '{': return Punctuator(TokenKind.BraceL, position);
                case '|': return Punctuator(TokenKind.Pipe, position);
                case '}': return Punctuator(TokenKind.BraceR, position);
                case '"':
                    return CharAt(position + 1) == '"' && CharAt(position + 2) == '"'
                        ? ReadBlockString(position)
                        : ReadString(position);
            }

            if (IsDigit(code) || code == '-') return ReadNumber(position, code);
            if (IsNameStart(code)) return ReadName(position);

            throw Error(position, code == '\''
                ? "Unexpected single quote character ('), did you mean to use a double quote (\")?"
                : IsUnicodeScalarValue(code) || IsSupplementaryCodePoint(position)
                    ? $"Unexpected character: {PrintCodePointAt(position)}."
                    : $"Invalid character: {PrintCodePointAt(position)}.");
        }

        _position = length;
        return new Token(TokenKind.Eof, length, length, _line, 1 + length - _lineStart, null);
    }

    private Token Punctuator(TokenKind kind, int position) => Emit(kind, position, position + 1, null);

    private Token Emit(TokenKind kind, int start, int end, string? value)
    {
        _position = end;
        return new Token(kind, start, end, _line, 1 + start - _lineStart, value);
    }

    private int SkipComment(int position)
    {
        position++;
        while (position < _body.Length)
        {
            var code = _body[position];
            if (code == '\n' || code == '\r') break;
            if (IsUnicodeScalarValue(code)) position++;
            else if (IsSupplementaryCodePoint(position)) position += 2;
            else break;
        }
        return position;
    }

    private Token ReadName(int start)
    {
        var position = start + 1;
        while (position < _body.Length && IsNameContinue(_body[position])) position++;
        return Emit(TokenKind.Name, start, position, _body[start..position]);
    }

    // IntValue and FloatValue, with the spec's lookahead restrictions: no leading zeros,
    // and a number may not be directly followed by a '.' or a NameStart.
    private Token ReadNumber(int start, char code)
    {
        var position = start;
        var isFloat = false;
        if (code == '-') code = CharAt(++position);

        if (code == '0')
        {
            code = CharAt(++position);
            if (IsDigit(code))
                throw Error(position, $"Invalid number, unexpected digit after 0: {PrintCodePointAt(position)}.");
        }
        else
        {
            position = ReadDigits(position, code);
            code = CharAt(position);
        }

        if (code == '.')
        {
            isFloat = true;
            code = CharAt(++position);
            position = ReadDigits(position, code);
            code = CharAt(position);
        }

        if (code == 'E' || code == 'e')
        {
            isFloat = true;
            code = CharAt(++position);
            if (code == '+' || code == '-') code = CharAt(++position);
            position = ReadDigits(position, code);
            code = CharAt(position);
        }

        if (code == '.' || IsNameStart(code))
            throw Error(position, $"Invalid number, expected digit but got: {PrintCodePointAt(position)}.");

        return Emit(isFloat ? TokenKind.Float : TokenKind.Int, start, position, _body[start..position]);
    }

    private int ReadDigits(int start, char firstCode)
    {
        if (!IsDigit(firstCode))
            throw Error(start, $"Invalid number, expected digit but got: {PrintCodePointAt(start)}.");
        var position = start + 1;
        while (IsDigit(CharAt(position))) position++;
        return position;
    }

    private Token ReadString(int start)
    {
        var body = _body;
        var position = start + 1;
        var chunkStart = position;
        StringBuilder? value = null; // only allocated when the string holds escapes

        while (position < body.Length)
        {
            var code = body[position];
            if (code == '"')
            {
                var text = value is null
                    ? body[chunkStart..position]
                    : value.Append(body, chunkStart, position - chunkStart).ToString();
                return Emit(TokenKind.String, start, position + 1, text);
            }

            if (code == '\\')
            {
                value ??= new StringBuilder();
                value.Append(body, chunkStart, position - chunkStart);
                position += ReadEscape(position, value);
                chunkStart = position;
                continue;
            }

            if (code == '\n' || code == '\r') break;

            if (IsUnicodeScalarValue(code)) position++;
            else if (IsSupplementaryCodePoint(position)) position += 2;
            else throw Error(position, $"Invalid character within String: {PrintCodePointAt(position)}.");
        }

        throw Error(position, "Unterminated string.");
    }

    // Appends the escaped character at `position` (a backslash) and returns the escape's length.
    private int ReadEscape(int position, StringBuilder value)
    {
        var next = CharAt(position + 1);
        if (next == 'u')
            return CharAt(position + 2) == '{'
                ? ReadVariableWidthUnicodeEscape(position, value)
                : ReadFixedWidthUnicodeEscape(position, value);

        var escaped = next switch
        {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\b',
            'f' => '\f',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            _ => '\0',
        };
        if (escaped == '\0')
            throw Error(position, $"Invalid character escape sequence: \"{Slice(position, position + 2)}\".");
        value.Append(escaped);
        return 2;
    }

    // \u{1F600}: any number of hex digits naming a Unicode scalar value.
    private int ReadVariableWidthUnicodeEscape(int position, StringBuilder value)
    {
        var point = 0;
        var size = 3;
        while (size < 12)
        {
            var code = CharAt(position + size++);
            if (code == '}')
            {
                if (size < 5 || !IsUnicodeScalarValue(point)) break;
                value.Append(char.ConvertFromUtf32(point));
                return size;
            }
            var digit = HexValue(code);
            if (digit < 0) break;
            point = (point << 4) | digit;
        }
        throw Error(position, $"Invalid Unicode escape sequence: \"{Slice(position, position + size)}\".");
    }

    // \uXXXX, where a leading surrogate must be followed by an escaped trailing surrogate.
    private int ReadFixedWidthUnicodeEscape(int position, StringBuilder value)
    {
        var code = Read16BitHexCode(position + 2);
        if (IsUnicodeScalarValue(code))
        {
            value.Append((char)code);
            return 6;
        }
        if (char.IsHighSurrogate((char)code) && code >= 0 && CharAt(position + 6) == '\\' && CharAt(position + 7) == 'u')
        {
            var trailing = Read16BitHexCode(position + 8);
            if (trailing >= 0 && char.IsLowSurrogate((char)trailing))
            {
                value.Append((char)code).Append((char)trailing);
                return 12;
            }
        }
        throw Error(position, $"Invalid Unicode escape sequence: \"{Slice(position, position + 6)}\".");
    }

    private int Read16BitHexCode(int position) =>
        (HexValue(CharAt(position)) << 12) | (HexValue(CharAt(position + 1)) << 8)
        | (HexValue(CharAt(position + 2)) << 4) | HexValue(CharAt(position + 3));

    private static int HexValue(char code) => code switch
    {
        >= '0' and <= '9' => code - '0',
        >= 'A' and <= 'F' => code - 'A' + 10,
        >= 'a' and <= 'f' => code - 'a' + 10,
        _ => -1,
    };

    private Token ReadBlockString(int start)
    {
        var body = _body;
        var line = _line;
        var lineStart = _lineStart;
        var position = start + 3;
        var chunkStart = position;
        var currentLine = new StringBuilder();
        var lines = new List<string>();

        while (position < body.Length)
        {
            var code = body[position];
            if (code == '"' && CharAt(position + 1) == '"' && CharAt(position + 2) == '"')
            {
                lines.Add(currentLine.Append(body, chunkStart, position - chunkStart).ToString());
                var token = Emit(TokenKind.BlockString, start, position + 3, string.Join('\n', BlockString.DedentLines(lines)));
                // The token's own line/column are where it started; the lexer continues after its last line.
                _line = line;
                _lineStart = lineStart;
                return token;
            }

            if (code == '\\' && CharAt(position + 1) == '"' && CharAt(position + 2) == '"' && CharAt(position + 3) == '"')
            {
                currentLine.Append(body, chunkStart, position - chunkStart);
                chunkStart = position + 1; // keep the quotes, drop the backslash
                position += 4;
                continue;
            }

            if (code == '\n' || code == '\r')
            {
                lines.Add(currentLine.Append(body, chunkStart, position - chunkStart).ToString());
                currentLine.Clear();
                position += code == '\r' && CharAt(position + 1) == '\n' ? 2 : 1;
                chunkStart = position;
                line++;
                lineStart = position;
                continue;
            }

            if (IsUnicodeScalarValue(code)) position++;
            else if (IsSupplementaryCodePoint(position)) position += 2;
            else throw Error(position, $"Invalid character within String: {PrintCodePointAt(position)}.");
        }

        throw Error(position, "Unterminated string.");
    }

    private char CharAt(int position) => position < _body.Length ? _body[position] : '\0';

    private string Slice(int start, int end) => _body[start..Math.Min(end, _body.Length)];

    private GraphQLSyntaxError Error(int position, string description) => new(Source, position, description);

    // graphql-js prints printable ASCII quoted and anything else as U+XXXX.
    private string PrintCodePointAt(int position)
    {
        if (position >= _body.Length) return "<EOF>";
        int code = IsSupplementaryCodePoint(position) ? char.ConvertToUtf32(_body[position], _body[position + 1]) : _body[position];
        if (code is >= 0x20 and <= 0x7E) return code == '"' ? "'\"'" : $"\"{(char)code}\"";
        return "U+" + code.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
    }

    private bool IsSupplementaryCodePoint(int position) =>
        position + 1 < _body.Length && char.IsHighSurrogate(_body[position]) && char.IsLowSurrogate(_body[position + 1]);

    private static bool IsUnicodeScalarValue(int code) => code is >= 0 and <= 0xD7FF or >= 0xE000 and <= 0x10FFFF;

    internal static bool IsDigit(char code) => code is >= '0' and <= '9';

    internal static bool IsNameStart(char code) => code is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or '_';

    internal static bool IsNameContinue(char code) => IsNameStart(code) || IsDigit(code);
}
