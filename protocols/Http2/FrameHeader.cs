using System.Buffers.Binary;

namespace Proxy.Protocols.Http2;

/// <summary>
/// The 9-byte header that starts every frame (RFC 9113 §4.1):
/// <code>
/// +-----------------------------------------------+
/// |                 Length (24)                   |
/// +---------------+---------------+---------------+
/// |   Type (8)    |   Flags (8)   |
/// +-+-------------+---------------+-------------------------------+
/// |R|                 Stream Identifier (31)                      |
/// +=+=============================================================+
/// |                   Frame Payload (0...)                      ...
/// +---------------------------------------------------------------+
/// </code>
/// The reserved bit R is masked off when reading (it "MUST be ignored") and written as 0.
/// An immutable value; free to copy.
/// </summary>
public readonly record struct FrameHeader
{
    /// <summary>Bytes of a frame header on the wire.</summary>
    public const int Size = 9;

    /// <summary>The largest payload length the 24-bit field can express, and the largest SETTINGS_MAX_FRAME_SIZE (2^24-1).</summary>
    public const int MaxLength = (1 << 24) - 1;

    /// <summary>The initial SETTINGS_MAX_FRAME_SIZE and its smallest legal value (2^14).</summary>
    public const int DefaultMaxFrameSize = 1 << 14;

    /// <summary>The largest stream identifier (2^31-1).</summary>
    public const int MaxStreamId = int.MaxValue;

    /// <summary>A header; <paramref name="length"/> must be 0..2^24-1 and <paramref name="streamId"/> 0..2^31-1.</summary>
    public FrameHeader(int length, FrameType type, FrameFlags flags, int streamId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxLength);
        ArgumentOutOfRangeException.ThrowIfNegative(streamId);
        Length = length;
        Type = type;
        Flags = flags;
        StreamId = streamId;
    }

    /// <summary>Payload length in bytes, 0..2^24-1 (the 9 header bytes are not counted).</summary>
    public int Length { get; private init; }

    /// <summary>The frame type; may be a value <see cref="FrameType"/> does not name (an extension frame, to be ignored).</summary>
    public FrameType Type { get; private init; }

    /// <summary>The flag bits as received, including bits the type does not define.</summary>
    public FrameFlags Flags { get; private init; }

    /// <summary>The stream identifier, reserved bit cleared; 0 for the connection.</summary>
    public int StreamId { get; private init; }

    /// <summary>True for the ten frame types of RFC 9113 §6; others are extensions, ignored outside a field block.</summary>
    public bool IsKnownType => (byte)Type <= (byte)FrameType.Continuation;

    /// <summary>True when every bit of <paramref name="flag"/> is set.</summary>
    public bool HasFlag(FrameFlags flag) => (Flags & flag) == flag;

    /// <summary>Reads a header from the first 9 bytes of <paramref name="source"/> (which must hold them). Checks nothing but layout.</summary>
    public static FrameHeader Read(ReadOnlySpan<byte> source)
    {
        // Length is 24-bit big-endian, so it can neither be negative nor exceed MaxLength.
        int length = (source[0] << 16) | (source[1] << 8) | source[2];
        int streamId = (int)(BinaryPrimitives.ReadUInt32BigEndian(source.Slice(5, 4)) & 0x7FFF_FFFFu);
        // Every field is in range by construction, so the checking constructor is skipped.
        return new FrameHeader { Length = length, Type = (FrameType)source[3], Flags = (FrameFlags)source[4], StreamId = streamId };
    }

    /// <summary>Writes the 9 header bytes to the start of <paramref name="destination"/> (which must hold them), R bit 0.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, ((uint)Length << 8) | (byte)Type);
        destination[4] = (byte)Flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(5, 4), (uint)StreamId);
    }
}
