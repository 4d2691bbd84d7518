namespace Proxy.Engine.Connections;

/// <summary>Where a client connection is in its life; drain and timeouts act on it.</summary>
internal enum ConnectionState
{
    /// <summary>Waiting for the first byte of a request (keep-alive idle, or just accepted).</summary>
    Idle,
    /// <summary>Part of a request head has arrived.</summary>
    ReadingHead,
    /// <summary>A request is being forwarded.</summary>
    Forwarding,
    /// <summary>The last response is out; waiting for the client to close its side.</summary>
    Closing,
}
