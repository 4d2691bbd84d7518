using Proxy.Engine.Config;
using static Proxy.Engine.Tests.Config.ConfigTestText;

namespace Proxy.Engine.Tests.Config;

/// <summary>One test per kind of mistake: where it is reported (line, column) and what it says.</summary>
public sealed class ConfigLoaderErrorTests
{
    [Fact]
    public void LoadText_SyntaxError_ReportsTomlynDiagnosticAtItsPosition()
    {
        AssertSingleError(LoadWithListener("""
            [server]
            workers =
            """), 2, 10, "TOML: Unexpected token end-of-line found while expecting a value");
    }

    [Fact]
    public void LoadText_BooleanKeyGivenAString_SaysTrueOrFalse()
    {
        AssertSingleError(LoadWithListener("""
            [server]
            release_idle_buffers = "yes"
            """), 2, 24, "`release_idle_buffers` must be true or false, not a string");
    }

    [Fact]
    public void LoadText_UnknownTransport_ListsTheTransports()
    {
        AssertSingleError(LoadWithListener("""
            [server]
            transport = "epol"
            """), 2, 13, "`transport` = \"epol\" is not one of: \"epoll\", \"sockets\"; did you mean \"epoll\"?");
    }

    [Fact]
    public void LoadText_UnclosedBracket_ReportsTheFirstErrorOfEachLineOnly()
    {
        ConfigLoadResult result = LoadWithListener("""
            [limits
            max_headers = 3
            """);

        Assert.Equal(
            [
                "test.toml:1:8: TOML: Unexpected token found end of line (token: `newline`) while expecting `]` (token: `closebracket`)",
                "test.toml:2:1: TOML: Unexpected token found `max_headers` (token: `basickey`) while expecting token `newline`",
            ],
            result.Errors.Select(error => error.ToString()));
    }

    [Fact]
    public void LoadText_PriorityBeyondAnInt_SaysTheMaximum()
    {
        AssertSingleError(LoadWithListener("""
            [[routes]]
            name = "r"
            cluster = "c"
            priority = 3000000000
            [[clusters]]
            name = "c"
            destinations = [{ address = "10.0.0.1:80" }]
            """), 4, 12, "`priority` must be at most 2147483647, not 3000000000");
    }

    [Fact]
    public void LoadText_UnclosedString_ReportsOneErrorNotOnePerFollowingLine()
    {
        ConfigLoadResult result = LoadWithListener("""
            [admin]
            token = "abc
            """);

        Assert.Null(result.Config);
        Assert.Equal(new ConfigError(SourceName, 2, 13, "TOML: Invalid newline in a string"), result.Errors[0]);
        Assert.DoesNotContain(result.Errors.Skip(1), error => error.Message == result.Errors[0].Message);
    }

    [Fact]
    public void LoadText_KeyDefinedTwice_ReportsItAndStillChecksTheRest()
    {
        ConfigLoadResult result = LoadWithListener("""
            [server]
            workers = 1
            workers = 2
            colour = "red"
            """);

        Assert.Equal(
            [
                "test.toml:3:1: TOML: The key `server.workers` is already defined at (2,1) with `workers = 1` and cannot be redefined",
                "test.toml:4:1: unknown key `colour` in [server]; expected one of: workers, shutdown_timeout, release_idle_buffers, transport",
            ],
            result.Errors.Select(error => error.ToString()));
    }

    [Fact]
    public void LoadText_UnknownKeyCloseToAKnownOne_SuggestsIt()
    {
        AssertSingleError(LoadWithListener("""
            [server]
            worker = 4
            """), 2, 1, "unknown key `worker` in [server]; did you mean `workers`? (expected one of: workers, shutdown_timeout, release_idle_buffers, transport)");
    }

    [Fact]
    public void LoadText_UnknownKeyInOtherCase_SuggestsTheSnakeCaseKey()
    {
        AssertSingleError(LoadWithListener("""
            [limits]
            maxHeaders = 4
            """), 2, 1, "unknown key `maxHeaders` in [limits]; did you mean `max_headers`? (expected one of: max_request_head, max_headers, max_request_body, client_header_timeout, client_idle_timeout, max_connections, http2)");
    }

    [Fact]
    public void LoadText_UnknownTopLevelSection_ListsTheKnownOnes()
    {
        AssertSingleError(LoadWithListener("""
            [metrics]
            enabled = true
            """), 1, 2, "unknown key `metrics` at the top level; expected one of: server, admin, limits, listeners, routes, clusters, access_log, tracing, include");
    }

