using System.Net;
using Proxy.Engine.Config;
using Proxy.Engine.Config.Values;
using static Proxy.Engine.Tests.Config.ConfigTestText;

namespace Proxy.Engine.Tests.Config;

public sealed class EnvironmentSubstitutionTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["ADMIN_TOKEN"] = "s3cret",
        ["PORT"] = "8443",
        ["EMPTY"] = "",
    };

    [Theory]
    [InlineData("${ADMIN_TOKEN}", "s3cret")]
    [InlineData("Bearer ${ADMIN_TOKEN}!", "Bearer s3cret!")]
    [InlineData("${PORT}${PORT}", "84438443")]
    [InlineData("a${EMPTY}b", "ab")]
    [InlineData("cost: $5 and $ {x}", "cost: $5 and $ {x}")]
    [InlineData("$${ADMIN_TOKEN}", "${ADMIN_TOKEN}")]
    [InlineData("no references", "no references")]
    public void TryExpand_References_AreReplaced(string text, string expected)
    {
        Assert.True(EnvironmentSubstitution.TryExpand(text, name => Environment.GetValueOrDefault(name), out string result, out List<string> problems));
        Assert.Empty(problems);
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("${MISSING}", "uses the environment variable `MISSING`, which is not set")]
    [InlineData("${1X}", "has `${1X}`, which is not a variable name (letters, digits and '_', not starting with a digit)")]
    [InlineData("${}", "has `${}`, which is not a variable name (letters, digits and '_', not starting with a digit)")]
    [InlineData("${OPEN", "has `${` without a closing `}`; write ${NAME}, or $${ for a literal ${")]
    public void TryExpand_BadReference_SaysWhy(string text, string problem)
    {
        Assert.False(EnvironmentSubstitution.TryExpand(text, name => Environment.GetValueOrDefault(name), out _, out List<string> problems));
        Assert.Equal([problem], problems);
    }

    [Fact]
    public void LoadText_ReferencesInStrings_AreReplacedBeforeParsing()
    {
        ProxyConfig config = AssertLoads(Load("""
            [admin]
            token = "${ADMIN_TOKEN}"

            [[listeners]]
            name = "web"
            listen = "127.0.0.1:${PORT}"
            """, Environment));

        Assert.Equal("s3cret", config.Admin.Token);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8443), Assert.Single(config.Listeners).Listen);
    }

    [Fact]
    public void LoadText_UnsetVariable_ReportsItAtTheValue()
    {
        AssertSingleError(LoadWithListener("""
            [admin]
            token = "${ADMIN_TOKN}"
            """, Environment), 2, 9, "`token` uses the environment variable `ADMIN_TOKN`, which is not set");
    }

    [Fact]
    public void LoadText_TwoUnsetVariablesInOneValue_ReportsBoth()
    {
        ConfigLoadResult result = Load("""
            [[listeners]]
            name = "web"
            listen = "${HOST}:${LISTEN_PORT}"
            """, Environment);

        Assert.Equal(
            [
                "test.toml:3:10: `listen` uses the environment variable `HOST`, which is not set",
                "test.toml:3:10: `listen` uses the environment variable `LISTEN_PORT`, which is not set",
            ],
            result.Errors.Select(error => error.ToString()));
    }

    [Fact]
    public void LoadText_ReferenceInAList_IsReplacedToo()
    {
        ProxyConfig config = AssertLoads(LoadWithListener("""
            [[routes]]
            name = "r"
            hosts = ["${SITE}"]
            cluster = "c"

            [[clusters]]
            name = "c"
            destinations = [{ address = "${UPSTREAM}" }]
            """, new Dictionary<string, string> { ["SITE"] = "Example.com", ["UPSTREAM"] = "10.1.2.3:81" }));

        Assert.Equal(["example.com"], Assert.Single(config.Routes).Hosts);
        Assert.Equal("10.1.2.3:81", Assert.Single(Assert.Single(config.Clusters).Destinations).Address);
    }

    [Fact]
    public void LoadText_WithoutAnEnvironmentGiven_ReadsTheProcessEnvironment()
    {
        string name = $"PROXY_CONFIG_TEST_{Guid.NewGuid():N}";
        System.Environment.SetEnvironmentVariable(name, "from-process");
        try
        {
            ConfigLoadResult result = ConfigLoader.LoadText($"[admin]\ntoken = \"${{{name}}}\"\n{Listener}", "env.toml");

            Assert.Equal("from-process", result.Config?.Admin.Token);
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(name, null);
        }
    }
}
