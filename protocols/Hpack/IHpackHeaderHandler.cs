namespace Proxy.Protocols.Hpack;

/// <summary>
/// Receives the fields <see cref="HpackDecoder"/> decodes, in order. Implement it on a struct and pass it by reference:
/// the decoder is generic over the handler, so calls are direct and nothing boxes.
/// </summary>
/// <remarks>
/// A handler must not throw to refuse a field (a malformed request is a stream error): the rest of the block must still
/// be decoded to keep the connection's HPACK state (RFC 9113 §4.3). Record the problem (see
/// <see cref="Proxy.Protocols.Http2.FieldSectionValidator"/>) and act on it once the block is complete.
/// </remarks>
public interface IHpackHeaderHandler
{
    /// <summary>
    /// One decoded field. <paramref name="name"/> and <paramref name="value"/> are valid only during the call (they may
    /// point into the input, the dynamic table or a scratch buffer): copy what must outlive it.
    /// </summary>
    /// <param name="name">The field name, exactly as sent (not validated: HPACK carries any bytes).</param>
    /// <param name="value">The field value, exactly as sent.</param>
    /// <param name="staticIndex">
    /// When the name was given by a static table index, that index (1..61), so a caller can recognise :method, :path,
    /// content-length and the like without comparing bytes; otherwise 0.
    /// </param>
    /// <param name="neverIndexed">
    /// The sender used the never-indexed literal (RFC 7541 §6.2.3): an intermediary must encode this field the same way
    /// when forwarding it.
    /// </param>
    void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, int staticIndex, bool neverIndexed);
}
