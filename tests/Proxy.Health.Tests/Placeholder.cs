namespace Proxy.Health.Tests;
