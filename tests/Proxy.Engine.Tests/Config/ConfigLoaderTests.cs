using System.Net;
using Proxy.Engine.Config;
using static Proxy.Engine.Tests.Config.ConfigTestText;

namespace Proxy.Engine.Tests.Config;

public sealed class ConfigLoaderTests
{
    [Fact]
    public void LoadText_ReferenceWithSupportedKeysOnly_LoadsEveryValue()
    {
        ProxyConfig config = AssertLoads(Load(ReferenceConfig.SupportedOnly));

        Assert.Equal(new ServerConfig { Workers = 0, ShutdownTimeout = TimeSpan.FromSeconds(30) }, config.Server);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9901), config.Admin.Listen);
        Assert.Equal("", config.Admin.Token);
        Assert.Equal(new LimitsConfig
        {
            MaxRequestHead = 16 * 1024,
            MaxHeaders = 100,
            MaxRequestBody = 10 * 1024 * 1024,
            ClientHeaderTimeout = TimeSpan.FromSeconds(10),
            ClientIdleTimeout = TimeSpan.FromSeconds(60),
            MaxConnections = 100_000,
        }, config.Limits);

        ListenerConfig listener = Assert.Single(config.Listeners);
        Assert.Equal("web", listener.Name);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8080), listener.Listen);
        Assert.Equal([ListenerProtocol.Http1, ListenerProtocol.H2c], listener.Protocols);

        RouteConfig route = Assert.Single(config.Routes);
        Assert.Equal("api-v1", route.Name);
        Assert.Equal(["api.example.com", "*.example.org"], route.Hosts);
        Assert.Equal("/v1/", route.PathPrefix);
        Assert.Equal(["GET", "POST"], route.Methods);
        Assert.Equal([new FieldMatchConfig { Name = "x-tenant", Kind = FieldMatchKind.Equals, Value = "blue" }], route.Headers);
        Assert.Equal([new FieldMatchConfig { Name = "beta", Kind = FieldMatchKind.Equals, Value = "1" }], route.Query);
        Assert.Equal(10, route.Priority);
        Assert.Equal("api", route.Cluster);

        ClusterConfig cluster = Assert.Single(config.Clusters);
        Assert.Equal("api", cluster.Name);
        Assert.Equal(BalancerKind.RoundRobin, cluster.Balancer);
        Assert.Equal(
            [
                new DestinationConfig { Address = "127.0.0.1:9001", Host = "127.0.0.1", Port = 9001, Weight = 3 },
                new DestinationConfig { Address = "127.0.0.1:9002", Host = "127.0.0.1", Port = 9002, Weight = 1 },
            ],
            cluster.Destinations);
        Assert.Equal(new PoolConfig
        {
            MaxIdle = 64,
            MaxConnections = 1024,
            IdleTimeout = TimeSpan.FromSeconds(90),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        }, cluster.Pool);
        Assert.Equal(new ClusterTimeoutsConfig { ResponseHeader = TimeSpan.FromSeconds(30), Idle = TimeSpan.FromSeconds(60) }, cluster.Timeouts);
        Assert.Equal(new Health.ActiveHealthOptions
        {
            Path = "/healthz", Interval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(1),
            HealthyThreshold = 2, UnhealthyThreshold = 3, ExpectStatus = cluster.Health.Active!.ExpectStatus,
        }, cluster.Health.Active);
        Assert.Equal("200-399", cluster.Health.Active.ExpectStatus.ToString());
        Assert.Equal(new Health.PassiveHealthOptions
        {
            ConsecutiveFailures = 5, EjectionTime = TimeSpan.FromSeconds(30), MaxEjectionPercent = 50,
        }, cluster.Health.Passive);
        Assert.Equal(new Health.CircuitBreakerOptions
        {
            FailureRatio = 0.5, MinimumRequests = 20, Window = TimeSpan.FromSeconds(10), OpenFor = TimeSpan.FromSeconds(10),
        }, cluster.Health.CircuitBreaker);
        Assert.Equal(2, cluster.Retry.Attempts);
        Assert.Equal(TimeSpan.FromMilliseconds(25), cluster.Retry.Backoff);
        Assert.Equal(20, cluster.Retry.BudgetPercent);
        Assert.Equal(Health.RetryConditions.Default.ToString(), cluster.Retry.On.ToString());
        Assert.Equal(SourceName, config.SourcePath);
    }

    [Fact]
    public void LoadText_FullReference_LoadsWithoutAnError_NowThatEveryKeyIsSupported()
    {
        ConfigLoadResult result = Load(ReferenceConfig.Full);

        Assert.Empty(result.Errors.Select(error => error.ToString()));
        Assert.NotNull(result.Config);
    }

    [Fact]
    public void LoadText_OnlyAListener_FillsEveryDefault()
    {
        ProxyConfig config = AssertLoads(Load(Listener));

        Assert.Equal(new ServerConfig(), config.Server);
        Assert.Equal(new AdminConfig(), config.Admin);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9901), config.Admin.Listen);
        Assert.Equal(new LimitsConfig(), config.Limits);
        Assert.Equal([ListenerProtocol.Http1], Assert.Single(config.Listeners).Protocols);
        Assert.Empty(config.Routes);
        Assert.Empty(config.Clusters);
    }

    [Fact]
    public void LoadText_RouteAndClusterWithOnlyRequiredKeys_FillsTheirDefaults()
    {
        ProxyConfig config = AssertLoads(LoadWithListener("""
            [[routes]]
            name = "all"
            cluster = "app"

            [[clusters]]
            name = "app"
            destinations = [{ address = "app.internal:80" }]
            """));

        RouteConfig route = Assert.Single(config.Routes);
        Assert.Empty(route.Hosts);
        Assert.Null(route.PathPrefix);
        Assert.Equal(0, route.Priority);
        ClusterConfig cluster = Assert.Single(config.Clusters);
        Assert.Equal(BalancerKind.RoundRobin, cluster.Balancer);
        Assert.Equal(new PoolConfig(), cluster.Pool);
        Assert.Equal(new ClusterTimeoutsConfig(), cluster.Timeouts);
        Assert.Equal(new DestinationConfig { Address = "app.internal:80", Host = "app.internal", Port = 80, Weight = 1 }, Assert.Single(cluster.Destinations));
    }

    [Fact]
    public void LoadText_PoolTablesAfterEachOfTwoClusters_AttachToTheClusterAboveThem()
    {
        ProxyConfig config = AssertLoads(LoadWithListener("""
            [[clusters]]
            name = "first"
            destinations = [{ address = "10.0.0.1:80" }]

            [clusters.pool]
            max_idle = 1
            connect_timeout = "1s"

            [[clusters]]
            name = "second"
            destinations = [{ address = "10.0.0.2:80" }]

            [clusters.pool]
            max_idle = 2
            connect_timeout = "2m"

            [clusters.timeouts]
            idle = "5m"
            """));

        Assert.Equal(["first", "second"], config.Clusters.Select(cluster => cluster.Name));
        Assert.Equal(new PoolConfig { MaxIdle = 1, ConnectTimeout = TimeSpan.FromSeconds(1) }, config.Clusters[0].Pool);
        Assert.Equal(new ClusterTimeoutsConfig(), config.Clusters[0].Timeouts);
        Assert.Equal(new PoolConfig { MaxIdle = 2, ConnectTimeout = TimeSpan.FromMinutes(2) }, config.Clusters[1].Pool);
        Assert.Equal(new ClusterTimeoutsConfig { Idle = TimeSpan.FromMinutes(5) }, config.Clusters[1].Timeouts);
    }

    [Fact]
    public void LoadText_PoolAsInlineTableOrDottedKeys_ReadsTheSameAsASection()
    {
        ProxyConfig config = AssertLoads(LoadWithListener("""
            [[clusters]]
            name = "inline"
            destinations = [{ address = "10.0.0.1:80" }]
            pool = { max_idle = 7 }

            [[clusters]]
            name = "dotted"
            destinations = [{ address = "10.0.0.2:80" }]
            pool.max_idle = 8
            """));

        Assert.Equal([7, 8], config.Clusters.Select(cluster => cluster.Pool.MaxIdle));
    }

    [Fact]
    public void LoadText_NonDefaultValues_AreAllRead()
    {
        ProxyConfig config = AssertLoads(LoadWithListener("""
            [server]
            workers = 4
            shutdown_timeout = "1m30s"
            release_idle_buffers = true
            transport = "sockets"

            [admin]
            listen = "[::1]:9000"
            token = "secret"

            [limits]
            max_request_head = 8192
            max_headers = 50
            max_request_body = "1GiB"
            client_header_timeout = "250ms"
            client_idle_timeout = "2m"
            max_connections = 10
            """));

        Assert.Equal(new ServerConfig { Workers = 4, ShutdownTimeout = TimeSpan.FromSeconds(90), ReleaseIdleBuffers = true, Transport = SocketTransport.Sockets }, config.Server);
        Assert.Equal(new AdminConfig { Listen = new IPEndPoint(IPAddress.IPv6Loopback, 9000), Token = "secret" }, config.Admin);
        Assert.Equal(new LimitsConfig
        {
            MaxRequestHead = 8192,
            MaxHeaders = 50,
            MaxRequestBody = 1L << 30,
            ClientHeaderTimeout = TimeSpan.FromMilliseconds(250),
            ClientIdleTimeout = TimeSpan.FromMinutes(2),
            MaxConnections = 10,
        }, config.Limits);
    }

    [Fact]
    public void LoadText_AdminListenEmpty_TurnsTheAdminListenerOff()
    {
        ProxyConfig config = AssertLoads(LoadWithListener("""
            [admin]
            listen = ""
            """));

        Assert.Null(config.Admin.Listen);
    }

    [Fact]
    public void LoadText_HostsInMixedCase_AreStoredLowerCase()
    {
        ProxyConfig config = AssertLoads(LoadWithListener("""
            [[routes]]
            name = "r"
            hosts = ["API.Example.COM", "*.Example.Org", "10.0.0.5", "[::1]"]
            cluster = "c"

            [[clusters]]
            name = "c"
            destinations = [{ address = "[::1]:80" }, { address = "Backend_1.local:8080", weight = 2 }]
            """));

        Assert.Equal(["api.example.com", "*.example.org", "10.0.0.5", "[::1]"], Assert.Single(config.Routes).Hosts);
        Assert.Equal(
            [
                new DestinationConfig { Address = "[::1]:80", Host = "::1", Port = 80 },
                new DestinationConfig { Address = "Backend_1.local:8080", Host = "Backend_1.local", Port = 8080, Weight = 2 },
            ],
            Assert.Single(config.Clusters).Destinations);
    }

    [Fact]
    public void LoadText_ListenersWithNoRoutesAndAnUnusedCluster_Loads()
    {
        ProxyConfig config = AssertLoads(LoadWithListener("""
            [[clusters]]
            name = "spare"
            destinations = [{ address = "10.0.0.1:80" }]
            """));

        Assert.Empty(config.Routes);
        Assert.Single(config.Clusters);
    }

    [Fact]
    public void LoadText_ThreeDifferentErrors_ReportsAllThreeInFileOrder()
    {
        ConfigLoadResult result = LoadWithListener("""
            [server]
            workers = "4"

            [limits]
            max_headers = 0
            max_hedaers = 5
            """);

        Assert.Null(result.Config);
        Assert.Equal(
            [
                "test.toml:2:11: `workers` must be an integer, not a string",
                "test.toml:5:15: `max_headers` must be between 1 and 10000, not 0",
                "test.toml:6:1: unknown key `max_hedaers` in [limits]; did you mean `max_headers`? (expected one of: max_request_head, max_headers, max_request_body, client_header_timeout, client_idle_timeout, max_connections, http2)",
            ],
            result.Errors.Select(error => error.ToString()));
    }

    [Fact]
    public void LoadText_ErrorsInManyTablesAndCrossChecks_ReportsEveryOne()
    {
        ConfigLoadResult result = Load("""
            [[listeners]]
            name = "a"
            listen = "localhost:80"

            [[routes]]
            name = "r"
            cluster = "nope"
            methods = ["get"]

            [[clusters]]
            name = "c"
            destinations = [{ address = "10.0.0.1:0" }]
            pool.idle_timeout = 90
            """);

        Assert.Equal([3, 7, 8, 12, 13], result.Errors.Select(error => error.Line));
    }

    [Fact]
    public void LoadFile_MissingFile_ReportsOneErrorAtTheStartOfTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"proxy-config-{Guid.NewGuid():N}.toml");

        ConfigLoadResult result = ConfigLoader.LoadFile(path);

        Assert.Null(result.Config);
        Assert.Equal(new ConfigError(path, 1, 1, "cannot read the configuration: the file does not exist"), Assert.Single(result.Errors));
    }

    [Fact]
    public void LoadFile_Directory_ReportsThatItIsNotAFile()
    {
        ConfigLoadResult result = ConfigLoader.LoadFile(Path.GetTempPath());

        Assert.Equal("cannot read the configuration: this is a directory, not a file", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void LoadFile_InvalidUtf8_ReportsItInsteadOfReadingReplacementCharacters()
    {
        string path = Path.Combine(Path.GetTempPath(), $"proxy-config-{Guid.NewGuid():N}.toml");
        File.WriteAllBytes(path, [.. "token = \""u8, 0xFF, 0xFE, (byte)'"', (byte)'\n']);
        try
        {
            ConfigLoadResult result = ConfigLoader.LoadFile(path);

            Assert.Equal(new ConfigError(path, 1, 1, "cannot read the configuration: the file is not valid UTF-8, which TOML requires"), Assert.Single(result.Errors));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadFile_ValidFile_NamesTheFileInTheConfigAndInErrors()
    {
        string path = Path.Combine(Path.GetTempPath(), $"proxy-config-{Guid.NewGuid():N}.toml");
        File.WriteAllText(path, Listener + "\nworkers = 1\n");
        try
        {
            ConfigLoadResult result = ConfigLoader.LoadFile(path);

            Assert.Equal(path, Assert.Single(result.Errors).File);
            File.WriteAllText(path, Listener);
            Assert.Equal(path, ConfigLoader.LoadFile(path).Config?.SourcePath);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
