namespace Proxy.Engine.Server;

/// <summary>The proxy could not start (a port in use, an address not available): the message says which and why.</summary>
public sealed class ProxyStartException : Exception
{
    public ProxyStartException() { }
    public ProxyStartException(string message) : base(message) { }
    public ProxyStartException(string message, Exception inner) : base(message, inner) { }
}
