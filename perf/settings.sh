#!/usr/bin/env bash
# Compares runtime or transport settings of this proxy alone: for each setting, RUNS fresh proxy processes
# (a new process per run, because figures differ between instances), each warmed up and then measured
# with wrk; prints the median CPU microseconds per request and bytes allocated per request.
#
#   perf/settings.sh "default" "pgo-off DOTNET_TieredPGO=0" "zlr PROXY_EXPERIMENT=1"
#
# Each argument is a label followed by environment assignments for the proxy process.
# Environment: RUNS (4) WARMUP (15s) DURATION (8s) CONNECTIONS (64) LOAD_CPU (0) PROXY_CPU (1)
# Like compare.sh: loopback only, an nginx origin with a fixed 1 KiB body on LOAD_CPU, the proxy alone on
# PROXY_CPU, every process ours and stopped by PID, bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-4}"; WARMUP="${WARMUP:-15s}"; DURATION="${DURATION:-8s}"; CONNECTIONS="${CONNECTIONS:-64}"
LOAD_CPU="${LOAD_CPU:-0}"; PROXY_CPU="${PROXY_CPU:-1}"
[ $# -gt 0 ] || set -- "default"

source perf/load/single-proxy.sh

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
window() { curl -s "$1" | python3 -c 'import json,sys; w=json.load(sys.stdin)["allocations"]["since_previous_call"]; print(w["requests"], w["bytes_per_request"])'; }

run_once() {   # run_once ENV...: one fresh proxy, prints "cpu_us alloc_bytes"
  local port admin pid
  port=$(free_port); admin=$(free_port)
  printf '[server]\nworkers = 1\n[admin]\nlisten = "127.0.0.1:%s"\n[[listeners]]\nname = "bench"\nlisten = "127.0.0.1:%s"\n[[routes]]\nname = "all"\ncluster = "origin"\n[[clusters]]\nname = "origin"\ndestinations = [ { address = "127.0.0.1:%s" } ]\n' \
    "$admin" "$port" "$ORIGIN_PORT" >"$WORK/proxy.toml"
  env "$@" taskset -c "$PROXY_CPU" artifacts/proxy/proxy run --config "$WORK/proxy.toml" >"$WORK/proxy.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
  timeout 120 taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" "http://127.0.0.1:$port/" >/dev/null
  window "http://127.0.0.1:$admin/admin/stats" >/dev/null
  local before after requests alloc
  before=$(cpu_ticks "$pid")
  timeout 120 taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"$DURATION" "http://127.0.0.1:$port/" >/dev/null
  after=$(cpu_ticks "$pid")
  read -r requests alloc < <(window "http://127.0.0.1:$admin/admin/stats")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" -v a="$alloc" \
    'BEGIN { printf "%.1f %s\n", t * 1e6 / hz / n, a }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A CPU ALLOC
for run in $(seq "$RUNS"); do          # rounds interleave the settings, so machine noise spreads over all
  for setting in "$@"; do
    read -r label envs <<<"$setting"
    read -r cpu alloc < <(run_once ${envs:-PROXY_SETTING=default})
    echo "[settings] $label run $run: $cpu µs/req, $alloc B/req" >&2
    CPU[$label]+="$cpu "; ALLOC[$label]+="$alloc "
  done
done

echo "setting | CPU µs/req (median) | runs | B/req (median)"
for setting in "$@"; do
  read -r label _ <<<"$setting"
  echo "$label | $(tr ' ' '\n' <<<"${CPU[$label]}" | grep . | median) | ${CPU[$label]% } | $(tr ' ' '\n' <<<"${ALLOC[$label]}" | grep . | median)"
done
