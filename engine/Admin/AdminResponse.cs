using System.Text;

namespace Proxy.Engine.Admin;

/// <summary>
/// An admin API answer: status, content type and a body built in full (admin answers are small), and for a 405 the
/// methods the path does take (RFC 9110 §15.5.6: a 405 carries Allow).
/// </summary>
internal sealed record AdminResponse(int Status, string ContentType, byte[] Body, string? Allow = null)
{
    public static AdminResponse Json(byte[] body, int status = 200) => new(status, "application/json", body);

    public static AdminResponse Text(int status, string text) =>
        new(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text));

    /// <summary><c>{"error": "..."}</c> with <paramref name="status"/>: for the JSON endpoints' refusals.</summary>
    public static AdminResponse JsonError(int status, string message) =>
        Json(JsonDocuments.Write(json =>
        {
            json.WriteStartObject();
            json.WriteString("error", message);
            json.WriteEndObject();
        }), status);

    public static AdminResponse MethodNotAllowed(string allow) =>
        Text(405, "405 Method Not Allowed\n") with { Allow = allow };
}
