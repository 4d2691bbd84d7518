namespace Proxy.Protocols.Tests;
