namespace Proxy.Engine.Tests.Config;

/// <summary>Copies of /work/shared/config-reference.toml, the public contract of the config's shape.</summary>
internal static class ReferenceConfig
{
    /// <summary>The reference as published, keys this version does not implement included.</summary>
    public const string Full = """
        # The shape of the proxy's configuration, as operators will write it.
        # This is the public contract: keep every key here working with the meaning given; add keys where a
        # feature needs them, in the same style (snake_case, durations as "250ms"/"5s"/"2m", sizes as
        # "16KiB"/"10MiB"). The shipped configs/ and the README document the full set.

        [server]
        workers = 0                       # listener sockets per port (SO_REUSEPORT); 0 = one per core
        shutdown_timeout = "30s"          # drain time on SIGTERM before in-flight requests are cut

        [admin]
        listen = "127.0.0.1:9901"         # GET /metrics (Prometheus), /admin/* (JSON); loopback by default
        token = ""                        # when set, /admin/* needs "Authorization: Bearer <token>"

        [limits]
        max_request_head = "16KiB"        # request line + headers; over it: 431 (or 414 for the target)
        max_headers = 100
        max_request_body = "10MiB"        # over it: 413
        client_header_timeout = "10s"     # a head not complete by then: 408 and close (slowloris)
        client_idle_timeout = "60s"       # keep-alive connection with no request
        max_connections = 100000          # per process; over it new connections wait in the backlog

        [[listeners]]
        name = "web"
        listen = "127.0.0.1:8080"
        protocols = ["http1", "h2c"]      # http1 | h2c (prior knowledge) ; with tls: ALPN h2, http/1.1
        # tls = { certificates = [ { cert = "site.pem", key = "site.key", hosts = ["example.com", "*.example.com"] } ],
        #         client_ca = "ca.pem" }  # client_ca: require client certificates (mTLS)
        # redirect_https = true           # answer 308 to https on a plain listener

        [[routes]]
        name = "api-v1"
        hosts = ["api.example.com", "*.example.org"]   # exact or leading wildcard; absent = any host
        path_prefix = "/v1/"              # one of: path (exact), path_prefix, path_regex
        methods = ["GET", "POST"]         # absent = any method
        headers = { "x-tenant" = "blue" } # exact value match, names case-insensitive
        query = { "beta" = "1" }
        priority = 10                     # higher wins; ties: the more specific match wins
        cluster = "api"
        # strip_prefix = "/v1"            # path rewrite before forwarding
        # set_headers = { "x-route" = "api-v1" }   remove_headers = ["x-debug"]
        # split = [ { cluster = "api-canary", weight = 5 }, { cluster = "api", weight = 95 } ]
        # mirror = { cluster = "shadow", percent = 10 }

        [[clusters]]
        name = "api"
        balancer = "round_robin"          # round_robin | weighted_round_robin (smooth) | least_conn | random
                                          # | p2c | peak_ewma | consistent_hash | sticky
        # hash_key = "header:x-user"      # consistent_hash / sticky source: header:NAME | cookie:NAME | query:NAME | client_ip | path
        destinations = [
          { address = "127.0.0.1:9001", weight = 3 },
          { address = "127.0.0.1:9002", weight = 1 },
        ]

        [clusters.pool]
        max_idle = 64                     # idle keep-alive connections kept per destination
        max_connections = 1024            # per destination; over it: wait up to connect_timeout, then 503
        idle_timeout = "90s"
        connect_timeout = "2s"

        [clusters.timeouts]
        response_header = "30s"           # upstream did not start answering: 504
        idle = "60s"                      # no bytes either way mid-body

        [clusters.health]
        active = { path = "/healthz", interval = "5s", timeout = "1s", healthy_threshold = 2, unhealthy_threshold = 3, expect_status = "200-399" }
        passive = { consecutive_failures = 5, ejection_time = "30s", max_ejection_percent = 50 }

        [clusters.circuit_breaker]
        failure_ratio = 0.5               # open when this share of the last window failed
        minimum_requests = 20
        window = "10s"
        open_for = "10s"                  # then half-open: a few trial requests decide

        [clusters.retry]
        attempts = 2                      # extra tries, never for a request whose body was already streamed
        backoff = "25ms"                  # exponential with jitter
        budget_percent = 20               # retries may add at most this share of load
        on = ["connect_failure", "reset", "502", "503", "504"]
        """;

    /// <summary><see cref="Full"/>: this version implements every key in it (TLS, absent from it, is refused).</summary>
    public static string SupportedOnly => Full;
}
