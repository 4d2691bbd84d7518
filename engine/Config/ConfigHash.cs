using System.Security.Cryptography;
using System.Text;

namespace Proxy.Engine.Config;

/// <summary>A fingerprint of a configuration's files (names and contents, in load order), shown in /admin/config.</summary>
internal static class ConfigHash
{
    public static string Of(IEnumerable<(string Path, string Text)> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, text) in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(path));
            hash.AppendData([0]);
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
