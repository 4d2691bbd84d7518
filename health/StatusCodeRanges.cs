using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Proxy.Health;

/// <summary>
/// A set of HTTP status codes written as the operator wrote <c>expect_status</c>: single codes and inclusive ranges
/// separated by commas, "200-399" or "200,204,300-399". Immutable and thread-safe; <see cref="Contains"/> is one bit
/// test, allocation-free.
/// </summary>
public sealed class StatusCodeRanges : IEquatable<StatusCodeRanges>
{
    /// <summary>The lowest status code HTTP defines a class for.</summary>
    public const int MinimumCode = 100;

    /// <summary>The highest status code HTTP defines a class for.</summary>
    public const int MaximumCode = 599;

    private readonly ulong[] _bits = new ulong[(MaximumCode - MinimumCode + 64) / 64];
    private readonly string _text;

    private StatusCodeRanges(string text) => _text = text;

    /// <summary>200-399, the default <c>expect_status</c>: success and redirects, as HAProxy and nginx accept.</summary>
    public static StatusCodeRanges Default { get; } = Parse("200-399");

    /// <summary>Whether <paramref name="statusCode"/> is in the set. Codes outside 100-599 never are.</summary>
    public bool Contains(int statusCode)
    {
        uint offset = (uint)(statusCode - MinimumCode);
        if (offset > MaximumCode - MinimumCode) return false;
        return (_bits[offset >> 6] & (1UL << (int)(offset & 63))) != 0;
    }

    /// <summary>
    /// Parses <paramref name="text"/>; on failure <paramref name="error"/> says in a sentence what is wrong.
    /// Whitespace around items is ignored; an empty item, a code outside 100-599 or a range whose end is below its
    /// start is an error.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out StatusCodeRanges? ranges, [NotNullWhen(false)] out string? error)
    {
        ranges = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty; write status codes (200) or ranges (200-399) separated by commas.";
            return false;
        }

        var result = new StatusCodeRanges(text.Trim());
        foreach (string rawItem in text.Split(','))
        {
            string item = rawItem.Trim();
            if (item.Length == 0)
            {
                error = $"\"{text}\" has an empty item; write status codes (200) or ranges (200-399) separated by commas.";
                return false;
            }

            int dash = item.IndexOf('-', StringComparison.Ordinal);
            string lowText = dash < 0 ? item : item[..dash].Trim();
            string highText = dash < 0 ? item : item[(dash + 1)..].Trim();
            if (!TryParseCode(lowText, out int low, out error) || !TryParseCode(highText, out int high, out error))
            {
                return false;
            }

            if (high < low)
            {
                error = $"the range \"{item}\" ends before it starts; write the lower code first.";
                return false;
            }

            for (int code = low; code <= high; code++)
            {
                int offset = code - MinimumCode;
                result._bits[offset >> 6] |= 1UL << (offset & 63);
            }
        }

        ranges = result;
        error = null;
        return true;
    }

    /// <summary>Parses <paramref name="text"/> or throws <see cref="FormatException"/> with the sentence <see cref="TryParse"/> gives.</summary>
    public static StatusCodeRanges Parse(string text) =>
        TryParse(text, out StatusCodeRanges? ranges, out string? error) ? ranges : throw new FormatException(error);

    /// <summary>The text this set was parsed from, trimmed.</summary>
    public override string ToString() => _text;

    private static bool TryParseCode(string text, out int code, [NotNullWhen(false)] out string? error)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out code))
        {
            error = $"\"{text}\" is not a status code; write status codes (200) or ranges (200-399) separated by commas.";
            return false;
        }

        if (code is < MinimumCode or > MaximumCode)
        {
            error = $"{code} is not an HTTP status code; codes run from {MinimumCode} to {MaximumCode}.";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// Equal when written the same way, so options records holding this compare by value: a reload with unchanged
    /// settings keeps its live health state.
    /// </summary>
    public bool Equals(StatusCodeRanges? other) => other is not null && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as StatusCodeRanges);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_text);
}
