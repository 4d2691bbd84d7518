using System.Buffers;
using System.Buffers.Binary;

namespace Proxy.Protocols.Http2;

/// <summary>
/// A parsed SETTINGS frame (RFC 9113 §6.5): an acknowledgement, or a list of 6-byte settings whose values
/// <see cref="FrameReader.ReadSettings"/> has already validated. Enumerate it with <c>foreach</c> (no allocation) and
/// apply the settings in order (RFC 9113 §6.5.3), then acknowledge.
/// </summary>
public readonly struct SettingsFrame
{
    private readonly ReadOnlySequence<byte> _payload;

    /// <summary>Created by <see cref="FrameReader.ReadSettings"/>.</summary>
    internal SettingsFrame(bool isAck, ReadOnlySequence<byte> payload)
    {
        IsAck = isAck;
        _payload = payload;
    }

    /// <summary>ACK: the peer has applied our last SETTINGS; the frame carries no settings.</summary>
    public bool IsAck { get; }

    /// <summary>The number of settings in the frame (duplicates included; the last one wins when applied in order).</summary>
    public int Count => (int)(_payload.Length / Http2Setting.Size);

    /// <summary>An enumerator over the settings in the order sent.</summary>
    public Enumerator GetEnumerator() => new(_payload);

    /// <summary>Walks the settings of a frame without allocating.</summary>
    public ref struct Enumerator
    {
        private SequenceReader<byte> _reader;

        internal Enumerator(ReadOnlySequence<byte> payload)
        {
            _reader = new SequenceReader<byte>(payload);
            Current = default;
        }

        /// <summary>The setting at the enumerator's position.</summary>
        public Http2Setting Current { get; private set; }

        /// <summary>Moves to the next setting; false past the last.</summary>
        public bool MoveNext()
        {
            Span<byte> bytes = stackalloc byte[Http2Setting.Size];
            if (!_reader.TryCopyTo(bytes)) return false;
            _reader.Advance(Http2Setting.Size);
            Current = new Http2Setting((Http2SettingId)BinaryPrimitives.ReadUInt16BigEndian(bytes), BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]));
            return true;
        }
    }
}
