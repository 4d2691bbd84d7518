namespace Proxy.Engine.Config;

/// <summary>A route's <c>respond = { status = 200, body = "ok", content_type = "text/plain" }</c>.</summary>
public sealed record DirectResponseConfig
{
    /// <summary><c>status</c>: 100 to 599.</summary>
    public int Status { get; init; }
    /// <summary><c>body</c>: sent as UTF-8; empty by default.</summary>
    public string Body { get; init; } = "";
    /// <summary><c>content_type</c>: the Content-Type of a non-empty body; "text/plain; charset=utf-8" when not written.</summary>
    public string? ContentType { get; init; }
}
