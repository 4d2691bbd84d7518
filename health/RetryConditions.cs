using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Proxy.Health;

/// <summary>
/// The outcomes a retry is allowed for: <c>[clusters.retry] on = [...]</c>, parsed. Immutable and thread-safe;
/// <see cref="Matches"/> is allocation-free.
/// </summary>
/// <remarks>
/// The names, and the outcomes each one covers:
/// <list type="bullet">
/// <item><c>connect_failure</c>: <see cref="RequestOutcome.ConnectFailure"/> and <see cref="RequestOutcome.ConnectTimeout"/> (as Envoy's <c>connect-failure</c>).</item>
/// <item><c>reset</c>: <see cref="RequestOutcome.Reset"/>.</item>
/// <item><c>timeout</c>: <see cref="RequestOutcome.ResponseHeaderTimeout"/> and <see cref="RequestOutcome.IdleTimeout"/>. Not in the default list: retrying a
/// request that took the whole timeout doubles both the wait and the load on a server that is already slow.</item>
/// <item><c>5xx</c>: any status from 500 to 599 sent by the upstream.</item>
/// <item>a status code from 500 to 599, such as <c>"503"</c>: that status sent by the upstream. The proxy's own 502/504
/// for a failure it saw are not statuses the upstream sent; name the failure (<c>reset</c>, <c>timeout</c>) instead.</item>
/// </list>
/// </remarks>
public sealed class RetryConditions : IEquatable<RetryConditions>
{
    private const int FirstCode = 500;
    private const int LastCode = 599;

    private readonly bool _connectFailure;
    private readonly bool _reset;
    private readonly bool _timeout;
    private readonly ulong _codesLow;   // bit n: status 500 + n, n < 64
    private readonly ulong _codesHigh;  // bit n: status 564 + n
    private readonly string _text;

    private RetryConditions(bool connectFailure, bool reset, bool timeout, ulong codesLow, ulong codesHigh, string text)
    {
        _connectFailure = connectFailure;
        _reset = reset;
        _timeout = timeout;
        _codesLow = codesLow;
        _codesHigh = codesHigh;
        _text = text;
    }

    /// <summary>config-reference.toml's default: connect_failure, reset, 502, 503, 504.</summary>
    public static RetryConditions Default { get; } = Parse(["connect_failure", "reset", "502", "503", "504"]);

    /// <summary>No condition: nothing is ever retried.</summary>
    public static RetryConditions None { get; } = Parse([]);

    /// <summary>Whether an attempt that ended in <paramref name="outcome"/> (with the upstream's <paramref name="statusCode"/> for a 5xx) may be retried.</summary>
    public bool Matches(RequestOutcome outcome, int statusCode) => outcome switch
    {
        RequestOutcome.ConnectFailure or RequestOutcome.ConnectTimeout => _connectFailure,
        RequestOutcome.Reset => _reset,
        RequestOutcome.ResponseHeaderTimeout or RequestOutcome.IdleTimeout => _timeout,
        RequestOutcome.Status5xx => MatchesStatus(statusCode),
        _ => false,
    };

    /// <summary>
    /// Parses the <c>on</c> list; on failure <paramref name="error"/> names the item and the accepted words.
    /// Duplicates are harmless; an empty list means never retry.
    /// </summary>
    public static bool TryParse(IEnumerable<string> items, [NotNullWhen(true)] out RetryConditions? conditions, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(items);
        bool connectFailure = false, reset = false, timeout = false;
        ulong low = 0, high = 0;
        var written = new List<string>();
        foreach (string raw in items)
        {
            string item = (raw ?? string.Empty).Trim();
            written.Add(item);
            switch (item)
            {
                case "connect_failure": connectFailure = true; continue;
                case "reset": reset = true; continue;
                case "timeout": timeout = true; continue;
                case "5xx": low = ulong.MaxValue; high = ulong.MaxValue; continue;
            }

            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int code))
            {
                conditions = null;
                error = $"\"{item}\" is not a retry condition; use connect_failure, reset, timeout, 5xx or a status code from {FirstCode} to {LastCode}.";
                return false;
            }

            if (code is < FirstCode or > LastCode)
            {
                conditions = null;
                error = $"{code} cannot be retried on; only upstream statuses from {FirstCode} to {LastCode} can.";
                return false;
            }

            int bit = code - FirstCode;
            if (bit < 64) low |= 1UL << bit;
            else high |= 1UL << (bit - 64);
        }

        conditions = new RetryConditions(connectFailure, reset, timeout, low, high, string.Join(", ", written));
        error = null;
        return true;
    }

    /// <summary>Parses <paramref name="items"/> or throws <see cref="FormatException"/> with the sentence <see cref="TryParse"/> gives.</summary>
    public static RetryConditions Parse(IEnumerable<string> items) =>
        TryParse(items, out RetryConditions? conditions, out string? error) ? conditions : throw new FormatException(error);

    /// <summary>The list as written, comma-separated.</summary>
    public override string ToString() => _text;

    private bool MatchesStatus(int statusCode)
    {
        uint bit = (uint)(statusCode - FirstCode);
        if (bit > LastCode - FirstCode) return false;
        return bit < 64 ? (_codesLow & (1UL << (int)bit)) != 0 : (_codesHigh & (1UL << (int)(bit - 64))) != 0;
    }

    /// <summary>
    /// Equal when written the same way, so options records holding this compare by value: a reload with unchanged
    /// settings keeps its live health state.
    /// </summary>
    public bool Equals(RetryConditions? other) => other is not null && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as RetryConditions);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_text);
}
