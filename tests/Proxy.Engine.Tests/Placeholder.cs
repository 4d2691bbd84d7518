namespace Proxy.Engine.Tests;
