namespace Proxy.Protocols.Http2;

/// <summary>Which field section a <see cref="FieldSectionValidator"/> checks: the pseudo-header rules differ (RFC 9113 §8.1, §8.3).</summary>
public enum FieldSectionKind : byte
{
    /// <summary>A request's header section: :method, :scheme, :authority, :path (and :protocol for extended CONNECT).</summary>
    Request,
    /// <summary>A response's header section (final or informational): :status only.</summary>
    Response,
    /// <summary>A trailer section: no pseudo-header fields at all.</summary>
    Trailers,
}
