namespace Proxy.Engine.Forwarding;

/// <summary>
/// Field names that spell a field the proxy frames or sets with '_' where that field has '-': "Content_Length",
/// "Transfer_Encoding", "X_Forwarded_For". They are different fields to us, but upstreams that map names to
/// CGI-style variables (HTTP_CONTENT_LENGTH, HTTP_X_FORWARDED_FOR) read them as the real one: forwarding them would
/// let a client frame a body two ways or spoof the forwarding fields. They are dropped, as nginx drops every name
/// with an underscore by default (underscores_in_headers off); other underscored names pass.
/// </summary>
internal static class UnderscoredFieldNames
{
    /// <summary>True when <paramref name="name"/> holds '_' and reads as a field the proxy owns once '_' is read as '-'.</summary>
    public static bool MimicsOwnedField(ReadOnlySpan<byte> name)
    {
        if (!name.Contains((byte)'_')) return false;
        return name.Length switch
        {
            14 => Mimics(name, "content-length"u8),
            15 => Mimics(name, "x-forwarded-for"u8),
            16 => Mimics(name, "x-forwarded-host"u8),
            17 => Mimics(name, "transfer-encoding"u8) || Mimics(name, "x-forwarded-proto"u8),
            _ => false,
        };
    }

    /// <summary><paramref name="name"/> equals <paramref name="lowercase"/> ignoring ASCII case, '_' standing for '-'.</summary>
    private static bool Mimics(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lowercase)
    {
        for (int i = 0; i < name.Length; i++)
        {
            byte b = name[i];
            byte expected = lowercase[i];
            if (expected == '-' ? b is not ((byte)'-' or (byte)'_') : (b | 0x20) != expected) return false;
        }
        return true;
    }
}