    [Fact]
    public void LoadText_UnknownKeyInADestination_NamesTheDestination()
    {
        AssertSingleError(LoadWithListener("""
            [[clusters]]
            name = "c"
            destinations = [{ address = "10.0.0.1:80", wieght = 2 }]
            """), 3, 44, "unknown key `wieght` in a destination; did you mean `weight`? (expected one of: address, weight)");
    }

    [Theory]
    [InlineData("tls = { certificates = [] }", "tls", "[[listeners]]")]
    [InlineData("redirect_https = true", "redirect_https", "[[listeners]]")]
    public void LoadText_ListenerKeyNotSupportedYet_SaysSo(string line, string key, string table)
    {
        AssertSingleError(Load(Listener + "\n" + line), 4, 1, $"`{key}` in {table} is not supported yet by this version; remove it or upgrade");
    }

    [Fact]
    public void LoadText_UnknownBalancer_SuggestsTheClosest()
    {
        AssertSingleError(LoadWithListener("""
            [[clusters]]
            name = "c"
            balancer = "round_robbin"
            destinations = [{ address = "10.0.0.1:80" }]
            """), 3, 12, "`balancer` = \"round_robbin\" is not one of: \"round_robin\", \"weighted_round_robin\", \"random\", \"least_conn\", \"p2c\", \"peak_ewma\", \"consistent_hash\", \"sticky\"; did you mean \"round_robin\"?");
    }

    [Theory]
    [InlineData("workers = \"4\"", 11, "`workers` must be an integer, not a string")]
    [InlineData("workers = 4.0", 11, "`workers` must be an integer, not a float")]
    [InlineData("workers = true", 11, "`workers` must be an integer, not a boolean")]
    [InlineData("workers = [4]", 11, "`workers` must be an integer, not an array")]
    [InlineData("workers = 1979-05-27", 11, "`workers` must be an integer, not a date-time")]
    [InlineData("shutdown_timeout = false", 20, "`shutdown_timeout` must be a duration string like \"5s\", not a boolean")]
    public void LoadText_ValueOfTheWrongType_NamesBothTypes(string line, int column, string message)
    {
        AssertSingleError(LoadWithListener("[server]\n" + line), 2, column, message);
    }

    [Fact]
    public void LoadText_SectionWrittenAsAValue_SaysItMustBeATable()
    {
        AssertSingleError(LoadWithListener("server = 4"), 1, 10, "`server` must be a table, not an integer");
    }

    [Fact]
    public void LoadText_ListenersAsASingleTable_SaysToUseDoubleBrackets()
    {
        AssertSingleError(Load("""
            [listeners]
            name = "web"
            listen = "127.0.0.1:8080"
            """), 1, 1, "`listeners` must be an array of tables, written [[listeners]], not a table");
    }

    [Theory]
    [InlineData("workers = -1", 11, "`workers` must be at least 0, not -1")]
    [InlineData("workers = 9999999999", 11, "`workers` must be at most 2147483647, not 9999999999")]
    public void LoadText_IntegerOutOfRange_GivesTheRange(string line, int column, string message)
    {
        AssertSingleError(LoadWithListener("[server]\n" + line), 2, column, message);
    }

    [Theory]
    [InlineData("max_headers = 0", 15, "`max_headers` must be between 1 and 10000, not 0")]
    [InlineData("max_headers = 10001", 15, "`max_headers` must be between 1 and 10000, not 10001")]
    [InlineData("max_connections = 0", 19, "`max_connections` must be at least 1, not 0")]
    [InlineData("max_request_head = 1023", 20, "`max_request_head` must be at least 1KiB, not 1023")]
    [InlineData("max_request_head = \"2MiB\"", 20, "`max_request_head` must be at most 1MiB, not \"2MiB\"")]
    [InlineData("max_request_body = \"10QB\"", 20, "`max_request_body` = \"10QB\" has the unknown unit `QB`; use B, KiB, MiB or GiB (or KB, MB, GB for powers of 1000)")]
    [InlineData("max_request_body = \"1.5MiB\"", 20, "`max_request_body` = \"1.5MiB\" has a fraction; write whole numbers of a smaller unit, like \"1536KiB\" for 1.5MiB")]
    [InlineData("max_request_body = -1", 20, "`max_request_body` must be at least 0B, not -1")]
    [InlineData("client_header_timeout = 10", 25, "`client_header_timeout` = 10 has no unit; write a duration string like \"10s\" (units: ms, s, m, h)")]
    [InlineData("client_header_timeout = \"10\"", 25, "`client_header_timeout` = \"10\" has no unit; write it like \"10s\" (units: ms, s, m, h)")]
    [InlineData("client_header_timeout = \"10 s\"", 25, "`client_header_timeout` = \"10 s\" is not a duration; write it like \"250ms\", \"5s\", \"2m\", \"1h\" or \"1m30s\"")]
    [InlineData("client_header_timeout = \"10sec\"", 25, "`client_header_timeout` = \"10sec\" has the unknown unit `sec`; use one of ms, s, m, h")]
    [InlineData("client_header_timeout = \"0s\"", 25, "`client_header_timeout` must be longer than 0s")]
    [InlineData("client_idle_timeout = \"25h\"", 23, "`client_idle_timeout` = \"25h\" is longer than the 24h allowed for any duration")]
    public void LoadText_LimitOutOfRangeOrMalformed_SaysWhatIsAllowed(string line, int column, string message)
    {
        AssertSingleError(LoadWithListener("[limits]\n" + line), 2, column, message);
    }

