namespace Proxy.EndToEnd.Tests;
