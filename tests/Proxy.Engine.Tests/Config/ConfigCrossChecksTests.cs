using Proxy.Engine.Config;
using static Proxy.Engine.Tests.Config.ConfigTestText;

namespace Proxy.Engine.Tests.Config;

/// <summary>Checks across tables, through the loader: each error points at the second place and names the first one's line.</summary>
public sealed class ConfigCrossChecksTests
{
    private const string Cluster = """
        [[clusters]]
        name = "app"
        destinations = [{ address = "10.0.0.1:80" }]
        """;

    [Fact]
    public void Check_NoListeners_ReportsAtTheStartOfTheFile()
    {
        AssertSingleError(Load(Cluster), 1, 1,
            "no [[listeners]] are defined; add at least one, with a `name` and a `listen` address like \"0.0.0.0:8080\"");
    }

    [Fact]
    public void Check_EmptyFile_ReportsThatThereAreNoListeners()
    {
        AssertSingleError(Load(""), 1, 1,
            "no [[listeners]] are defined; add at least one, with a `name` and a `listen` address like \"0.0.0.0:8080\"");
    }

    [Fact]
    public void Check_TwoListenersWithOneName_PointsAtTheSecond()
    {
        AssertSingleError(Load("""
            [[listeners]]
            name = "web"
            listen = "127.0.0.1:8080"

            [[listeners]]
            name = "web"
            listen = "127.0.0.1:8081"
            """), 6, 8, "listener name `web` is already used by the listener at line 2; names must be unique");
    }

    [Fact]
    public void Check_TwoRoutesWithOneName_PointsAtTheSecond()
    {
        AssertSingleError(LoadWithListener(Cluster + """

            [[routes]]
            name = "r"
            cluster = "app"

            [[routes]]
            name = "r"
            cluster = "app"
            """), 9, 8, "route name `r` is already used by the route at line 5; names must be unique");
    }

    [Fact]
    public void Check_TwoClustersWithOneName_PointsAtTheSecond()
    {
        AssertSingleError(LoadWithListener(Cluster + "\n" + Cluster), 5, 8,
            "cluster name `app` is already used by the cluster at line 2; names must be unique");
    }

    [Fact]
    public void Check_RouteNamingAMissingCluster_ListsTheDefinedOnesAndSuggests()
    {
        AssertSingleError(LoadWithListener(Cluster + """

            [[clusters]]
            name = "static"
            destinations = [{ address = "10.0.0.2:80" }]

            [[routes]]
            name = "r"
            cluster = "ap"
            """), 10, 11, "route `r` uses cluster `ap`, which is not defined; did you mean `app`? defined clusters: app, static");
    }

    [Fact]
    public void Check_RouteWithNoClustersDefined_SaysThereAreNone()
    {
        AssertSingleError(LoadWithListener("""
            [[routes]]
            name = "r"
            cluster = "app"
            """), 3, 11, "route `r` uses cluster `app`, which is not defined; there are no [[clusters]]");
    }

    [Fact]
    public void Check_TwoListenersOnOneAddress_PointsAtTheSecond()
    {
        AssertSingleError(Load("""
            [[listeners]]
            name = "a"
            listen = "127.0.0.1:8080"

            [[listeners]]
            name = "b"
            listen = "127.0.0.1:8080"
            """), 7, 10, "listener `b` listens on 127.0.0.1:8080, as does listener `a` at line 3; each listener needs its own address and port");
    }

    [Fact]
    public void Check_ListenerInsideAnotherOnesAnyAddress_ReportsTheOverlap()
    {
        AssertSingleError(Load("""
            [[listeners]]
            name = "all"
            listen = "0.0.0.0:80"

            [[listeners]]
            name = "local"
            listen = "127.0.0.1:80"
            """), 7, 10, "listener `local` listens on 127.0.0.1:80, which is covered by 0.0.0.0:80 of listener `all` at line 3; each listener needs its own address and port");
    }

    [Fact]
    public void Check_AnyAddressListenerAfterASpecificOne_SaysItCoversTheEarlier()
    {
        AssertSingleError(Load("""
            [[listeners]]
            name = "local"
            listen = "[::1]:80"

            [[listeners]]
            name = "all"
            listen = "[::]:80"
            """), 7, 10, "listener `all` listens on [::]:80, which covers [::1]:80 of listener `local` at line 3; each listener needs its own address and port");
    }

    [Fact]
    public void Check_ListenersOnOnePortOfDifferentAddresses_Load()
    {
        AssertLoads(Load("""
            [[listeners]]
            name = "a"
            listen = "127.0.0.1:80"

            [[listeners]]
            name = "b"
            listen = "127.0.0.2:80"

            [[listeners]]
            name = "c"
            listen = "[::]:80"
            """));
    }

    [Fact]
    public void Check_ListenerOnTheDefaultAdminAddress_SaysSoAtTheListener()
    {
        AssertSingleError(Load("""
            [[listeners]]
            name = "web"
            listen = "127.0.0.1:9901"
            """), 3, 10, "listener `web` listens on 127.0.0.1:9901, which collides with the admin listener's default 127.0.0.1:9901; use another port, or set [admin] listen");
    }

    [Fact]
    public void Check_AdminListenOnAListenersAddress_SaysSoAtTheAdminKey()
    {
        AssertSingleError(LoadWithListener("""
            [admin]
            listen = "0.0.0.0:8080"
            """), 2, 10, "[admin] listen = 0.0.0.0:8080 collides with listener `web` at line 5; give the admin listener its own port");
    }

    [Fact]
    public void Check_ListenerWithBadAddress_IsNotAlsoReportedAsAConflict()
    {
        ConfigLoadResult result = Load("""
            [[listeners]]
            name = "a"
            listen = "nowhere"

            [[listeners]]
            name = "b"
            listen = "nowhere"
            """);

        Assert.Equal([3, 7], result.Errors.Select(error => error.Line));
    }
}
