#!/usr/bin/env bash
# Where the proxy's allocations come from: per request or per connection. compare.sh reports bytes allocated
# per request as total bytes ÷ requests over a run, which also carries the setup of the load generator's
# connections (wrk opens new ones every run). This script separates the two: runs of different lengths over
# the same number of keep-alive connections (the slope is the bytes per request), and a run where every
# request comes on a new connection (Connection: close; bytes per connection).
#
#   perf/allocations.sh
#
# Environment: CONNECTIONS (64) SHORT (3s) LONG (20s) LOAD_CPU (0) PROXY_CPU (1)
# Like compare.sh: loopback only, an nginx origin with a fixed 1 KiB body, one proxy worker, every process
# ours and stopped by PID, bounded in time. Bytes come from /admin/stats (GC.GetTotalAllocatedBytes, precise),
# so they include the stats calls themselves (about 1-2 KB each) and the idle background (timers, a few KB/s).
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS="${CONNECTIONS:-64}"; SHORT="${SHORT:-3s}"; LONG="${LONG:-20s}"
LOAD_CPU="${LOAD_CPU:-0}"; PROXY_CPU="${PROXY_CPU:-1}"

source perf/load/single-proxy.sh
PORT=$(free_port); ADMIN=$(free_port)

printf '[server]\nworkers = 1\n[admin]\nlisten = "127.0.0.1:%s"\n[[listeners]]\nname = "bench"\nlisten = "127.0.0.1:%s"\n[[routes]]\nname = "all"\ncluster = "origin"\n[[clusters]]\nname = "origin"\ndestinations = [ { address = "127.0.0.1:%s" } ]\n[clusters.pool]\nmax_idle = %s\n' \
  "$ADMIN" "$PORT" "$ORIGIN_PORT" "$CONNECTIONS" >"$WORK/proxy.toml"
taskset -c "$PROXY_CPU" artifacts/proxy/proxy run --config "$WORK/proxy.toml" >"$WORK/proxy.log" 2>&1 & PIDS+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.1; done

# "bytes requests connections" allocated, served and accepted so far.
totals() {
  curl -s "http://127.0.0.1:$ADMIN/admin/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin)
print(d["allocations"]["bytes_total"], d["requests"]["total"], d["connections"]["accepted"])'
}

# measure LABEL WRK-ARGS...: one wrk run, printing what it cost in bytes, requests and connections.
measure() {
  local label=$1 b0 r0 c0 b1 r1 c1; shift
  read -r b0 r0 c0 < <(totals)
  timeout 120 taskset -c "$LOAD_CPU" wrk -t1 "$@" "http://127.0.0.1:$PORT/" >/dev/null
  read -r b1 r1 c1 < <(totals)
  echo "$label $((b1 - b0)) $((r1 - r0)) $((c1 - c0))"
}

timeout 120 taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d10s "http://127.0.0.1:$PORT/" >/dev/null   # warm-up (JIT tiers)
read -r _ short_bytes short_requests short_connections < <(measure short -c"$CONNECTIONS" -d"$SHORT")
read -r _ long_bytes long_requests long_connections < <(measure long -c"$CONNECTIONS" -d"$LONG")
read -r _ close_bytes close_requests close_connections < <(measure close -c16 -d"$SHORT" -H "Connection: close")

echo "run | bytes | requests | connections"
echo "keep-alive, $CONNECTIONS connections, $SHORT | $short_bytes | $short_requests | $short_connections"
echo "keep-alive, $CONNECTIONS connections, $LONG | $long_bytes | $long_requests | $long_connections"
echo "Connection: close, 16 clients, $SHORT | $close_bytes | $close_requests | $close_connections"
awk -v sb="$short_bytes" -v sr="$short_requests" -v lb="$long_bytes" -v lr="$long_requests" \
    -v cb="$close_bytes" -v cc="$close_connections" -v sc="$short_connections" 'BEGIN {
  printf "bytes per request, the slope between the keep-alive runs: %.2f\n", (lb - sb) / (lr - sr)
  printf "bytes per request as compare.sh counts them (short run, connection setup included): %.1f\n", sb / sr
  printf "bytes per new client connection (Connection: close run): %.0f\n", cb / cc
}'
