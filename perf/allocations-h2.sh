#!/usr/bin/env bash
# Where the proxy's allocations come from on the h2c path: per request or per connection. Two h2load runs of
# different lengths (SHORT and LONG requests) over the same number of new connections (CLIENTS x STREAMS): the slope
# between them is the bytes per request, the rest of the short run the bytes per connection. The h2c counterpart
# of perf/allocations.sh, with the same origin and shape (one worker, pinned, everything ours and stopped by PID).
#
#   perf/allocations-h2.sh
#
# Environment: CLIENTS (16) STREAMS (10) SHORT (20000 requests) LONG (100000 requests) WARMUP (8, seconds)
#   LOAD_CPU (0) PROXY_CPU (1) PROXY_BIN (another build to measure; artifacts/proxy/proxy, built by scripts/proxy, by default)
# Bytes come from /admin/stats (GC.GetTotalAllocatedBytes, precise), so they include the stats calls themselves
# (about 1-2 KB each) and the idle background (timers, a few KB/s).
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENTS="${CLIENTS:-16}"; STREAMS="${STREAMS:-10}"; SHORT="${SHORT:-20000}"; LONG="${LONG:-100000}"; WARMUP="${WARMUP:-8}"
LOAD_CPU="${LOAD_CPU:-0}"; PROXY_CPU="${PROXY_CPU:-1}"

source perf/load/single-proxy.sh
PROXY_BIN="${PROXY_BIN:-artifacts/proxy/proxy}"
PORT=$(free_port); ADMIN=$(free_port)

printf '[server]\nworkers = 1\n[admin]\nlisten = "127.0.0.1:%s"\n[[listeners]]\nname = "bench"\nlisten = "127.0.0.1:%s"\nprotocols = ["h2c"]\n[[routes]]\nname = "all"\npath_prefix = "/"\ncluster = "origin"\n[[clusters]]\nname = "origin"\ndestinations = [ { address = "127.0.0.1:%s" } ]\n[clusters.pool]\nmax_idle = %s\n' \
  "$ADMIN" "$PORT" "$ORIGIN_PORT" "$((CLIENTS * STREAMS))" >"$WORK/proxy.toml"
taskset -c "$PROXY_CPU" "$PROXY_BIN" run --config "$WORK/proxy.toml" >"$WORK/proxy.log" 2>&1 & PIDS+=($!)
for _ in $(seq 100); do curl -sf --http2-prior-knowledge "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.1; done

# "bytes requests connections" allocated, served and accepted so far.
totals() {
  curl -s "http://127.0.0.1:$ADMIN/admin/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin)
print(d["allocations"]["bytes_total"], d["requests"]["total"], d["connections"]["accepted"])'
}

# measure N: one h2load run of N requests, printing what it cost in bytes, requests and connections.
measure() {
  local b0 r0 c0 b1 r1 c1
  read -r b0 r0 c0 < <(totals)
  timeout 300 taskset -c "$LOAD_CPU" h2load -t1 -c"$CLIENTS" -m"$STREAMS" -n"$1" "http://127.0.0.1:$PORT/" >"$WORK/h2load.out"
  grep -q "succeeded, 0 failed, 0 errored" "$WORK/h2load.out" || { echo "h2load saw failures:" >&2; grep requests: "$WORK/h2load.out" >&2; exit 1; }
  read -r b1 r1 c1 < <(totals)
  echo "$((b1 - b0)) $((r1 - r0)) $((c1 - c0))"
}

timeout 120 taskset -c "$LOAD_CPU" h2load -t1 -c"$CLIENTS" -m"$STREAMS" -D"$WARMUP" "http://127.0.0.1:$PORT/" >/dev/null   # warm-up (JIT tiers)
read -r short_bytes short_requests short_connections < <(measure "$SHORT")
read -r long_bytes long_requests long_connections < <(measure "$LONG")

echo "run | bytes | requests | connections"
echo "h2c, $CLIENTS clients x $STREAMS streams, $SHORT requests | $short_bytes | $short_requests | $short_connections"
echo "h2c, $CLIENTS clients x $STREAMS streams, $LONG requests | $long_bytes | $long_requests | $long_connections"
awk -v sb="$short_bytes" -v sr="$short_requests" -v lb="$long_bytes" -v lr="$long_requests" -v sc="$short_connections" 'BEGIN {
  slope = (lb - sb) / (lr - sr)
  printf "bytes per request, the slope between the two runs: %.1f\n", slope
  printf "bytes per connection, what the short run leaves: %.0f\n", (sb - slope * sr) / sc
  printf "bytes per request as compare.sh counts them (short run, connection setup included): %.1f\n", sb / sr
}'
