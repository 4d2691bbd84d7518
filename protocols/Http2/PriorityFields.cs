using System.Buffers.Binary;

namespace Proxy.Protocols.Http2;

/// <summary>
/// The deprecated RFC 7540 priority signal carried by PRIORITY frames and by HEADERS with the PRIORITY flag
/// (RFC 9113 §5.3.2, §6.3). The proxy parses it to validate the frame and otherwise ignores it.
/// <code>
/// +-+-------------------------------------------------------------+
/// |E|                  Stream Dependency (31)                     |
/// +-+-------------+-----------------------------------------------+
/// |  Weight (8)   |
/// +---------------+
/// </code>
/// </summary>
/// <param name="StreamDependency">The stream this one depends on, 0..2^31-1.</param>
/// <param name="Exclusive">The E bit.</param>
/// <param name="Weight">The weight byte as sent: the weight minus one (0..255 for weights 1..256).</param>
public readonly record struct PriorityFields(int StreamDependency, bool Exclusive, byte Weight)
{
    /// <summary>Bytes of the fields on the wire.</summary>
    public const int Size = 5;

    /// <summary>Reads the fields from the first 5 bytes of <paramref name="source"/>.</summary>
    public static PriorityFields Read(ReadOnlySpan<byte> source)
    {
        uint word = BinaryPrimitives.ReadUInt32BigEndian(source);
        return new PriorityFields((int)(word & 0x7FFF_FFFFu), (word & 0x8000_0000u) != 0, source[4]);
    }

    /// <summary>Writes the 5 bytes to the start of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, ((uint)StreamDependency & 0x7FFF_FFFFu) | (Exclusive ? 0x8000_0000u : 0u));
        destination[4] = Weight;
    }
}
