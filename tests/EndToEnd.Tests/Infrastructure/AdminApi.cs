using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Proxy.EndToEnd.Tests.Infrastructure;

/// <summary>An HttpClient on a proxy's admin listener, with the JSON reads the admin tests repeat.</summary>
public sealed class AdminApi : IDisposable
{
    private readonly HttpClient _client;

    public AdminApi(InProcessProxy proxy, string? token = null)
    {
        _client = new HttpClient { BaseAddress = proxy.AdminUri, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public HttpClient Client => _client;

    /// <summary>GET <paramref name="path"/>, which must answer 200 with JSON.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using HttpResponseMessage response = await _client.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>POST .../drain or .../undrain: the status and the JSON answer.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> SetDrainedAsync(string cluster, string address, bool drained)
    {
        string path = $"/admin/clusters/{Uri.EscapeDataString(cluster)}/destinations/{Uri.EscapeDataString(address)}/{(drained ? "drain" : "undrain")}";
        using HttpResponseMessage response = await _client.PostAsync(path, null);
        string body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.Clone());
    }

    /// <summary>POST .../drain or .../undrain, which must answer 200.</summary>
    public async Task<JsonElement> DrainAsync(string cluster, string address, bool drained = true)
    {
        var (status, body) = await SetDrainedAsync(cluster, address, drained);
        Assert.True(status == HttpStatusCode.OK, $"{(drained ? "drain" : "undrain")} {cluster}/{address}: {(int)status} {body}");
        return body;
    }

    /// <summary>The cluster <paramref name="name"/> in GET /admin/clusters.</summary>
    public async Task<JsonElement> ClusterAsync(string name)
    {
        JsonElement document = await GetJsonAsync("/admin/clusters");
        return document.GetProperty("clusters").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
    }

    /// <summary>The destination <paramref name="address"/> of the cluster <paramref name="cluster"/> in GET /admin/clusters.</summary>
    public async Task<JsonElement> DestinationAsync(string cluster, string address)
    {
        JsonElement found = await ClusterAsync(cluster);
        return found.GetProperty("destinations").EnumerateArray().Single(d => d.GetProperty("address").GetString() == address);
    }

    /// <summary>Polls GET /admin/clusters until <paramref name="condition"/> holds for the cluster; fails after 10 s.</summary>
    public async Task<JsonElement> WaitForClusterAsync(string name, Func<JsonElement, bool> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            JsonElement cluster = await ClusterAsync(name);
            if (condition(cluster)) return cluster;
            Assert.True(DateTime.UtcNow < deadline, $"cluster {name} never reached the state; last seen: {cluster}");
            await Task.Delay(20);
        }
    }

    public void Dispose() => _client.Dispose();
}
