using System.Buffers;

namespace Proxy.Engine.Tracing;

/// <summary>
/// The <c>x-request-id</c> field: which values the proxy keeps, and new ones. Kept values are bounded and use only
/// characters that need no escaping in logs, JSON or headers, so a client cannot inject anything through them.
/// </summary>
internal static class RequestId
{
    /// <summary>The longest id kept from a client; longer ones are replaced.</summary>
    public const int MaxLength = 128;

    /// <summary>Generated ids: 16 random bytes as 32 lowercase hex digits (the shape of a W3C trace-id).</summary>
    public const int GeneratedLength = 32;

    private static readonly SearchValues<byte> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:+/=@"u8);

    public static ReadOnlySpan<byte> Name => "x-request-id"u8;

    /// <summary>Whether a client's id is kept: 1 to <see cref="MaxLength"/> of <c>A-Z a-z 0-9 - _ . : + / = @</c> (UUIDs, hex, base64).</summary>
    public static bool IsValid(ReadOnlySpan<byte> value) =>
        value.Length is > 0 and <= MaxLength && value.IndexOfAnyExcept(Allowed) < 0;

    /// <summary>Writes a new id into the first <see cref="GeneratedLength"/> bytes of <paramref name="destination"/>.</summary>
    public static void Generate(Span<byte> destination, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, GeneratedLength);
        Span<byte> bytes = stackalloc byte[GeneratedLength / 2];
        random.NextBytes(bytes);
        LowerHex.Write(bytes, destination);
    }
}
