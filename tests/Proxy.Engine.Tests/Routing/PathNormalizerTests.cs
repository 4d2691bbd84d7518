using System.Text;
using Proxy.Engine.Routing;

namespace Proxy.Engine.Tests.Routing;

public sealed class PathNormalizerTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/a/b")]
    [InlineData("/a/b/")]
    [InlineData("/file.txt")]
    [InlineData("/a.b/c..d/...")]
    [InlineData("/.well-known/x")]
    [InlineData("/a%2Fb")]
    [InlineData("/%25")]
    [InlineData("/%00")]
    [InlineData("/%C3%A9")]
    [InlineData("*")]
    [InlineData("")]
    public void Normalize_NormalPath_IsUnchanged(string path)
    {
        Assert.Equal((PathNormalization.Unchanged, path), Normalize(path));
    }

    [Theory]
    [InlineData("/a/./b", "/a/b")]
    [InlineData("/a/../b", "/b")]
    [InlineData("/a/b/../../c", "/c")]
    [InlineData("/a/.", "/a/")]
    [InlineData("/a/..", "/")]
    [InlineData("/a/b/..", "/a/")]
    [InlineData("/./a", "/a")]
    [InlineData("/.", "/")]
    [InlineData("//a//b//", "/a/b/")]
    [InlineData("/a//../b", "/b")]               // slashes merge first, as nginx does: "/a/../b"
    [InlineData("/%41", "/A")]
    [InlineData("/%7e%2D%5F%2e", "/~-_.")]
    [InlineData("/a%2fb", "/a%2Fb")]             // reserved: stays encoded, hex upper-cased
    [InlineData("/a%2Fb/../c", "/c")]            // "a%2Fb" is one segment
    [InlineData("/%2e%2e/x/../y", null)]
    [InlineData("/a/%2e%2E/b", "/b")]            // encoded dots are dots
    [InlineData("/a/.%2e", "/")]
    [InlineData("/%3f%23", "/%3F%23")]
    public void Normalize_PathThatNeedsWork_GivesItsNormalForm(string path, string? expected)
    {
        (PathNormalization result, string normal) = Normalize(path);

        if (expected is null) Assert.Equal(PathNormalization.EscapesRoot, result);
        else Assert.Equal((PathNormalization.Normalized, expected), (result, normal));
    }

    [Theory]
    [InlineData("/..")]
    [InlineData("/../x")]
    [InlineData("/a/../..")]
    [InlineData("/a/../../b")]
    [InlineData("//..")]
    [InlineData("/%2e%2e")]
    [InlineData("/%2E./x")]
    public void Normalize_PathAboveTheRoot_EscapesRoot(string path)
    {
        Assert.Equal(PathNormalization.EscapesRoot, Normalize(path).Result);
    }

    [Theory]
    [InlineData("/%")]
    [InlineData("/%4")]
    [InlineData("/a%zz")]
    [InlineData("/a%4g/b")]
    [InlineData("/%%41")]
    public void Normalize_BadPercentEscape_IsInvalid(string path)
    {
        Assert.Equal(PathNormalization.InvalidPercentEncoding, Normalize(path).Result);
    }

    [Fact]
    public void Normalize_DestinationShorterThanPath_Throws()
    {
        Assert.Throws<ArgumentException>(() => PathNormalizer.Normalize("/a/./b"u8, new byte[3], out _));
    }

    [Fact]
    public void Normalize_OrdinaryPath_AllocatesNothing()
    {
        byte[] path = "/api/v1/users/./42"u8.ToArray();
        byte[] destination = new byte[path.Length];
        PathNormalizer.Normalize(path, destination, out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) PathNormalizer.Normalize(path, destination, out _);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static (PathNormalization Result, string Normal) Normalize(string path)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(path);
        byte[] destination = new byte[bytes.Length];
        PathNormalization result = PathNormalizer.Normalize(bytes, destination, out int written);
        return (result, result == PathNormalization.Normalized ? Encoding.ASCII.GetString(destination, 0, written) : path);
    }

    [Fact]
    public void MayNeedWork_RandomPaths_FalseOnlyWhereNormalizeChangesNothing()
    {
        // The matcher skips the normaliser when MayNeedWork says no: that must never skip a path the normaliser would
        // change or refuse. Paths of every length up to 40, from pieces that make and unmake dot segments, escapes
        // (good, bad, decoded or kept) and repeated slashes.
        string[] pieces = ["/", "/", "/", "a", "b9", ".", "..", "...", ".a", "%2e", "%2E", "%41", "%2F", "%7e", "%", "%z", "%4", "//", "~", "-"];
        var random = new Random(17);
        int skipped = 0, normalised = 0;
        for (int sample = 0; sample < 50_000; sample++)
        {
            var text = new StringBuilder(random.Next(4) == 0 ? "" : "/");
            int length = random.Next(0, 41);
            while (text.Length < length) text.Append(pieces[random.Next(pieces.Length)]);
            byte[] path = Encoding.ASCII.GetBytes(text.ToString());
            byte[] destination = new byte[path.Length];
            PathNormalization result = PathNormalizer.Normalize(path, destination, out _);

            if (!PathNormalizer.MayNeedWork(path))
            {
                Assert.True(result == PathNormalization.Unchanged, $"{text}: {result}, but MayNeedWork said no");
                skipped++;
            }
            if (result != PathNormalization.Unchanged) normalised++;
        }
        Assert.True(skipped > 1_000 && normalised > 10_000, $"skipped {skipped}, normalised {normalised}");
    }

    [Theory]
    [InlineData("/a/./b", "Normalized", "/a/b")]
    [InlineData("/a/.b", "Normalized", "/a/.b")]       // marked, but already normal: its own bytes
    [InlineData("/%2F", "Normalized", "/%2F")]
    [InlineData("/a%zz", "InvalidPercentEncoding", "")]
    [InlineData("/..", "EscapesRoot", "")]
    [InlineData("*", "Unchanged", "")]
    public void NormalizeMarked_AsNormalize_ButAnUnchangedPathComesBackWritten(string path, string outcome, string written)
    {
        var expected = Enum.Parse<PathNormalization>(outcome);
        byte[] bytes = Encoding.ASCII.GetBytes(path);
        byte[] destination = new byte[bytes.Length];
        PathNormalization result = PathNormalizer.NormalizeMarked(bytes, destination, out int length);

        Assert.Equal(expected, result);
        if (result == PathNormalization.Normalized) Assert.Equal(written, Encoding.ASCII.GetString(destination, 0, length));
    }

    [Fact]
    public void MayNeedWork_EveryLengthAndPlace_AgreesWithAPlainScan()
    {
        // The check runs 16 bytes at a time with a padded tail: put each telling pair at every offset of every length.
        var random = new Random(7);
        for (int length = 0; length <= 70; length++)
        {
            for (int sample = 0; sample < 200; sample++)
            {
                byte[] path = new byte[length];
                // Rare telling bytes, so that long paths without any are common too.
                for (int i = 0; i < length; i++) path[i] = random.Next(80) switch { 0 => (byte)'%', < 4 => (byte)'.', < 16 => (byte)'/', _ => (byte)'a' };
                Assert.True(Plain(path) == PathNormalizer.MayNeedWork(path), Encoding.ASCII.GetString(path));
            }
        }

        static bool Plain(byte[] path)
        {
            for (int i = 0; i < path.Length; i++)
            {
                if (path[i] == '%' || (path[i] == '/' && i + 1 < path.Length && path[i + 1] is (byte)'/' or (byte)'.')) return true;
            }
            return false;
        }
    }
}
