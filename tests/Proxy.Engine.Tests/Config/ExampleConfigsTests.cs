using Proxy.Engine.Config;

namespace Proxy.Engine.Tests.Config;

/// <summary>The examples shipped in configs/examples/ must keep loading as the loader changes.</summary>
public sealed class ExampleConfigsTests
{
    [Fact]
    public void LoadText_SupportedKeysExample_LoadsWithItsTokenFromTheEnvironment()
    {
        string path = Path.Combine(RepositoryFiles.Root(), "configs", "examples", "supported-keys.toml");

        ConfigLoadResult result = ConfigLoader.LoadText(File.ReadAllText(path), path, name => name == "PROXY_ADMIN_TOKEN" ? "t0ken" : null);

        ProxyConfig config = ConfigTestText.AssertLoads(result);
        Assert.Equal("t0ken", config.Admin.Token);
        Assert.Equal(["api", "web"], config.Clusters.Select(cluster => cluster.Name));
        Assert.Equal(1024, config.Clusters[0].Pool.MaxConnections);
        Assert.Equal(new PoolConfig(), config.Clusters[1].Pool);
    }
}