    [Theory]
    [InlineData("localhost:8080", "`listen` = \"localhost:8080\" names a host; a listener binds to an IP address, like \"0.0.0.0:8080\", \"127.0.0.1:8080\" or \"[::]:8080\"")]
    [InlineData("::1:8080", "`listen` = \"::1:8080\" looks like an IPv6 address without brackets; write it like \"[::1]:8080\"")]
    [InlineData("127.0.0.1", "`listen` = \"127.0.0.1\" has no port; write it like \"127.0.0.1:8080\"")]
    [InlineData("127.0.0.1:0", "`listen` = \"127.0.0.1:0\" has the port `0`; a port is a number from 1 to 65535")]
    [InlineData("127.0.0.1:65536", "`listen` = \"127.0.0.1:65536\" has the port `65536`; a port is a number from 1 to 65535")]
    [InlineData("127.1:80", "`listen` = \"127.1:80\" has `127.1`, which is not an IPv4 address (four numbers 0-255, like 127.0.0.1)")]
    [InlineData("[fe80::zz]:80", "`listen` = \"[fe80::zz]:80\" has `[fe80::zz]`, which is not an IPv6 address")]
    public void LoadText_BadListenAddress_SaysWhatIsWrong(string listen, string message)
    {
        AssertSingleError(Load($"""
            [[listeners]]
            name = "web"
            listen = "{listen}"
            """), 3, 10, message);
    }

    [Theory]
    [InlineData("bad name!", "`name` = \"bad name!\" has ` `; names may use letters, digits, '-', '_' and '.'")]
    [InlineData("", "`name` = \"\" is empty")]
    public void LoadText_BadName_SaysWhichCharactersWork(string name, string message)
    {
        AssertSingleError(Load($"""
            [[listeners]]
            name = "{name}"
            listen = "127.0.0.1:8080"
            """), 2, 8, message);
    }

    [Fact]
    public void LoadText_UnknownProtocol_SuggestsTheClosest()
    {
        AssertSingleError(Load(Listener + "\nprotocols = [\"http1\", \"http2\"]"), 4, 23,
            "`protocols` entry \"http2\" is not one of: \"http1\", \"h2c\"; did you mean \"http1\"?");
    }

    [Theory]
    [InlineData("[]", 13, "`protocols` must list at least one protocol")]
    [InlineData("[\"http1\", \"http1\"]", 23, "`protocols` lists \"http1\" twice")]
    [InlineData("[\"h2\"]", 14, "`protocols` entry \"h2\" is not supported yet by this version; use \"http1\", \"h2c\", or upgrade")]
    [InlineData("[1]", 14, "`protocols` entries must be strings, not an integer")]
    [InlineData("\"h2c\"", 13, "`protocols` must be an array, not a string")]
    public void LoadText_BadProtocolList_SaysWhatIsWrong(string protocols, int column, string message)
    {
        AssertSingleError(Load(Listener + "\nprotocols = " + protocols), 4, column, message);
    }

    [Fact]
    public void LoadText_MissingRequiredKeys_ReportsEachAtItsTable()
    {
        ConfigLoadResult result = Load("""
            [[listeners]]
            name = "web"

            [[clusters]]
            destinations = [{ weight = 2 }]
            """);

        Assert.Equal(
            [
                "test.toml:1:1: `listen` is required in [[listeners]]",
                "test.toml:4:1: `name` is required in [[clusters]]",
                "test.toml:5:17: `address` is required in a destination",
            ],
            result.Errors.Select(error => error.ToString()));
    }

