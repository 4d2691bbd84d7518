using System.Text;
using static Proxy.Protocols.Http1.HttpCharacters;

namespace Proxy.Protocols.Http1;

/// <summary>
/// Reads a Connection field (RFC 9110 §7.6.1): "close" ends the connection after this message, "keep-alive" asks an
/// HTTP/1.0 peer to keep it, and any other option names a field meant for this hop only, which is then marked
/// hop-by-hop so the proxy does not forward it.
/// </summary>
internal static class ConnectionOptions
{
    /// <summary>Applies the options of one Connection field value to <paramref name="head"/>'s fields and to <paramref name="fields"/>.</summary>
    public static void Apply(MessageHead head, ReadOnlySpan<byte> value, ref FieldSummary fields)
    {
        // Nearly every Connection field is a lone "keep-alive" or "close": a list of one, settled by one compare.
        if (Ascii.EqualsIgnoreCase(value, "keep-alive"u8))
        {
            fields.ConnectionKeepAlive = true;
            return;
        }
        if (Ascii.EqualsIgnoreCase(value, "close"u8))
        {
            fields.ConnectionClose = true;
            return;
        }
        foreach (ReadOnlySpan<byte> option in new CommaList(value))
        {
            if (Ascii.EqualsIgnoreCase(option, "close"u8)) fields.ConnectionClose = true;
            else if (Ascii.EqualsIgnoreCase(option, "keep-alive"u8)) fields.ConnectionKeepAlive = true;
            else MarkHopByHop(head, option);
        }
    }

    private static void MarkHopByHop(MessageHead head, ReadOnlySpan<byte> name)
    {
        // An option that is not a token cannot name a field; it is ignored (the field itself never leaves this hop).
        if (name.IndexOfAnyExcept(Token) >= 0) return;
        // "Connection: host" or "Connection: content-length" would have the proxy strip what routes or frames the
        // message; those two stay whatever the peer says.
        KnownHeader known = KnownHeaderNames.Recognise(name);
        if (known is KnownHeader.Host or KnownHeader.ContentLength) return;

        Span<HeaderField> fields = head.Fields[..head.HeaderCount];
        for (int i = 0; i < fields.Length; i++)
        {
            if (!fields[i].IsHopByHop && Ascii.EqualsIgnoreCase(head.NameOf(fields[i]), name))
            {
                fields[i] = fields[i] with { IsHopByHop = true };
            }
        }
    }
}
