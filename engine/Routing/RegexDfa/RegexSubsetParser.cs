using System.Globalization;

namespace Proxy.Engine.Routing.RegexDfa;

/// <summary>
/// Reads the part of .NET's regex syntax that routes use (literals, <c>.</c>, classes, <c>\d \w \s</c> and their
/// negations, groups, alternation, the quantifiers, <c>^</c> at the start and <c>$</c> at the end) into a
/// <see cref="RegexNode"/> tree, with .NET's meaning for every character of Latin-1 text (one char per byte, as
/// HTTP fields and paths are read). Anything else (lookarounds, backreferences, <c>\b</c>, inline options,
/// <c>\p{..}</c>, class subtraction, anchors elsewhere) gives null, and the pattern runs on .NET's own engine.
/// </summary>
/// <remarks>
/// Only patterns .NET has already accepted get here (the config validation compiles them first), so this parser
/// need not explain errors: it either reads a pattern exactly as .NET would, or declines it.
/// </remarks>
internal sealed class RegexSubsetParser
{
    /// <summary>Counted repeats above this are declined: each repeat is a copy of its item in the automaton.</summary>
    public const int MaxRepeat = 100;

    private static readonly ByteSet Digits = ByteSet.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.DecimalDigitNumber);
    private static readonly ByteSet WordChars = ByteSet.Where(IsWordChar);
    private static readonly ByteSet Spaces = ByteSet.Where(char.IsWhiteSpace);
    private static readonly ByteSet AnyButNewline = ByteSet.Range('\n', '\n').Complement();

    private readonly string _pattern;
    private int _at;

    private RegexSubsetParser(string pattern) => _pattern = pattern;

    /// <summary>The tree of <paramref name="pattern"/>, or null when it uses anything outside the subset.</summary>
    public static RegexNode? Parse(string pattern)
    {
        var parser = new RegexSubsetParser(pattern);
        RegexNode? tree = parser.ParseAlternation();
        if (tree is null || parser._at != pattern.Length) return null;
        return AnchorsOnlyAtTheEnds(tree) ? tree : null;
    }

    // .NET's \w: letters, non-spacing marks, decimal digits and connector punctuation.
    private static bool IsWordChar(char c) => CharUnicodeInfo.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation => true,
        _ => false,
    };

    // ^ only as the first item of the top level, $ only as the last: what an automaton run once over the text can check.
    private static bool AnchorsOnlyAtTheEnds(RegexNode tree)
    {
        if (tree is AnchorNode) return true;
        if (tree is not ConcatNode concat) return !ContainsAnchor(tree);
        for (int i = 0; i < concat.Items.Length; i++)
        {
            RegexNode item = concat.Items[i];
            if (item is AnchorNode anchor)
            {
                if (anchor.AtStart ? i != 0 : i != concat.Items.Length - 1) return false;
            }
            else if (ContainsAnchor(item))
            {
                return false;
            }
        }
        return true;
    }

    private static bool ContainsAnchor(RegexNode node) => node switch
    {
        AnchorNode => true,
        ConcatNode concat => concat.Items.Any(ContainsAnchor),
        AlternationNode alternation => alternation.Choices.Any(ContainsAnchor),
        RepeatNode repeat => ContainsAnchor(repeat.Item),
        _ => false,
    };

    private bool AtEnd => _at >= _pattern.Length;

    private char Peek => _pattern[_at];

    private RegexNode? ParseAlternation()
    {
        var choices = new List<RegexNode>();
        while (true)
        {
            RegexNode? choice = ParseConcat();
            if (choice is null) return null;
            choices.Add(choice);
            if (AtEnd || Peek != '|') break;
            _at++;
        }
        return choices.Count == 1 ? choices[0] : new AlternationNode([.. choices]);
    }

    private RegexNode? ParseConcat()
    {
        var items = new List<RegexNode>();
        while (!AtEnd && Peek is not ('|' or ')'))
        {
            RegexNode? item = ParseQuantified();
            if (item is null) return null;
            items.Add(item);
        }
        return items.Count == 1 ? items[0] : new ConcatNode([.. items]);
    }

    private RegexNode? ParseQuantified()
    {
        RegexNode? atom = ParseAtom();
        if (atom is null || AtEnd) return atom;
        int min, max;
        switch (Peek)
        {
            case '*': (min, max) = (0, -1); _at++; break;
            case '+': (min, max) = (1, -1); _at++; break;
            case '?': (min, max) = (0, 1); _at++; break;
            case '{':
                if (!TryParseCount(out min, out max)) return null;
                break;
            default:
                return atom;
        }
        if (atom is AnchorNode) return null;
        if (!AtEnd && Peek == '?') _at++;                              // lazy: the same strings match
        if (!AtEnd && Peek is '*' or '+' or '?' or '{') return null;  // .NET refuses nested quantifiers; stay out of it
        return new RepeatNode(atom, min, max);
    }

    // {n}, {n,} or {n,m}; anything else after '{' is declined (.NET reads some of it as literal text).
    private bool TryParseCount(out int min, out int max)
    {
        min = max = 0;
        int at = _at + 1;
        if (!TryReadNumber(ref at, out min)) return false;
        if (at < _pattern.Length && _pattern[at] == '}')
        {
            max = min;
        }
        else if (at < _pattern.Length && _pattern[at] == ',')
        {
            at++;
            if (at < _pattern.Length && _pattern[at] == '}') max = -1;
            else if (!TryReadNumber(ref at, out max) || max < min) return false;
            if (at >= _pattern.Length || _pattern[at] != '}') return false;
        }
        else
        {
            return false;
        }
        _at = at + 1;
        return min <= MaxRepeat && max <= MaxRepeat;
    }

    private bool TryReadNumber(ref int at, out int value)
    {
        int start = at;
        value = 0;
        while (at < _pattern.Length && char.IsAsciiDigit(_pattern[at]) && at - start < 4) value = (value * 10) + (_pattern[at++] - '0');
        return at > start && (at >= _pattern.Length || !char.IsAsciiDigit(_pattern[at]));
    }

    private RegexNode? ParseAtom()
    {
        char c = _pattern[_at++];
        switch (c)
        {
            case '(':
                if (!SkipGroupOpening()) return null;
                RegexNode? inner = ParseAlternation();
                if (inner is null || AtEnd || Peek != ')') return null;
                _at++;
                return inner;
            case '[':
                return ParseClass() is { } set ? new ByteSetNode(set) : null;
            case '.':
                return new ByteSetNode(AnyButNewline);
            case '\\':
                return ParseEscape(inClass: false) is { } escaped ? new ByteSetNode(escaped) : null;
            case '^':
                return new AnchorNode(AtStart: true);
            case '$':
                return new AnchorNode(AtStart: false);
            case ')' or '*' or '+' or '?' or '{' or '|':
                return null;
            default:
                return new ByteSetNode(ByteSet.Range(c, c));
        }
    }

    // After '(': a plain group, (?:...), or a named group (?<name>...) / (?'name'...). Anything else starting "(?" is declined.
    private bool SkipGroupOpening()
    {
        if (AtEnd || Peek != '?') return true;
        if (_at + 1 >= _pattern.Length) return false;
        char kind = _pattern[_at + 1];
        if (kind == ':')
        {
            _at += 2;
            return true;
        }
        if (kind is not ('<' or '\'')) return false;
        char close = kind == '<' ? '>' : '\'';
        int at = _at + 2;
        int start = at;
        while (at < _pattern.Length && (char.IsAsciiLetterOrDigit(_pattern[at]) || _pattern[at] == '_')) at++;
        if (at == start || at >= _pattern.Length || _pattern[at] != close) return false;   // also declines (?<=, (?<!, (?<a-b>
        _at = at + 1;
        return true;
    }

    private ByteSet? ParseClass()
    {
        bool negated = !AtEnd && Peek == '^';
        if (negated) _at++;
        if (!AtEnd && Peek == ']') return null;   // "[]..." : declined rather than second-guessed
        ByteSet set = ByteSet.Empty;
        while (true)
        {
            if (AtEnd) return null;
            char c = _pattern[_at++];
            if (c == ']') break;
            if (c == '[') return null;                                      // subtraction, and .NET's special "[:" forms
            int first;
            if (c == '\\')
            {
                if (AtEnd) return null;
                char e = Peek;
                if (e is 'd' or 'D' or 'w' or 'W' or 's' or 'S')
                {
                    set = set.Union(ParseEscape(inClass: true)!.Value);
                    if (!AtEnd && Peek == '-' && _at + 1 < _pattern.Length && _pattern[_at + 1] != ']') return null;  // "\d-x"
                    continue;
                }
                if (!TryEscapedChar(inClass: true, out first)) return null;
            }
            else
            {
                first = c;
            }
            int last = first;
            if (!AtEnd && Peek == '-' && _at + 1 < _pattern.Length && _pattern[_at + 1] != ']')
            {
                _at++;
                char d = _pattern[_at++];
                if (d == '[') return null;
                if (d != '\\') last = d;
                else if (!TryEscapedChar(inClass: true, out last)) return null;
                if (last < first) return null;
            }
            set = set.Union(ByteSet.Range(first, last));
        }
        return negated ? set.Complement() : set;
    }

    // After '\': a class escape as a set, or a single escaped character.
    private ByteSet? ParseEscape(bool inClass)
    {
        if (AtEnd) return null;
        switch (Peek)
        {
            case 'd': _at++; return Digits;
            case 'D': _at++; return Digits.Complement();
            case 'w': _at++; return WordChars;
            case 'W': _at++; return WordChars.Complement();
            case 's': _at++; return Spaces;
            case 'S': _at++; return Spaces.Complement();
        }
        return TryEscapedChar(inClass, out int c) ? ByteSet.Range(c, c) : null;
    }

    // After '\': one character. Letters and digits other than the usual control escapes are declined (\b, \A, \z,
    // \p, \k, backreferences, octal); any other escaped character is itself.
    private bool TryEscapedChar(bool inClass, out int c)
    {
        c = 0;
        if (AtEnd) return false;
        char e = _pattern[_at++];
        switch (e)
        {
            case 't': c = '\t'; return true;
            case 'n': c = '\n'; return true;
            case 'r': c = '\r'; return true;
            case 'f': c = '\f'; return true;
            case 'v': c = '\v'; return true;
            case 'e': c = 0x1B; return true;
            case 'a': c = 0x07; return true;
            case 'b' when inClass: c = 0x08; return true;
            case 'x': return TryReadHex(2, out c);
            case 'u': return TryReadHex(4, out c);
        }
        if (char.IsAsciiLetterOrDigit(e)) return false;
        c = e;
        return true;
    }

    private bool TryReadHex(int digits, out int value)
    {
        value = 0;
        if (_at + digits > _pattern.Length) return false;
        for (int i = 0; i < digits; i++)
        {
            int d = HexValue(_pattern[_at + i]);
            if (d < 0) return false;
            value = (value << 4) | d;
        }
        _at += digits;
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
