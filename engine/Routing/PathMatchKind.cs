namespace Proxy.Engine.Routing;

/// <summary>How a route matches the path; the order is the order of specificity, most specific last.</summary>
internal enum PathMatchKind
{
    /// <summary>No path condition: any path, the least specific.</summary>
    Any,
    /// <summary><c>path_regex</c></summary>
    Regex,
    /// <summary><c>path_prefix</c>: a longer prefix is more specific.</summary>
    Prefix,
    /// <summary><c>path</c></summary>
    Exact,
}
