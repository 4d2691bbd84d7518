using Proxy.Engine.Config;

namespace Proxy.Engine.Tests.Config;

/// <summary><c>include</c>: files merged into one configuration, errors naming the file they are in.</summary>
public sealed class ConfigIncludeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("proxy-include-").FullName;

    private const string Main = """
        include = ["conf.d/*.toml"]

        [[listeners]]
        name = "web"
        listen = "127.0.0.1:8080"

        [[clusters]]
        name = "main"
        destinations = [{ address = "10.0.0.1:80" }]
        """;

    [Fact]
    public void LoadFile_Includes_MergesArraysInOrder_MainFirstThenIncludedByName()
    {
        Write("conf.d/b.toml", """
            [[routes]]
            name = "b"
            cluster = "main"
            """);
        Write("conf.d/a.toml", """
            [[routes]]
            name = "a"
            cluster = "api"

            [[clusters]]
            name = "api"
            destinations = [{ address = "10.0.0.2:80" }]

            [clusters.pool]
            max_idle = 7
            """);
        string main = Write("proxy.toml", Main);

        ConfigLoadResult result = ConfigLoader.LoadFile(main);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        ProxyConfig config = result.Config!;
        Assert.Equal(["a", "b"], config.Routes.Select(r => r.Name));
        Assert.Equal(["main", "api"], config.Clusters.Select(c => c.Name));
        Assert.Equal(7, config.Clusters[1].Pool.MaxIdle);
        Assert.Equal([main, Path.Combine(_folder, "conf.d", "a.toml"), Path.Combine(_folder, "conf.d", "b.toml")], config.SourceFiles);
        Assert.Matches("^[0-9a-f]{64}$", config.ContentHash);
    }

    [Fact]
    public void LoadFile_ErrorInIncludedFile_NamesThatFileAndLine()
    {
        Write("conf.d/bad.toml", """
            [[routes]]
            name = "r"
            cluster = "nowhere"
            """);
        string main = Write("proxy.toml", Main);

        ConfigError error = Assert.Single(ConfigLoader.LoadFile(main).Errors);

        Assert.Equal(Path.Combine(_folder, "conf.d", "bad.toml"), error.File);
        Assert.Equal(3, error.Line);
        Assert.Contains("`nowhere`", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_SyntaxErrorInIncludedFile_NamesThatFile()
    {
        Write("conf.d/broken.toml", "[[routes]\nname = \"r\"\n");
        string main = Write("proxy.toml", Main);

        ConfigLoadResult result = ConfigLoader.LoadFile(main);

        Assert.False(result.Succeeded);
        Assert.All(result.Errors, e => Assert.Equal(Path.Combine(_folder, "conf.d", "broken.toml"), e.File));
        Assert.Equal(1, result.Errors[0].Line);
    }

    [Fact]
    public void LoadFile_SameTableInTwoFiles_PointsAtBoth()
    {
        Write("conf.d/limits.toml", "[limits]\nmax_headers = 50\n");
        string main = Write("proxy.toml", Main + "\n\n[limits]\nmax_headers = 60\n");

        ConfigError error = Assert.Single(ConfigLoader.LoadFile(main).Errors);

        Assert.Equal(Path.Combine(_folder, "conf.d", "limits.toml"), error.File);
        Assert.Equal(1, error.Line);
        Assert.Equal($"table [limits] is already written at {main}:11; write each table in one file only", error.Message);
    }

    [Fact]
    public void LoadFile_SubTableContinuingAnotherFilesEntry_IsRefused()
    {
        Write("conf.d/pool.toml", "[clusters.pool]\nmax_idle = 3\n");
        string main = Write("proxy.toml", Main);

        ConfigError error = Assert.Single(ConfigLoader.LoadFile(main).Errors);

        Assert.Equal(Path.Combine(_folder, "conf.d", "pool.toml"), error.File);
        Assert.Contains("would continue the [[clusters]] entry written at", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_DuplicateRouteNameAcrossFiles_NamesTheOtherFile()
    {
        Write("conf.d/r.toml", "[[routes]]\nname = \"all\"\ncluster = \"main\"\n");
        string main = Write("proxy.toml", Main + "\n\n[[routes]]\nname = \"all\"\ncluster = \"main\"\n");

        ConfigError error = Assert.Single(ConfigLoader.LoadFile(main).Errors);

        Assert.Equal(Path.Combine(_folder, "conf.d", "r.toml"), error.File);
        Assert.Contains($"already used by the route at {main}:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_NamedIncludeMissing_IsAnError_ButAnEmptyWildcardIsNot()
    {
        string main = Write("proxy.toml", Main.Replace("[\"conf.d/*.toml\"]", "[\"conf.d/*.toml\", \"tls.toml\"]", StringComparison.Ordinal));

        ConfigError error = Assert.Single(ConfigLoader.LoadFile(main).Errors);

        Assert.Equal(main, error.File);
        Assert.Equal(1, error.Line);
        Assert.StartsWith("`include` = \"tls.toml\": no such file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_IncludeCycle_IsReported_NotFollowed()
    {
        Write("conf.d/loop.toml", "include = [\"../proxy.toml\"]\n");
        string main = Write("proxy.toml", Main);

        ConfigError error = Assert.Single(ConfigLoader.LoadFile(main).Errors);

        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_WildcardInDirectory_IsRefused()
    {
        string main = Write("proxy.toml", Main.Replace("conf.d/*.toml", "*/x.toml", StringComparison.Ordinal));

        ConfigError error = Assert.Single(ConfigLoader.LoadFile(main).Errors);

        Assert.Contains("wildcards are allowed in the file name only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_ContentHash_ChangesWithAnyIncludedFile()
    {
        Write("conf.d/r.toml", "[[routes]]\nname = \"r\"\ncluster = \"main\"\n");
        string main = Write("proxy.toml", Main);
        string before = ConfigLoader.LoadFile(main).Config!.ContentHash;

        Write("conf.d/r.toml", "[[routes]]\nname = \"r2\"\ncluster = \"main\"\n");

        Assert.NotEqual(before, ConfigLoader.LoadFile(main).Config!.ContentHash);
        Assert.Equal(ConfigLoader.LoadFile(main).Config!.ContentHash, ConfigLoader.LoadFile(main).Config!.ContentHash);
    }

    private string Write(string relative, string text)
    {
        string path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
