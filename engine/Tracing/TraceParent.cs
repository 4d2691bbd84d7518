namespace Proxy.Engine.Tracing;

/// <summary>
/// The W3C Trace Context <c>traceparent</c> field (Trace Context Level 1, §3.2): validation and generation on byte
/// spans, without allocating.
/// <code>
///   00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
///   |  |                                |                |
///   |  trace-id: 32 lowercase hex,      parent-id: 16    trace-flags: 2 hex; bit 0 = sampled
///   |  not all zero                     hex, not all 0
///   version: 2 lowercase hex, not "ff"
///   offsets: version 0-1, '-' 2, trace-id 3-34, '-' 35, parent-id 36-51, '-' 52, flags 53-54; length 55
/// </code>
/// </summary>
internal static class TraceParent
{
    /// <summary>The length of a version 00 traceparent.</summary>
    public const int Length = 55;

    /// <summary>The longest traceparent of a future version that the proxy copies (longer ones are treated as invalid).</summary>
    public const int MaxLength = 128;

    public static ReadOnlySpan<byte> Name => "traceparent"u8;

    /// <summary><c>tracestate</c>: vendor data that belongs to the traceparent it came with.</summary>
    public static ReadOnlySpan<byte> StateName => "tracestate"u8;

    /// <summary>
    /// Whether <paramref name="value"/> is a traceparent this proxy may pass on. Version 00 must be exactly 55 bytes. A
    /// higher version (not "ff", which is invalid) is parsed as §4.3 says: at least 55 bytes, the version 00 fields in
    /// their places, and after the flags either the end or a '-' (what follows belongs to the future version).
    /// Uppercase hex, an all-zero trace-id or parent-id, and missing dashes are invalid.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<byte> value)
    {
        if (value.Length < Length || value.Length > MaxLength) return false;
        ReadOnlySpan<byte> version = value[..2];
        if (!LowerHex.IsValid(version) || version.SequenceEqual("ff"u8)) return false;
        if (version.SequenceEqual("00"u8) ? value.Length != Length : value.Length > Length && value[Length] != '-') return false;
        if (value[2] != '-' || value[35] != '-' || value[52] != '-') return false;
        ReadOnlySpan<byte> traceId = value.Slice(3, 32), parentId = value.Slice(36, 16);
        return LowerHex.IsValid(traceId) && !LowerHex.IsAllZero(traceId)
            && LowerHex.IsValid(parentId) && !LowerHex.IsAllZero(parentId)
            && LowerHex.IsValid(value.Slice(53, 2));
    }

    /// <summary>The 32 hex digits of the trace-id of a valid traceparent.</summary>
    public static ReadOnlySpan<byte> TraceIdOf(ReadOnlySpan<byte> valid) => valid.Slice(3, 32);

    /// <summary>The 16 hex digits of the parent-id of a valid traceparent.</summary>
    public static ReadOnlySpan<byte> ParentIdOf(ReadOnlySpan<byte> valid) => valid.Slice(36, 16);

    /// <summary>Whether a valid traceparent has the sampled flag (bit 0 of trace-flags).</summary>
    public static bool IsSampled(ReadOnlySpan<byte> valid) => (LowerHex.ValueOf(valid[53], valid[54]) & 1) != 0;

    /// <summary>
    /// Writes a new version 00 traceparent, random trace-id and parent-id, into the first <see cref="Length"/> bytes of
    /// <paramref name="destination"/>. Neither id is ever all zero.
    /// </summary>
    public static void Generate(Span<byte> destination, Random random, bool sampled)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length);
        Span<byte> ids = stackalloc byte[24];    // 16 bytes of trace-id, 8 of parent-id
        random.NextBytes(ids);
        // All zero is invalid; at 2^-128 and 2^-64 it only happens with a rigged random source, but then it must not.
        if (ids[..16].IndexOfAnyExcept((byte)0) < 0) ids[15] = 1;
        if (ids[16..].IndexOfAnyExcept((byte)0) < 0) ids[23] = 1;
        "00-"u8.CopyTo(destination);
        LowerHex.Write(ids[..16], destination[3..]);
        destination[35] = (byte)'-';
        LowerHex.Write(ids[16..], destination[36..]);
        destination[52] = (byte)'-';
        destination[53] = (byte)'0';
        destination[54] = sampled ? (byte)'1' : (byte)'0';
    }
}
