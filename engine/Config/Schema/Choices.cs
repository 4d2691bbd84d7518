using Proxy.Engine.Config.Values;

namespace Proxy.Engine.Config.Schema;

/// <summary>
/// The words a key may take (<c>balancer = "round_robin"</c>), including words the config contract defines
/// but this version does not implement, so those get "not supported yet" rather than "unknown".
/// </summary>
internal sealed class Choices<TValue>(IReadOnlyDictionary<string, TValue> supported, IReadOnlyList<string> notYetSupported)
{
    /// <summary>The word for <paramref name="value"/>, as an operator writes it (for the admin API).</summary>
    public string NameOf(TValue value)
    {
        foreach (var (word, candidate) in supported)
        {
            if (EqualityComparer<TValue>.Default.Equals(candidate, value)) return word;
        }
        return value?.ToString() ?? "";
    }

    public bool TryParse(string text, out TValue value, out string problem)
    {
        problem = "";
        if (supported.TryGetValue(text, out value!)) return true;

        string expected = string.Join(", ", supported.Keys.Select(word => $"\"{word}\""));
        if (notYetSupported.Contains(text))
        {
            problem = $"is not supported yet by this version; use {expected}, or upgrade";
            return false;
        }
        string? suggestion = Spelling.Closest(text, supported.Keys.Concat(notYetSupported));
        problem = suggestion is null
            ? $"is not one of: {expected}"
            : $"is not one of: {expected}; did you mean \"{suggestion}\"?";
        return false;
    }
}
