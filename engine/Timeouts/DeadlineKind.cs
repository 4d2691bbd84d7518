namespace Proxy.Engine.Timeouts;

/// <summary>What a connection is waiting for when its deadline passes, which decides what the timeout does.</summary>
internal enum DeadlineKind : byte
{
    None,
    /// <summary>A keep-alive client sends no new request (client_idle_timeout): close quietly.</summary>
    ClientIdle,
    /// <summary>A client's request head is not complete (client_header_timeout): 408, then close.</summary>
    ClientHead,
    /// <summary>The upstream has not finished its response head (timeouts.response_header): 504.</summary>
    ResponseHead,
    /// <summary>No bytes either way mid-body (timeouts.idle): both connections are cut.</summary>
    BodyIdle,
    /// <summary>Waiting for a closing client to close its side after our last response: stop waiting.</summary>
    Linger,
}