    [Theory]
    [InlineData("[]", 16, "`destinations` must list at least one destination, like { address = \"10.0.0.5:8080\" }")]
    [InlineData("[\"10.0.0.1:80\"]", 17, "`destinations` entries must be tables, not a string")]
    [InlineData("[{ address = \"10.0.0.1\" }]", 29, "`address` = \"10.0.0.1\" has no port; write it like \"10.0.0.5:8080\"")]
    [InlineData("[{ address = \"10.0.0.256:80\" }]", 29, "`address` = \"10.0.0.256:80\" has `10.0.0.256`, which is not an IPv4 address (four numbers 0-255, like 10.0.0.5)")]
    [InlineData("[{ address = \"-bad.example:80\" }]", 29, "`address` = \"-bad.example:80\" has the host `-bad.example`, which has the label `-bad`, which starts or ends with '-'")]
    [InlineData("[{ address = \"a..b:80\" }]", 29, "`address` = \"a..b:80\" has the host `a..b`, which has an empty label (two dots in a row, or a leading dot)")]
    [InlineData("[{ address = \"10.0.0.1:80\", weight = 0 }]", 53, "`weight` must be between 1 and 10000, not 0")]
    public void LoadText_BadDestination_SaysWhatIsWrong(string destinations, int column, string message)
    {
        AssertSingleError(LoadWithListener($"""
            [[clusters]]
            name = "c"
            destinations = {destinations}
            """), 3, column, message);
    }

    [Fact]
    public void LoadText_SameDestinationTwice_PointsAtTheSecondAndNamesTheFirstLine()
    {
        AssertSingleError(LoadWithListener("""
            [[clusters]]
            name = "c"
            destinations = [
              { address = "10.0.0.1:80" },
              { address = "10.0.0.2:80" },
              { address = "10.0.0.1:80", weight = 2 },
            ]
            """), 6, 15, "destination \"10.0.0.1:80\" is already listed in this cluster at line 4; list it once, with a larger weight if it should take more traffic");
    }

    [Fact]
    public void LoadText_SameDestinationNameInOtherCase_IsStillADuplicate()
    {
        ConfigLoadResult result = LoadWithListener("""
            [[clusters]]
            name = "c"
            destinations = [{ address = "app.local:80" }, { address = "APP.local:80" }]
            """);

        Assert.Equal(3, Assert.Single(result.Errors).Line);
    }

    [Theory]
    [InlineData("[]", 9, "`hosts` is empty; leave it out of the route to match any host")]
    [InlineData("[\"*\"]", 10, "`hosts` entry \"*\" matches every host; leave `hosts` out of the route instead")]
    [InlineData("[\"api.*.com\"]", 10, "`hosts` entry \"api.*.com\" has a `*` that is not a leading \"*.\"; only names like \"*.example.org\" may use a wildcard")]
    [InlineData("[\"api.example.com:8080\"]", 10, "`hosts` entry \"api.example.com:8080\" has a port; hosts are matched without the port of the Host header")]
    [InlineData("[\"api_v1.example.com\"]", 10, "`hosts` entry \"api_v1.example.com\" has `_`; host names may use only letters, digits, '-' and '.'")]
    [InlineData("[\"bücher.example\"]", 10, "`hosts` entry \"bücher.example\" has `ü`; write international names in their xn-- (punycode) form")]
    [InlineData("[\"example.com.\"]", 10, "`hosts` entry \"example.com.\" ends with a dot; remove it")]
    [InlineData("[\"a.com\", \"A.com\"]", 19, "`hosts` lists \"A.com\" twice")]
    public void LoadText_BadRouteHost_SaysWhatIsWrong(string hosts, int column, string message)
    {
        AssertSingleError(LoadWithListener($"""
            [[routes]]
            name = "r"
            cluster = "c"
            hosts = {hosts}
            [[clusters]]
            name = "c"
            destinations = [{"{"} address = "10.0.0.1:80" {"}"}]
            """), 4, column, message);
    }

    [Theory]
    [InlineData("v1/", "`path_prefix` = \"v1/\" must start with '/'")]
    [InlineData("/v1?x=1", "`path_prefix` = \"/v1?x=1\" has `?`; the prefix is matched against the path only, without query or fragment")]
    [InlineData("/my files", "`path_prefix` = \"/my files\" has a space or a non-ASCII character; write it percent-encoded, as it arrives on the wire")]
    public void LoadText_BadPathPrefix_SaysWhatIsWrong(string prefix, string message)
    {
        AssertSingleError(LoadWithListener($"""
            [[routes]]
            name = "r"
            cluster = "c"
            path_prefix = "{prefix}"
            [[clusters]]
            name = "c"
            destinations = [{"{"} address = "10.0.0.1:80" {"}"}]
            """), 4, 15, message);
    }
}
