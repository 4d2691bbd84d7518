namespace Proxy.Engine.Config;

/// <summary>A protocol a listener accepts (<c>protocols = [...]</c>).</summary>
public enum ListenerProtocol
{
    /// <summary>"http1": HTTP/1.0 and HTTP/1.1 in clear text.</summary>
    Http1,
    /// <summary>"h2c": HTTP/2 with prior knowledge in clear text.</summary>
    H2c,
}
