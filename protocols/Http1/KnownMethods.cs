namespace Proxy.Protocols.Http1;

/// <summary>Recognises the methods of <see cref="KnownMethod"/>. Methods are case-sensitive (RFC 9110 §9.1): "get" is not GET.</summary>
public static class KnownMethods
{
    /// <summary>The method <paramref name="token"/> spells exactly, or <see cref="KnownMethod.Other"/>.</summary>
    public static KnownMethod Recognise(ReadOnlySpan<byte> token) => token.Length switch
    {
        3 when token.SequenceEqual("GET"u8) => KnownMethod.Get,
        3 when token.SequenceEqual("PUT"u8) => KnownMethod.Put,
        4 when token.SequenceEqual("POST"u8) => KnownMethod.Post,
        4 when token.SequenceEqual("HEAD"u8) => KnownMethod.Head,
        5 when token.SequenceEqual("PATCH"u8) => KnownMethod.Patch,
        5 when token.SequenceEqual("TRACE"u8) => KnownMethod.Trace,
        6 when token.SequenceEqual("DELETE"u8) => KnownMethod.Delete,
        7 when token.SequenceEqual("OPTIONS"u8) => KnownMethod.Options,
        7 when token.SequenceEqual("CONNECT"u8) => KnownMethod.Connect,
        _ => KnownMethod.Other,
    };
}
