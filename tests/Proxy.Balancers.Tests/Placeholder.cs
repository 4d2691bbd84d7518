namespace Proxy.Balancers.Tests;
