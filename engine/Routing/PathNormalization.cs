namespace Proxy.Engine.Routing;

/// <summary>What <see cref="PathNormalizer.Normalize"/> did with a path.</summary>
internal enum PathNormalization
{
    /// <summary>The path was already in normal form; nothing was written.</summary>
    Unchanged,
    /// <summary>The normal form was written to the destination.</summary>
    Normalized,
    /// <summary>A ".." segment climbs above "/": the request is refused (400).</summary>
    EscapesRoot,
    /// <summary>A '%' not followed by two hex digits: the request is refused (400).</summary>
    InvalidPercentEncoding,
}
