using System.Buffers;
using System.Text;

namespace Proxy.Protocols.Tests.Http1;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, the way a pipe hands over bytes that arrived in pieces.</summary>
internal static class Sequences
{
    /// <summary>The bytes of a test string, one byte per char (Latin-1), so "\x80" is byte 0x80.</summary>
    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>A string of the bytes, one char per byte.</summary>
    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>A string of the bytes, one char per byte.</summary>
    public static string Text(in ReadOnlySequence<byte> bytes) => Encoding.Latin1.GetString(bytes.ToArray());

    /// <summary>One segment per part, in order (empty parts make empty segments).</summary>
    public static ReadOnlySequence<byte> Create(params byte[][] parts)
    {
        if (parts.Length == 0) return ReadOnlySequence<byte>.Empty;
        var first = new Segment(parts[0], 0);
        Segment last = first;
        for (int i = 1; i < parts.Length; i++) last = last.Append(parts[i]);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Each byte in a segment of its own.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] bytes) =>
        bytes.Length == 0 ? ReadOnlySequence<byte>.Empty : Create(bytes.Select(b => new[] { b }).ToArray());

    /// <summary>Two segments, the first holding <paramref name="offset"/> bytes.</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] bytes, int offset) => Create(bytes[..offset], bytes[offset..]);

    /// <summary>
    /// The same bytes whole, one byte per segment, and split in two at every offset (including the empty first and
    /// last segments a pipe can produce).
    /// </summary>
    public static IEnumerable<(string Shape, ReadOnlySequence<byte> Sequence)> AllShapes(byte[] bytes)
    {
        yield return ("whole", new ReadOnlySequence<byte>(bytes));
        yield return ("one byte per segment", OneBytePerSegment(bytes));
        for (int offset = 0; offset <= bytes.Length; offset++) yield return ($"split at {offset}", SplitAt(bytes, offset));
    }

    /// <summary>The number of bytes from the start of <paramref name="sequence"/> to <paramref name="position"/>.</summary>
    public static long OffsetOf(in ReadOnlySequence<byte> sequence, SequencePosition position) =>
        sequence.Slice(sequence.Start, position).Length;

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
