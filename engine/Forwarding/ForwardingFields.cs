using System.Net;
using System.Text;

namespace Proxy.Engine.Forwarding;

/// <summary>
/// The values this proxy adds to forwarded messages for one client connection, formatted once when the
/// connection is accepted so that no request formats anything.
/// </summary>
internal readonly struct ForwardingFields
{
    private readonly byte[] _clientAddress;

    public ForwardingFields(IPAddress? clientAddress, bool secure, bool http2 = false)
    {
        Http2 = http2;
        clientAddress = clientAddress is { IsIPv4MappedToIPv6: true } ? clientAddress.MapToIPv4() : clientAddress;
        _clientAddress = Encoding.ASCII.GetBytes(clientAddress?.ToString() ?? "unknown");
        Secure = secure;
    }

    /// <summary>The client's address for X-Forwarded-For.</summary>
    public ReadOnlySpan<byte> ClientAddress => _clientAddress;

    public bool Secure { get; }

    /// <summary>The client spoke HTTP/2 (its stream is forwarded as HTTP/1.1): our Via entry says "2".</summary>
    public bool Http2 { get; }

    /// <summary>X-Forwarded-Proto.</summary>
    public ReadOnlySpan<byte> Scheme => Secure ? "https"u8 : "http"u8;

    /// <summary>Our Via entry (RFC 9110 §7.6.3): the protocol version we received, and a pseudonym.</summary>
    public static ReadOnlySpan<byte> ViaFromHttp11 => "1.1 proxy"u8;

    /// <inheritdoc cref="ViaFromHttp11"/>
    public static ReadOnlySpan<byte> ViaFromHttp10 => "1.0 proxy"u8;

    /// <inheritdoc cref="ViaFromHttp11"/>
    public static ReadOnlySpan<byte> ViaFromHttp2 => "2 proxy"u8;
}
