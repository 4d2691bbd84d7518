using System.Text;

namespace Proxy.Engine.Admin;

/// <summary>An admin API answer: status, content type and a body built in full (admin answers are small).</summary>
internal sealed record AdminResponse(int Status, string ContentType, byte[] Body)
{
    public static AdminResponse Json(byte[] body) => new(200, "application/json", body);

    public static AdminResponse Text(int status, string text) =>
        new(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text));
}
