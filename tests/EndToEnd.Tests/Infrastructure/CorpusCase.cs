using System.Globalization;
using System.Text;
using Proxy.Protocols.Http1;

namespace Proxy.EndToEnd.Tests.Infrastructure;

/// <summary>What the origin may see of a corpus request.</summary>
public enum UpstreamExpectation
{
    /// <summary>Nothing at all: no connection is opened (a rejected head).</summary>
    None,
    /// <summary>A connection and part of the request, but never a complete request (a body rejected midway).</summary>
    Partial,
    /// <summary>Exactly one complete request.</summary>
    Forwarded,
}

/// <summary>
/// One file of tests/EndToEnd.Tests/Corpus: exact request bytes and what the proxy must do with them.
/// </summary>
/// <remarks>
/// Format (see Corpus/README.md): UTF-8; settings as <c>key: value</c> lines, a line <c>---</c>, then the request.
/// In the request, line breaks of the file are not part of the bytes: every byte is written out, CR and LF included,
/// as printable ASCII or with the escapes <c>\r \n \t \0 \\ \xHH</c>, and <c>\{N:text}</c> for text repeated N times.
/// </remarks>
public sealed record CorpusCase(
    string Name,
    string Why,
    int? Status,
    RejectReason? Reject,
    UpstreamExpectation Upstream,
    byte[] Request,
    bool HalfClose,
    IReadOnlyList<int> Interim,
    int? MaxRequestHead,
    int? MaxHeaders,
    long? MaxRequestBody,
    string? UpstreamMethod,
    string? UpstreamTarget,
    string? UpstreamBody,
    IReadOnlyList<KeyValuePair<string, string>> UpstreamHeaders,
    IReadOnlyList<string> UpstreamAbsent)
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Corpus");

    /// <summary>File names (without folder) of every case, sorted.</summary>
    public static IEnumerable<string> Names() =>
        Directory.EnumerateFiles(Folder, "*.http").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    /// <summary>A key for the limits this case needs, so that cases with the same limits can share a proxy.</summary>
    public string LimitsKey => $"{MaxRequestHead}/{MaxHeaders}/{MaxRequestBody}";

    public override string ToString() => Name;

    public static CorpusCase Load(string name)
    {
        string[] lines = File.ReadAllText(Path.Combine(Folder, name), Encoding.UTF8).Split('\n');
        int separator = Array.FindIndex(lines, l => l.TrimEnd('\r') == "---");
        if (separator < 0) throw new FormatException($"{name}: no '---' line between settings and request");

        var settings = new List<KeyValuePair<string, string>>();
        foreach (string raw in lines[..separator])
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw new FormatException($"{name}: setting without 'key:': {line}");
            settings.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
        string? One(string key) => settings.LastOrDefault(s => s.Key == key).Value;
        IEnumerable<string> All(string key) => settings.Where(s => s.Key == key).Select(s => s.Value);

        string[] known = ["why", "status", "reject", "upstream", "half-close", "interim", "limit.max_request_head",
            "limit.max_headers", "limit.max_request_body", "upstream-method", "upstream-target", "upstream-body",
            "upstream-header", "upstream-absent"];
        foreach (var setting in settings)
        {
            if (!known.Contains(setting.Key)) throw new FormatException($"{name}: unknown setting '{setting.Key}'");
        }

        string status = One("status") ?? throw new FormatException($"{name}: no status");
        int? expected = status == "none" ? null : int.Parse(status, CultureInfo.InvariantCulture);
        RejectReason? reject = One("reject") is { } r ? Enum.Parse<RejectReason>(r) : null;
        UpstreamExpectation upstream = One("upstream") is { } u
            ? Enum.Parse<UpstreamExpectation>(u, ignoreCase: true)
            : expected is >= 200 and < 400 ? UpstreamExpectation.Forwarded : UpstreamExpectation.None;

        var headers = All("upstream-header").Select(h =>
        {
            int split = h.IndexOf(": ", StringComparison.Ordinal);
            if (split <= 0) throw new FormatException($"{name}: upstream-header needs 'Name: value': {h}");
            return new KeyValuePair<string, string>(h[..split], Encoding.Latin1.GetString(Unescape(name, h[(split + 2)..])));
        }).ToArray();

        return new CorpusCase(
            name,
            One("why") ?? throw new FormatException($"{name}: no 'why' (say which rule the case checks)"),
            expected,
            reject,
            upstream,
            Unescape(name, string.Concat(lines[(separator + 1)..].Select(l => l.TrimEnd('\r')))),
            One("half-close") == "true",
            All("interim").Select(i => int.Parse(i, CultureInfo.InvariantCulture)).ToArray(),
            One("limit.max_request_head") is { } head ? int.Parse(head, CultureInfo.InvariantCulture) : null,
            One("limit.max_headers") is { } count ? int.Parse(count, CultureInfo.InvariantCulture) : null,
            One("limit.max_request_body") is { } body ? long.Parse(body, CultureInfo.InvariantCulture) : null,
            One("upstream-method"),
            One("upstream-target"),
            One("upstream-body") is { } b ? Encoding.Latin1.GetString(Unescape(name, b)) : null,
            headers,
            All("upstream-absent").ToArray());
    }

    /// <summary>Turns the escaped text of a request into its bytes: printable ASCII as is, every other byte escaped.</summary>
    public static byte[] Unescape(string name, string text)
    {
        var bytes = new List<byte>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is < ' ' or > '~') throw new FormatException($"{name}: byte 0x{(int)c:x2} written as is; escape it (\\xHH)");
            if (c != '\\')
            {
                bytes.Add((byte)c);
                continue;
            }
            if (++i == text.Length) throw new FormatException($"{name}: '\\' at the end");
            switch (text[i])
            {
                case 'r': bytes.Add((byte)'\r'); break;
                case 'n': bytes.Add((byte)'\n'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case '0': bytes.Add(0); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case 'x':
                    bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                case '{':
                    int close = text.IndexOf('}', i);
                    int colon = text.IndexOf(':', i);
                    if (close < 0 || colon < 0 || colon > close) throw new FormatException($"{name}: \\{{N:text}} expected");
                    int times = int.Parse(text.AsSpan(i + 1, colon - i - 1), CultureInfo.InvariantCulture);
                    byte[] repeated = Unescape(name, text[(colon + 1)..close]);
                    for (int t = 0; t < times; t++) bytes.AddRange(repeated);
                    i = close;
                    break;
                default:
                    throw new FormatException($"{name}: unknown escape \\{text[i]}");
            }
        }
        return [.. bytes];
    }
}
