using System.Collections.Concurrent;
using System.Text;
using Proxy.Engine.Config;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Routing;

/// <summary>
/// The methods the routes of one snapshot name, each as one bit, so that "does this route take this method" is an
/// AND and "which methods would some route have taken" is an OR. The standard methods have the bits of their
/// <see cref="KnownMethod"/> value; other tokens get the next bits in the order they first appear in the file.
/// Also renders Allow values for 405 answers, once per distinct set of methods. Thread-safe.
/// </summary>
internal sealed class MethodTable
{
    /// <summary>The mask of a route without <c>methods</c>: every method, including ones no route names.</summary>
    public const ulong AnyMethod = ulong.MaxValue;

    /// <summary>The bit of a method no route names: only routes without <c>methods</c> take it.</summary>
    public const ulong UnnamedMethod = 1;

    // Bits 1-8 are GET..TRACE (bit = KnownMethod value), bit 0 stands for "a method no route names".
    private const int FirstExtensionBit = 10;
    private const int MaxCachedAllowValues = 4096;

    private static readonly string[] StandardNames = ["", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"];

    private readonly byte[][] _extensions;                      // bit FirstExtensionBit + i
    private readonly ConcurrentDictionary<ulong, byte[]> _allowValues = new();

    public MethodTable(IEnumerable<RouteConfig> routes)
    {
        var extensions = new List<string>();
        foreach (RouteConfig route in routes)
        {
            foreach (string method in route.Methods)
            {
                if (Array.IndexOf(StandardNames, method) < 1 && !extensions.Contains(method)) extensions.Add(method);
            }
        }
        if (extensions.Count > 64 - FirstExtensionBit) throw new ArgumentException($"At most {RouteChecks.MaxExtensionMethods} non-standard methods can be told apart.", nameof(routes));
        _extensions = [.. extensions.Select(Encoding.ASCII.GetBytes)];
    }

    /// <summary>The bits of <paramref name="methods"/> (a route's <c>methods</c>); GET brings HEAD, as in nginx and RFC 9110 §9.3.2.</summary>
    public ulong MaskOf(IReadOnlyList<string> methods)
    {
        if (methods.Count == 0) return AnyMethod;
        ulong mask = 0;
        foreach (string method in methods) mask |= BitOf(Encoding.ASCII.GetBytes(method), KnownMethod.Other);
        if ((mask & Bit(KnownMethod.Get)) != 0) mask |= Bit(KnownMethod.Head);
        return mask;
    }

    /// <summary>The bit of a request's method: <paramref name="known"/> when the parser recognised it, else the token's; 1 when no route names it.</summary>
    public ulong BitOf(ReadOnlySpan<byte> token, KnownMethod known) =>
        known != KnownMethod.Other ? Bit(known) : BitOfToken(token);

    /// <summary>As <see cref="BitOf(ReadOnlySpan{byte}, KnownMethod)"/> for a parsed request, reading the token only when the parser did not know it.</summary>
    /// <remarks>Small enough to inline: nearly every request has a method the parser already recognised.</remarks>
    public ulong BitOf(RequestHead request) =>
        request.Method != KnownMethod.Other ? Bit(request.Method) : BitOfToken(request.MethodName);

    private ulong BitOfToken(ReadOnlySpan<byte> token)
    {
        KnownMethod known = KnownMethods.Recognise(token);
        if (known != KnownMethod.Other) return Bit(known);
        for (int i = 0; i < _extensions.Length; i++)
        {
            if (token.SequenceEqual(_extensions[i])) return 1UL << (FirstExtensionBit + i);
        }
        return UnnamedMethod;
    }

    /// <summary>"GET, HEAD, POST": the Allow value for a set of method bits, rendered once per distinct set.</summary>
    public byte[] AllowValue(ulong mask)
    {
        if (_allowValues.TryGetValue(mask, out byte[]? value)) return value;
        value = Render(mask);
        // Bounded: the sets that occur are unions of the routes' sets, few in any real configuration.
        if (_allowValues.Count < MaxCachedAllowValues) _allowValues.TryAdd(mask, value);
        return value;
    }

    private byte[] Render(ulong mask)
    {
        var names = new List<string>();
        for (int bit = 1; bit < 64; bit++)
        {
            if ((mask & (1UL << bit)) == 0) continue;
            if (bit < StandardNames.Length) names.Add(StandardNames[bit]);
            else if (bit >= FirstExtensionBit && bit - FirstExtensionBit < _extensions.Length) names.Add(Encoding.ASCII.GetString(_extensions[bit - FirstExtensionBit]));
        }
        return Encoding.ASCII.GetBytes(string.Join(", ", names));
    }

    private static ulong Bit(KnownMethod method) => 1UL << (int)method;
}
