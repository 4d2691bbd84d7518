using System.Text;
using Proxy.Engine.Config;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Routing;

/// <summary>
/// Reads a request key (a cluster's <c>hash_key</c>, a route's <c>split_key</c>) from a request's bytes: a header's value,
/// a cookie's value, a query
/// parameter's raw value, the client's address, or the path. Immutable, thread-safe, allocation-free.
/// </summary>
internal sealed class RequestKey
{
    private readonly byte[] _name;

    public RequestKey(HashKeySource source)
    {
        Kind = source.Kind;
        _name = Encoding.ASCII.GetBytes(source.Name);
    }

    public HashKeyKind Kind { get; }

    /// <summary>The key's bytes for <paramref name="request"/>; false when the request does not carry it.</summary>
    /// <param name="clientAddress">The client's address as text ("203.0.113.9"), for <see cref="HashKeyKind.ClientIp"/>.</param>
    public bool TryGet(RequestHead request, ReadOnlySpan<byte> clientAddress, out ReadOnlySpan<byte> value)
    {
        value = default;
        switch (Kind)
        {
            case HashKeyKind.Header:
                foreach (ref readonly HeaderField field in request.Headers)
                {
                    if (!Ascii.EqualsIgnoreCase(request.NameOf(field), _name)) continue;
                    value = request.ValueOf(field);
                    return true;
                }
                return false;
            case HashKeyKind.Cookie:
                foreach (ref readonly HeaderField field in request.Headers)
                {
                    if (field.Known == KnownHeader.Cookie || Ascii.EqualsIgnoreCase(request.NameOf(field), "cookie"u8))
                    {
                        if (TryGetCookie(request.ValueOf(field), _name, out value)) return true;
                    }
                }
                return false;
            case HashKeyKind.Query:
                ReadOnlySpan<byte> query = request.Query;
                while (ByteText.NextQueryPair(query, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> raw, out query))
                {
                    if (!ByteText.FormDecodedEquals(name, _name)) continue;
                    value = raw;
                    return true;
                }
                return false;
            case HashKeyKind.ClientIp:
                value = clientAddress;
                return !value.IsEmpty;
            default:
                value = request.Path;
                return true;
        }
    }

    /// <summary>RFC 6265 §4.2.1: "a=1; b=2".</summary>
    internal static bool TryGetCookie(ReadOnlySpan<byte> header, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        while (!header.IsEmpty)
        {
            int end = header.IndexOf((byte)';');
            ReadOnlySpan<byte> pair = (end < 0 ? header : header[..end]).Trim((byte)' ');
            header = end < 0 ? [] : header[(end + 1)..];
            int equals = pair.IndexOf((byte)'=');
            if (equals > 0 && pair[..equals].SequenceEqual(name))
            {
                value = pair[(equals + 1)..];
                return true;
            }
        }
        value = default;
        return false;
    }
}
