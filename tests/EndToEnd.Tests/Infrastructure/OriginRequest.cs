namespace Proxy.EndToEnd.Tests.Infrastructure;

/// <summary>A request as a <see cref="TestOrigin"/> received it.</summary>
public sealed record OriginRequest(
    string Method,
    string Target,
    string Version,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    long BodyLength,
    byte[] Body,
    bool BodyWasChunked,
    int ConnectionNumber)
{
    /// <summary>Every value of the header <paramref name="name"/> (case-insensitive), in order.</summary>
    public IEnumerable<string> All(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    /// <summary>The single value of <paramref name="name"/>, or null.</summary>
    public string? Header(string name) => All(name).SingleOrDefault();

    public bool Has(string name) => All(name).Any();
}
