using System.Text.Json;
using Proxy.Engine.Reload;

namespace Proxy.Engine.Admin;

/// <summary>GET /admin/config and the answer of POST /admin/reload: the running configuration and the last attempt.</summary>
internal static class ConfigDocument
{
    public static byte[] Render(ConfigStatus status, ReloadOutcome? justNow = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            if (justNow is not null)
            {
                json.WritePropertyName("reload");
                WriteOutcome(json, justNow);
            }
            json.WriteStartObject("running");
            json.WriteNumber("version", status.Version);
            json.WriteString("hash", status.Hash);
            json.WriteString("loaded_at", status.LoadedAt);
            json.WriteString("source", status.SourcePath);
            json.WriteStartArray("files");
            foreach (string file in status.Files) json.WriteStringValue(file);
            json.WriteEndArray();
            json.WriteBoolean("reloadable", status.Reloadable);
            json.WriteEndObject();
            json.WriteNumber("reloads_succeeded", status.Succeeded);
            json.WriteNumber("reloads_failed", status.Failed);
            json.WritePropertyName("last_reload");
            if (status.LastReload is null) json.WriteNullValue();
            else WriteOutcome(json, status.LastReload);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteOutcome(Utf8JsonWriter json, ReloadOutcome outcome)
    {
        json.WriteStartObject();
        json.WriteString("at", outcome.At);
        json.WriteString("trigger", outcome.Trigger switch
        {
            ReloadTrigger.FileChange => "file_change",
            ReloadTrigger.Signal => "signal",
            _ => "admin",
        });
        json.WriteString("result", outcome.Applied ? "applied" : outcome.Unchanged ? "unchanged" : "refused");
        json.WriteNumber("version", outcome.Version);
        json.WriteStartArray("errors");
        foreach (string error in outcome.Errors) json.WriteStringValue(error);
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
