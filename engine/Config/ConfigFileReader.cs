using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Proxy.Engine.Config;

/// <summary>Reads a config file's text, turning every way that can fail into a plain sentence.</summary>
internal static class ConfigFileReader
{
    // TOML is UTF-8 by definition (TOML 1.0, "Spec"); throwing on invalid bytes beats silently reading U+FFFD into a token.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool TryRead(string path, [NotNullWhen(true)] out string? text, out string problem)
    {
        text = null;
        problem = "";
        try
        {
            if (Directory.Exists(path))
            {
                problem = "cannot read the configuration: this is a directory, not a file";
                return false;
            }
            text = File.ReadAllText(path, StrictUtf8);
            return true;
        }
        catch (FileNotFoundException)
        {
            problem = "cannot read the configuration: the file does not exist";
        }
        catch (DirectoryNotFoundException)
        {
            problem = "cannot read the configuration: its directory does not exist";
        }
        catch (UnauthorizedAccessException)
        {
            problem = "cannot read the configuration: permission denied";
        }
        catch (DecoderFallbackException)
        {
            problem = "cannot read the configuration: the file is not valid UTF-8, which TOML requires";
        }
        catch (IOException exception)
        {
            problem = $"cannot read the configuration: {exception.Message}";
        }
        catch (ArgumentException)
        {
            problem = "cannot read the configuration: the path is empty or not a valid path";
        }
        return false;
    }
}
