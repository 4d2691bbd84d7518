using System.Text;

namespace Proxy.Engine.Routing;

/// <summary>
/// The literal bytes an anchored regex forces at the start of its input ("^/api/v[0-9]" forces "/api/v"), so that
/// the matcher can file the route in its path tree under them and run the regex only for paths that start with them
/// (see <see cref="PathIndex"/>). Conservative: any construct it does not read plainly (a group, a class, an escape
/// other than escaped punctuation, a literal followed by a quantifier) ends the prefix, and a pattern with a '|'
/// outside every group gives none.
/// </summary>
internal static class RegexPrefix
{
    private const string PlainPunctuation = "/-_~%:;=@!&',<>\"`";
    private const string EscapablePunctuation = "./-_~%:;=@!&',<>\"`?*+()[]{}|^$\\#";
    private const string Quantifiers = "?*+{";

    public static byte[] LiteralPrefix(string pattern)
    {
        // '^' is the start of the input (no Multiline option is ever set); a top-level '|' could let a branch skip it.
        if (!pattern.StartsWith('^') || HasTopLevelAlternation(pattern)) return [];
        var prefix = new StringBuilder();
        int i = 1;
        while (i < pattern.Length)
        {
            char c = pattern[i];
            char literal;
            int next;
            if (c == '\\' && i + 1 < pattern.Length && EscapablePunctuation.Contains(pattern[i + 1], StringComparison.Ordinal))
            {
                literal = pattern[i + 1];
                next = i + 2;
            }
            else if (char.IsAsciiLetterOrDigit(c) || PlainPunctuation.Contains(c, StringComparison.Ordinal))
            {
                literal = c;
                next = i + 1;
            }
            else
            {
                break;
            }
            if (next < pattern.Length && Quantifiers.Contains(pattern[next], StringComparison.Ordinal)) break;
            prefix.Append(literal);
            i = next;
        }
        return Encoding.ASCII.GetBytes(prefix.ToString());
    }

    // A '|' outside parentheses, not escaped and not inside a character class.
    private static bool HasTopLevelAlternation(string pattern)
    {
        int depth = 0;
        for (int i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    // A class runs to the first unescaped ']' that is not its first member.
                    i++;
                    if (i < pattern.Length && pattern[i] == '^') i++;
                    if (i < pattern.Length && pattern[i] == ']') i++;
                    while (i < pattern.Length && pattern[i] != ']')
                    {
                        if (pattern[i] == '\\') i++;
                        i++;
                    }
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case '|' when depth <= 0:
                    return true;
            }
        }
        return false;
    }
}
