namespace Proxy.Protocols.Http1;

/// <summary>
/// One header field of a parsed head: offsets into the head's buffer, never a string.
/// The value excludes the optional whitespace around it (RFC 9110 §5.5).
/// </summary>
/// <param name="NameStart">Offset of the first byte of the name.</param>
/// <param name="NameLength">Length of the name.</param>
/// <param name="ValueStart">Offset of the first byte of the trimmed value.</param>
/// <param name="ValueLength">Length of the trimmed value (may be 0).</param>
/// <param name="Known">The recognised name, or <see cref="KnownHeader.None"/>.</param>
/// <param name="IsHopByHop">True for hop-by-hop fields (RFC 9110 §7.6.1) and for fields named in Connection:
/// a proxy must not forward them.</param>
public readonly record struct HeaderField(int NameStart, int NameLength, int ValueStart, int ValueLength, KnownHeader Known, bool IsHopByHop);
