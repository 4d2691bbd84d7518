using System.Buffers;
using CsCheck;
using Proxy.Protocols.Http1;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Http1;

/// <summary>Encoder and decoder against each other, and the decoder against garbage.</summary>
public class ChunkedPropertyTests
{
    [Fact]
    public void EncodeThenDecode_RandomBodiesChunkingsAndArrivals_GiveBackTheBody()
    {
        Gen.Select(Gen.Byte.Array[0, 3000], Gen.Int[1, 700].Array[1, 6], Gen.Int[0, 3], Gen.Int[1, 64]).Sample((body, chunkSizes, trailers, arrival) =>
        {
            var writer = new ArrayBufferWriter<byte>();
            int offset = 0;
            for (int i = 0; offset < body.Length; i++)
            {
                int size = Math.Min(chunkSizes[i % chunkSizes.Length], body.Length - offset);
                if (i % 2 == 0) ChunkedEncoder.WriteChunk(writer, body.AsSpan(offset, size));
                else ChunkedEncoder.WriteChunk(writer, new ReadOnlySequence<byte>(body, offset, size));
                offset += size;
            }
            ChunkedEncoder.WriteLastChunk(writer);
            for (int i = 0; i < trailers; i++) ChunkedEncoder.WriteTrailerField(writer, new ReadOnlySequence<byte>(Bytes($"X-T{i}: {i}")));
            ChunkedEncoder.WriteEnd(writer);
            byte[] encoded = writer.WrittenSpan.ToArray();

            var expected = new DecodedBody(Text(body), string.Join("\n", Enumerable.Range(0, trailers).Select(i => $"X-T{i}: {i}")), encoded.Length);
            Assert.Equal(expected, ChunkedHarness.DecodeArriving(encoded, arrival, ChunkedLimits.Default));
            Assert.Equal(expected, ChunkedHarness.Decode(InSegmentsOf(encoded, arrival), ChunkedLimits.Default));
        }, iter: 300);
    }

    [Fact]
    public void Decode_RandomOrMutatedBytes_OnlyRejectAndAgreeEveryWay()
    {
        var limits = new ChunkedLimits(24, 48);
        Gen<byte[]> garbage = Gen.Frequency(
            (1, Gen.Byte.Array[0, 200]),
            (3, Gen.Char["0123456789abcdefABCDEFx;= \"\\\r\n\t:X-"].Array[0, 200].Select(chars => Bytes(new string(chars)))));

        garbage.Sample(bytes =>
        {
            string whole = Outcome(() => ChunkedHarness.Decode(new ReadOnlySequence<byte>(bytes), limits));
            Assert.Equal(whole, Outcome(() => ChunkedHarness.Decode(OneBytePerSegment(bytes), limits)));
            Assert.Equal(whole, Outcome(() => ChunkedHarness.DecodeArriving(bytes, 1, limits)));
            Assert.Equal(whole, Outcome(() => ChunkedHarness.DecodeArriving(bytes, 5, limits)));
        }, iter: 5000);
    }

    private static string Outcome(Func<DecodedBody?> decode)
    {
        try
        {
            return decode()?.ToString() ?? "incomplete";
        }
        catch (HttpRejectException e)
        {
            return "rejected " + e.Reason;
        }
    }

    private static ReadOnlySequence<byte> InSegmentsOf(byte[] bytes, int size) =>
        Create(bytes.Chunk(size).ToArray());
}
