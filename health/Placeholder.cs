namespace Proxy.Health;
