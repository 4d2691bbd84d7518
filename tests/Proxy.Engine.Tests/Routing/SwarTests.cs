using Proxy.Engine.Routing;

namespace Proxy.Engine.Tests.Routing;

public sealed class SwarTests
{
    [Fact]
    public void LowerCase_EveryByteInEveryPlace_LowersOnlyAsciiCapitals()
    {
        for (int value = 0; value < 256; value++)
        {
            byte expected = value is >= 'A' and <= 'Z' ? (byte)(value + 32) : (byte)value;
            for (int place = 0; place < 8; place++)
            {
                // The other bytes vary too, so that no carry from a neighbour goes unnoticed.
                ulong word = 0xFF5A41405B7A617FUL ^ ((ulong)value << (8 * place)) ^ ((ulong)(value & 0x7F) << (8 * ((place + 3) % 8)));
                ulong lowered = Swar.LowerCase(word);
                for (int i = 0; i < 8; i++)
                {
                    byte original = (byte)(word >> (8 * i));
                    byte want = original is >= (byte)'A' and <= (byte)'Z' ? (byte)(original + 32) : original;
                    Assert.Equal(want, (byte)(lowered >> (8 * i)));
                }
                if ((byte)(word >> (8 * place)) == value) Assert.Equal(expected, (byte)(lowered >> (8 * place)));
            }
        }
    }

    [Fact]
    public void BytesEqualTo_RandomWords_MarksExactlyTheEqualBytes()
    {
        var random = new Random(11);
        byte[] bytes = new byte[8];
        for (int sample = 0; sample < 20_000; sample++)
        {
            byte value = (byte)random.Next(256);
            // Mostly the value itself and its neighbours (0x00, 0x80 and 0xFF apart), where a borrow or carry would show.
            for (int i = 0; i < 8; i++) bytes[i] = random.Next(4) switch { 0 => value, 1 => (byte)(value ^ 0x80), 2 => (byte)(value + random.Next(-1, 2)), _ => (byte)random.Next(256) };
            ulong word = BitConverter.ToUInt64(bytes);
            ulong marks = Swar.BytesEqualTo(word, value);
            for (int i = 0; i < 8; i++) Assert.Equal(bytes[i] == value ? 0x80UL : 0, (marks >> (8 * i)) & 0xFF);
            if (marks != 0) Assert.Equal(Array.LastIndexOf(bytes, value), Swar.LastMarkedByte(marks));
        }
    }

    [Fact]
    public void ReadShort_EveryLengthUpToSeven_PacksTheBytesWithZerosAbove()
    {
        byte[] bytes = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];
        for (int length = 0; length < 8; length++)
        {
            ulong expected = 0;
            for (int i = 0; i < length; i++) expected |= (ulong)bytes[i] << (8 * i);
            Assert.Equal(expected, Swar.ReadShort(bytes.AsSpan(0, length)));
        }
    }
}
