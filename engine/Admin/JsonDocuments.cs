using System.Text.Json;

namespace Proxy.Engine.Admin;

/// <summary>How the admin API writes a JSON body: indented UTF-8, built in memory.</summary>
internal static class JsonDocuments
{
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(json);
        }
        return buffer.ToArray();
    }
}
