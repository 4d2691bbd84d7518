using System.Text;

namespace Proxy.Engine.Config.Values;

/// <summary>
/// "${NAME}" inside a string value is replaced by the environment variable NAME, so secrets and per-host
/// addresses stay out of the file. "$${" stands for a literal "${". A lone '$' is kept as it is, so tokens
/// and regexes that contain one need no escaping.
/// </summary>
internal static class EnvironmentSubstitution
{
    /// <summary>
    /// Expands every reference. On failure <paramref name="problems"/> holds one sentence per problem
    /// (each unset variable is named), and <paramref name="result"/> is the text with those references left in.
    /// </summary>
    public static bool TryExpand(string text, Func<string, string?> environment, out string result, out List<string> problems)
    {
        problems = [];
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            result = text;
            return true;
        }

        var expanded = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] != '$')
            {
                expanded.Append(text[i++]);
                continue;
            }
            if (string.CompareOrdinal(text, i, "$${", 0, 3) == 0)
            {
                expanded.Append("${");
                i += 3;
                continue;
            }
            if (i + 1 >= text.Length || text[i + 1] != '{')
            {
                expanded.Append(text[i++]);
                continue;
            }

            int close = text.IndexOf('}', i + 2);
            if (close < 0)
            {
                problems.Add("has `${` without a closing `}`; write ${NAME}, or $${ for a literal ${");
                expanded.Append(text, i, text.Length - i);
                break;
            }
            string name = text[(i + 2)..close];
            string? value = IsVariableName(name) ? environment(name) : null;
            if (!IsVariableName(name))
            {
                problems.Add($"has `${{{name}}}`, which is not a variable name (letters, digits and '_', not starting with a digit)");
            }
            else if (value is null)
            {
                problems.Add($"uses the environment variable `{name}`, which is not set");
            }
            expanded.Append(value ?? text[i..(close + 1)]);
            i = close + 1;
        }

        result = expanded.ToString();
        return problems.Count == 0;
    }

    private static bool IsVariableName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0])) return false;
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_') return false;
        }
        return true;
    }
}
