using System.Globalization;
using System.Text;
using Proxy.Engine.Config;

namespace Proxy.Engine.Routing;

/// <summary>
/// A route's <c>redirect</c>: the Location template split once into literal bytes and placeholders, expanded per
/// request into the caller's buffer. <c>{scheme}</c> is "http" or "https" as the caller says, <c>{host}</c> the
/// request's host without its port, <c>{path}</c> the path as the client sent it, <c>{query}</c> the query with its
/// '?' (empty when there is none), so <c>"https://{host}{path}{query}"</c> keeps the whole target. Every part is
/// visible ASCII (the template is checked when loaded, the request's parts by the parser), so no CR or LF can
/// reach the header. Immutable, thread-safe, allocation-free.
/// </summary>
internal sealed class Redirect
{
    private static readonly byte[] LocationName = "Location: "u8.ToArray();

    private readonly Part[] _parts;
    private readonly byte[] _statusLine;     // "HTTP/1.1 308 Permanent Redirect\r\n"
    private readonly byte[] _tail;           // CRLF after Location, the route's response headers, Content-Length: 0
    private readonly int _literalLength;

    public Redirect(RedirectConfig config, HeaderEdits responseHeaders)
    {
        Status = config.Status;
        var parts = new List<Part>();
        string to = config.To;
        int literalStart = 0;
        for (int open = to.IndexOf('{', StringComparison.Ordinal); open >= 0; open = to.IndexOf('{', literalStart))
        {
            int close = to.IndexOf('}', open);
            if (open > literalStart) parts.Add(new Part(Placeholder.None, Encoding.ASCII.GetBytes(to[literalStart..open])));
            parts.Add(new Part(Enum.Parse<Placeholder>(to[(open + 1)..close], ignoreCase: true), []));
            literalStart = close + 1;
        }
        if (literalStart < to.Length) parts.Add(new Part(Placeholder.None, Encoding.ASCII.GetBytes(to[literalStart..])));
        _parts = [.. parts];
        _literalLength = parts.Sum(part => part.Literal.Length);
        _statusLine = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 {Status} {ReasonPhrases.Of(Status)}\r\n"));
        _tail = [.. "\r\n"u8, .. responseHeaders.AddedLines, .. "Content-Length: 0\r\n"u8];
    }

    public int Status { get; }

    /// <summary>The most bytes <see cref="WriteLocation"/> writes for these request parts.</summary>
    public int LocationLength(ReadOnlySpan<byte> scheme, ReadOnlySpan<byte> authority, ReadOnlySpan<byte> path, ReadOnlySpan<byte> query)
    {
        int length = _literalLength;
        foreach (Part part in _parts) length += ValueOf(part.Placeholder, scheme, authority, path, query).Length;
        return length;
    }

    /// <summary>The Location value for a request, written to <paramref name="destination"/> (at least <see cref="LocationLength"/> bytes); returns the bytes written.</summary>
    public int WriteLocation(ReadOnlySpan<byte> scheme, ReadOnlySpan<byte> authority, ReadOnlySpan<byte> path, ReadOnlySpan<byte> query, Span<byte> destination)
    {
        int written = 0;
        foreach (Part part in _parts)
        {
            ReadOnlySpan<byte> value = part.Placeholder == Placeholder.None ? part.Literal : ValueOf(part.Placeholder, scheme, authority, path, query);
            value.CopyTo(destination[written..]);
            written += value.Length;
        }
        return written;
    }

    /// <summary>The most bytes <see cref="WriteResponse"/> writes for these request parts.</summary>
    public int ResponseLength(ReadOnlySpan<byte> scheme, ReadOnlySpan<byte> authority, ReadOnlySpan<byte> path, ReadOnlySpan<byte> query) =>
        _statusLine.Length + LocationName.Length + LocationLength(scheme, authority, path, query) + _tail.Length + ClosingEnd.Length;

    /// <summary>The whole response (head only, Content-Length: 0) written to <paramref name="destination"/>; returns the bytes written.</summary>
    public int WriteResponse(ReadOnlySpan<byte> scheme, ReadOnlySpan<byte> authority, ReadOnlySpan<byte> path, ReadOnlySpan<byte> query, bool close, Span<byte> destination)
    {
        int written = Append(destination, 0, _statusLine);
        written = Append(destination, written, LocationName);
        written += WriteLocation(scheme, authority, path, query, destination[written..]);
        written = Append(destination, written, _tail);
        return Append(destination, written, close ? ClosingEnd : "\r\n"u8);
    }

    private static ReadOnlySpan<byte> ClosingEnd => "Connection: close\r\n\r\n"u8;

    private static int Append(Span<byte> destination, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[at..]);
        return at + bytes.Length;
    }

    private static ReadOnlySpan<byte> ValueOf(Placeholder placeholder, ReadOnlySpan<byte> scheme, ReadOnlySpan<byte> authority, ReadOnlySpan<byte> path, ReadOnlySpan<byte> query) => placeholder switch
    {
        Placeholder.Scheme => scheme,
        Placeholder.Host => HostPattern.StripPort(authority),
        Placeholder.Path => path,
        Placeholder.Query => query,
        _ => [],
    };

    private enum Placeholder
    {
        None,
        Scheme,
        Host,
        Path,
        Query,
    }

    private readonly record struct Part(Placeholder Placeholder, byte[] Literal);
}
