#!/usr/bin/env bash
# Side-by-side load comparison: one origin (nginx, fixed 1 KiB body) measured directly, through
# nginx and HAProxy as reverse proxies, and through our proxy; each proxy runs one worker alone on
# its own core. Prints req/s, p50, p99 and the proxy's CPU microseconds per request (from /proc),
# with ratios to nginx and to HAProxy. perf/load/README.md explains the numbers and the caveats.
#
# Usage: perf/compare.sh [--mode h1|h2] [--only direct,nginx,haproxy,proxy] [--runs N] [--markdown]
#          [--headers bare|forwarding]
#   --headers bare (default): nginx and HAProxy pass requests on as configured out of the box, adding nothing;
#     our proxy does what it does by default (X-Forwarded-For/-Proto/-Host, Via both ways, a new x-request-id).
#   --headers forwarding: nginx and HAProxy add those same fields too, as a production configuration would: the
#     same work per request on every side.
# Environment: DURATION (10s) WARMUP (10s) CONNECTIONS (64, h1) H2_CLIENTS (16) H2_STREAMS (10)
#   LOAD_CPU (0) PROXY_CPU (1) PROXY_START_TIMEOUT (300, seconds; covers a first Release build)
#   PROXY_CMD (scripts/proxy; started as "$PROXY_CMD run --config FILE")
#   KEEP_WORK=1 keeps the temp directory (generated configs, logs, raw load-generator output)
# Exit status: 0 when every target that ran was clean (a skipped proxy is fine), 1 when one failed
# its checks or a run saw errors, 2 on a usage or setup error.
#
# Everything it starts lives in a private temp directory, listens on 127.0.0.1 on ports picked at
# run time, runs in the foreground under this script, and is stopped by its own PID on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOAD_DIR="$ROOT/perf/load"
readonly ROOT LOAD_DIR
readonly ALL_TARGETS=(direct nginx haproxy proxy)
readonly PROXY_TARGETS=(nginx haproxy proxy)   # the ones compared with each other
readonly REFERENCES=(nginx haproxy)            # what the ratios are relative to
readonly BODY_SIZE=1024
readonly NOISE_LIMIT=10     # % of a core taken by others or by the hypervisor before a run is called noisy

MODE=h1
HEADERS=bare
ONLY="direct,nginx,haproxy,proxy"
RUNS=1
MARKDOWN=0
DURATION="${DURATION:-10s}"
# 10 s: the .NET proxy's JIT moves hot code through its tiers for several seconds under load (the C proxies
# need no warm-up, but the same one costs them nothing).
WARMUP="${WARMUP:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
H2_CLIENTS="${H2_CLIENTS:-16}"
H2_STREAMS="${H2_STREAMS:-10}"
LOAD_CPU="${LOAD_CPU:-0}"
PROXY_CPU="${PROXY_CPU:-1}"
PROXY_START_TIMEOUT="${PROXY_START_TIMEOUT:-300}"
PROXY_CMD="${PROXY_CMD:-$ROOT/scripts/proxy}"
ARGS_GIVEN=("$@")

WORK=""               # private temp directory, removed on exit
OWNED_PIDS=()         # every long-running process we started (each leads its own process group)
LOAD_PID=""           # the load generator while it runs
STARTED_PID=""        # set by start_owned (a function run in $(...) could not record a PID)
PICKED_PORT=""        # set by pick_port, for the same reason
NOT_READY_WHY=""      # set by wait_ready when it gives up
declare -A USED_PORTS=()
declare -A PID_OF=()      # target -> PID whose process tree is measured
declare -A URL_OF=()      # target -> URL the load generator hits
declare -A STATE_OF=()    # target -> ok | skipped | failed
declare -A NOTE_OF=()     # target -> why it was skipped or failed
declare -A ADMIN_OF=()    # target -> admin URL whose /admin/stats reports bytes allocated per request (ours only)
SELECTED=()
DURATION_S=0
WARMUP_S=0
CLK_TCK=100

log() { printf '[compare] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

usage() {
  sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"
}

# ---------------------------------------------------------------------------------------------
# Arguments and environment

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --mode) MODE="${2:-}"; shift 2 ;;
      --mode=*) MODE="${1#*=}"; shift ;;
      --only) ONLY="${2:-}"; shift 2 ;;
      --only=*) ONLY="${1#*=}"; shift ;;
      --runs) RUNS="${2:-}"; shift 2 ;;
      --runs=*) RUNS="${1#*=}"; shift ;;
      --markdown) MARKDOWN=1; shift ;;
      --headers) HEADERS="${2:-}"; shift 2 ;;
      --headers=*) HEADERS="${1#*=}"; shift ;;
      -h|--help) usage; exit 0 ;;
      *) usage >&2; die "unknown argument: $1" ;;
    esac
  done
  case "$MODE" in h1|h2) ;; *) die "--mode must be h1 or h2, not '$MODE'" ;; esac
  case "$HEADERS" in bare|forwarding) ;; *) die "--headers must be bare or forwarding, not '$HEADERS'" ;; esac
  [[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, not '$RUNS'"

  local name known
  IFS=, read -r -a SELECTED <<<"$ONLY"
  [ ${#SELECTED[@]} -gt 0 ] || die "--only selects nothing"
  for name in "${SELECTED[@]}"; do
    known=0
    for t in "${ALL_TARGETS[@]}"; do [ "$t" = "$name" ] && known=1; done
    [ "$known" -eq 1 ] || die "--only: unknown target '$name' (known: ${ALL_TARGETS[*]})"
  done

  DURATION_S=$(to_seconds "$DURATION") || die "DURATION must look like 10, 10s or 1m, not '$DURATION'"
  WARMUP_S=$(to_seconds "$WARMUP") || die "WARMUP must look like 3, 3s or 1m, not '$WARMUP'"
  [ "$DURATION_S" -gt 0 ] || die "DURATION must be at least 1s"
}

to_seconds() {
  case "$1" in
    *[!0-9sm]*|'') return 1 ;;
    *m) [[ "${1%m}" =~ ^[0-9]+$ ]] || return 1; echo $(( ${1%m} * 60 )) ;;
    *s) [[ "${1%s}" =~ ^[0-9]+$ ]] || return 1; echo $(( ${1%s} )) ;;
    *) [[ "$1" =~ ^[0-9]+$ ]] || return 1; echo $(( $1 )) ;;
  esac
}

is_selected() {
  local name
  for name in "${SELECTED[@]}"; do [ "$name" = "$1" ] && return 0; done
  return 1
}

check_machine() {
  # Installs only what is missing; the comparison is useless without every tool.
  "$ROOT/scripts/install-tools.sh" perf >&2 || log "warning: could not install every perf tool"
  local tool
  local tools=(curl nginx taskset setsid pgrep ss timeout cmp)
  [ "$MODE" = h1 ] && tools+=(wrk) || tools+=(h2load)
  is_selected haproxy && tools+=(haproxy)
  for tool in "${tools[@]}"; do
    command -v "$tool" >/dev/null || die "$tool is missing (scripts/install-tools.sh perf installs it)"
  done

  local cpus
  cpus=$(getconf _NPROCESSORS_ONLN)
  [ "$LOAD_CPU" != "$PROXY_CPU" ] || die "LOAD_CPU and PROXY_CPU must differ: the proxy gets a core of its own"
  if [ "$LOAD_CPU" -ge "$cpus" ] || [ "$PROXY_CPU" -ge "$cpus" ]; then
    die "this machine has $cpus CPU(s); LOAD_CPU=$LOAD_CPU and PROXY_CPU=$PROXY_CPU must both exist"
  fi
  CLK_TCK=$(getconf CLK_TCK)
}

# ---------------------------------------------------------------------------------------------
# Processes we own: started in their own process group (setsid) so that stopping one also stops
# its children (nginx workers, a wrapper's child), and nothing else on the machine is touched.

start_owned() {   # start_owned CPU LOGFILE COMMAND...
  local cpu=$1 logfile=$2
  shift 2
  # Not a group leader (no job control in scripts), so setsid execs in place: $! is the server.
  setsid taskset -c "$cpu" "$@" >"$logfile" 2>&1 </dev/null &
  STARTED_PID=$!
  OWNED_PIDS+=("$STARTED_PID")
}

stop_owned() {    # stop_owned PID: TERM its process group, KILL whatever is left after 5 s
  local pid=$1 _
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do
    kill -0 -- "-$pid" 2>/dev/null || kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$? pid
  trap - EXIT INT TERM
  if [ -n "$LOAD_PID" ]; then kill -TERM "$LOAD_PID" 2>/dev/null || true; fi
  for pid in "${OWNED_PIDS[@]}"; do stop_owned "$pid"; done
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    if [ -n "${KEEP_WORK:-}" ]; then log "kept $WORK (configs, logs, per-run results)"; else rm -rf "$WORK"; fi
  fi
  exit "$status"
}

# ---------------------------------------------------------------------------------------------
# Ports and configs

pick_port() {
  # Below the ephemeral range, so the load generator's own client sockets never take it.
  local ephemeral_low lo=10000 hi port attempt
  read -r ephemeral_low _ </proc/sys/net/ipv4/ip_local_port_range
  hi=$((ephemeral_low - 1))
  [ "$hi" -gt "$lo" ] || { lo=1025; hi=$((ephemeral_low - 1)); }
  for attempt in $(seq 200); do
    port=$(( lo + (RANDOM * 32768 + RANDOM) % (hi - lo + 1) ))
    [ -z "${USED_PORTS[$port]:-}" ] || continue
    # Any socket on it (listening, or TIME_WAIT from someone else's test) rules it out.
    [ -z "$(ss -Htan "sport = :$port")" ] || continue
    USED_PORTS[$port]=1
    PICKED_PORT=$port
    return 0
  done
  die "no free port found after $attempt attempts"
}

render() {        # render TEMPLATE OUT KEY=VALUE...: fill @KEY@ placeholders
  local template=$1 out=$2 kv
  shift 2
  local edits=()
  for kv in "$@"; do edits+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
  sed "${edits[@]}" "$template" >"$out"
  if grep -n '@[A-Z0-9_]*@' "$out" >&2; then
    die "unfilled placeholder in $out (from $template)"
  fi
}

make_body() {
  # 1 KiB of letters and digits: safe inside nginx's quoted `return` string, easy to compare.
  local alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-."
  local body=""
  while [ ${#body} -lt "$BODY_SIZE" ]; do body+="$alphabet"; done
  printf '%s' "$body" >"$WORK/body.expected"
  [ "$(wc -c <"$WORK/body.expected")" -eq "$BODY_SIZE" ] || die "body is not $BODY_SIZE bytes"
}

# ---------------------------------------------------------------------------------------------
# Readiness and checks

curl_mode_args() {
  if [ "$MODE" = h2 ]; then echo --http2-prior-knowledge; else echo --http1.1; fi
}

http_get() {      # http_get URL BODYFILE: prints the status code ("000" when nothing answered)
  local mode_arg
  mode_arg=$(curl_mode_args)
  curl -s "$mode_arg" --max-time 2 -o "$2" -w '%{http_code}' "$1" 2>/dev/null || true
}

wait_ready() {    # wait_ready NAME URL PID TIMEOUT_SECONDS: until URL answers 200, bounded
  local name=$1 url=$2 pid=$3 deadline=$((SECONDS + $4)) code=000 status=0
  NOT_READY_WHY=""
  while [ "$SECONDS" -lt "$deadline" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" || status=$?
      NOT_READY_WHY="exited with status $status before answering"
      log "$name $NOT_READY_WHY"
      return 1
    fi
    code=$(http_get "$url" /dev/null)
    [ "$code" = 200 ] && return 0
    sleep 0.2
  done
  NOT_READY_WHY="did not answer 200 on $url within $4 s (last status: $code)"
  log "$name $NOT_READY_WHY"
  return 1
}

verify_body() {   # verify_body NAME URL: the exact 1 KiB body with status 200, or a loud failure
  local name=$1 url=$2 got="$WORK/$1.body" code
  code=$(http_get "$url" "$got")
  if [ "$code" = 200 ] && cmp -s "$got" "$WORK/body.expected"; then return 0; fi
  log "$name: FAILED body check on $url: status $code, $(wc -c <"$got" 2>/dev/null || echo 0) bytes (want 200 and the $BODY_SIZE-byte body)"
  return 1
}

show_log_tail() { # show_log_tail NAME FILE: why something did not start
  [ -s "$2" ] || return 0
  log "$1: last lines of $2:"
  tail -n 15 "$2" | sed 's/^/    /' >&2
}

# ---------------------------------------------------------------------------------------------
# Starting each target

start_origin() {
  mkdir -p "$WORK/origin-tmp"
  pick_port; local port=$PICKED_PORT
  pick_port; local h2_port=$PICKED_PORT
  render "$LOAD_DIR/origin.nginx.conf" "$WORK/origin.nginx.conf" \
    WORK="$WORK" ORIGIN_PORT="$port" ORIGIN_H2_PORT="$h2_port" BODY="$(cat "$WORK/body.expected")"
  # -e: nginx opens its error log before reading the config; keep even that one ours.
  start_owned "$LOAD_CPU" "$WORK/origin.log" \
    nginx -p "$WORK" -c "$WORK/origin.nginx.conf" -e "$WORK/origin.error.log" -g 'daemon off;'
  ORIGIN_PORT=$port
  local url="http://127.0.0.1:$port/"
  [ "$MODE" = h2 ] && url="http://127.0.0.1:$h2_port/"
  if ! wait_ready origin "$url" "$STARTED_PID" 10 || ! verify_body origin "$url"; then
    show_log_tail origin "$WORK/origin.log"; show_log_tail origin "$WORK/origin.error.log"
    die "the origin did not start; nothing can be measured"
  fi
  PID_OF[direct]=$STARTED_PID
  URL_OF[direct]=$url
  STATE_OF[direct]=ok
}

upstream_idle() {
  # Idle upstream connections a proxy keeps: 64, or the number of requests in flight if higher
  # (h2: clients x streams). Fewer would make nginx and ours close and reopen upstream
  # connections on every burst, while HAProxy's http-reuse keeps them all: not a fair contest.
  local in_flight=$CONNECTIONS
  [ "$MODE" = h1 ] || in_flight=$((H2_CLIENTS * H2_STREAMS))
  echo $(( in_flight > 64 ? in_flight : 64 ))
}

# With --headers forwarding, what nginx and HAProxy add to match our proxy's defaults: X-Forwarded-For appended to,
# X-Forwarded-Proto and -Host set, Via on the request and on the response, and a new random request id sent
# upstream and back to the client. One line each, as sed puts them in place of @FORWARDING_HEADERS@.
forwarding_headers() {      # forwarding_headers nginx|haproxy
  [ "$HEADERS" = forwarding ] || return 0
  case "$1" in
    nginx) printf '%s' 'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto $scheme; proxy_set_header X-Forwarded-Host $host; proxy_set_header Via "1.1 nginx"; proxy_set_header X-Request-ID $request_id; add_header Via "1.1 nginx"; add_header X-Request-ID $request_id;' ;;
    haproxy) printf '%s' 'option forwardfor\n    http-request set-header X-Forwarded-Proto http\n    http-request set-header X-Forwarded-Host %[req.hdr(host)]\n    http-request add-header Via "1.1 haproxy"\n    unique-id-format %[uuid()]\n    unique-id-header X-Request-ID\n    http-response add-header Via "1.1 haproxy"\n    http-response set-header X-Request-ID %[unique-id]' ;;
  esac
}

start_nginx_proxy() {
  mkdir -p "$WORK/nginx-tmp"
  pick_port; local port=$PICKED_PORT opts=""
  [ "$MODE" = h2 ] && opts=" http2"
  render "$LOAD_DIR/proxy.nginx.conf" "$WORK/proxy.nginx.conf" \
    WORK="$WORK" PORT="$port" ORIGIN_PORT="$ORIGIN_PORT" LISTEN_OPTS="$opts" UPSTREAM_IDLE="$(upstream_idle)" \
    FORWARDING_HEADERS="$(forwarding_headers nginx)"
  start_owned "$PROXY_CPU" "$WORK/nginx.log" \
    nginx -p "$WORK" -c "$WORK/proxy.nginx.conf" -e "$WORK/nginx.error.log" -g 'daemon off;'
  register_target nginx "$port" "$STARTED_PID" 10 "$WORK/nginx.error.log"
}

start_haproxy() {
  pick_port; local port=$PICKED_PORT opts=""
  [ "$MODE" = h2 ] && opts=" proto h2"
  render "$LOAD_DIR/haproxy.cfg" "$WORK/haproxy.cfg" PORT="$port" ORIGIN_PORT="$ORIGIN_PORT" BIND_OPTS="$opts" \
    FORWARDING_HEADERS="$(forwarding_headers haproxy)"
  # -db: stay in the foreground, one process, no master; we own its lifetime.
  start_owned "$PROXY_CPU" "$WORK/haproxy.log" haproxy -db -f "$WORK/haproxy.cfg"
  register_target haproxy "$port" "$STARTED_PID" 10 "$WORK/haproxy.log"
}

start_our_proxy() {
  if [ ! -x "$PROXY_CMD" ]; then
    skip_target proxy "$PROXY_CMD not found or not executable (it builds Release and runs the proxy)"
    return 0
  fi
  pick_port; local port=$PICKED_PORT
  pick_port; local admin_port=$PICKED_PORT protocols=http1
  [ "$MODE" = h2 ] && protocols=h2c
  render "$LOAD_DIR/proxy.toml" "$WORK/proxy.toml" PORT="$port" ADMIN_PORT="$admin_port" \
    ORIGIN_PORT="$ORIGIN_PORT" PROTOCOLS="$protocols" UPSTREAM_IDLE="$(upstream_idle)"
  # A first run may build: keep MSBuild from leaving shared build servers behind in our process
  # group (stopping them at exit could break someone else's build that reused them).
  start_owned "$PROXY_CPU" "$WORK/proxy.log" \
    env MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER=1 \
    "$PROXY_CMD" run --config "$WORK/proxy.toml"
  local pid=$STARTED_PID
  if ! wait_ready proxy "http://127.0.0.1:$port/" "$pid" "$PROXY_START_TIMEOUT"; then
    show_log_tail proxy "$WORK/proxy.log"
    stop_owned "$pid"
    skip_target proxy "$PROXY_CMD run --config FILE $NOT_READY_WHY (log above; KEEP_WORK=1 keeps it)"
    return 0
  fi
  register_target proxy "$port" "$pid" 1 "$WORK/proxy.log"
  ADMIN_OF[proxy]="http://127.0.0.1:$admin_port/admin/stats"
}

allocation_window() { # allocation_window ADMIN_URL: bytes allocated per request since the previous call
  curl -s --max-time 5 "$1" | sed -nE '/"since_previous_call"/,/}/ s/.*"bytes_per_request": *([0-9.]+).*/\1/p' | head -1
}

register_target() {   # register_target NAME PORT PID READY_TIMEOUT LOG
  local name=$1 url="http://127.0.0.1:$2/" pid=$3
  if ! wait_ready "$name" "$url" "$pid" "$4"; then
    show_log_tail "$name" "$5"
    fail_target "$name" "$NOT_READY_WHY"
  elif ! verify_body "$name" "$url"; then
    fail_target "$name" "wrong answer: not status 200 with the $BODY_SIZE-byte body"
  else
    PID_OF[$name]=$pid; URL_OF[$name]=$url; STATE_OF[$name]=ok
  fi
}

skip_target() { STATE_OF[$1]=skipped; NOTE_OF[$1]=$2; log "$1: skipped: $2"; }
fail_target() { STATE_OF[$1]=failed; NOTE_OF[$1]=$2; log "$1: FAILED: $2"; }

# ---------------------------------------------------------------------------------------------
# Measuring: CPU from /proc around one bounded load run

cpu_ticks() {     # utime + stime (fields 14, 15) of one process, all its threads included
  local stat rest fields
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  rest=${stat##*) }              # the command name may contain spaces and parentheses
  read -r -a fields <<<"$rest"   # fields[0] is field 3 (state)
  echo $(( fields[11] + fields[12] ))
}

tree_pids() {     # the process and all its descendants (nginx: master + workers)
  local child
  echo "$1"
  for child in $(pgrep -P "$1" || true); do tree_pids "$child"; done
}

cpu_snapshot() {  # "PID TICKS" per process of the tree
  local pid
  for pid in $(tree_pids "$1"); do echo "$pid $(cpu_ticks "$pid")"; done
}

cpu_delta_ticks() {   # cpu_delta_ticks BEFORE AFTER: ticks spent between two snapshots
  awk 'NR == FNR { before[$1] = $2; next } { total += $2 - (($1 in before) ? before[$1] : 0) }
       END { print total + 0 }' "$1" "$2"
}

run_bounded() {   # run_bounded OUT SECONDS COMMAND...: the load generator on LOAD_CPU, killed if late
  local out=$1 seconds=$2 rc=0
  shift 2
  timeout -k 5 $((seconds + 30)) taskset -c "$LOAD_CPU" "$@" >"$out" 2>&1 </dev/null &
  LOAD_PID=$!
  wait "$LOAD_PID" || rc=$?
  LOAD_PID=""
  return "$rc"
}

# The load functions run in this shell, never inside $(...): a signal must reach our traps (and
# so the cleanup) at once, not when a command substitution ends. Each writes its RESULT line to
# OUT.summary.

load_h1() {       # load_h1 URL SECONDS OUT: the RESULT line of perf/load/report.lua
  run_bounded "$3" "$2" wrk -t1 -c"$CONNECTIONS" -d"$2s" --latency -s "$LOAD_DIR/report.lua" "$1" ||
    { log "wrk failed: $(tail -n 3 "$3" | tr '\n' ' ')"; return 1; }
  grep -m1 '^RESULT ' "$3" >"$3.summary" || { log "wrk printed no RESULT line (see $3)"; return 1; }
}

load_h2() {       # load_h2 URL SECONDS OUT: h2load has no scripting; its log file gives latencies
  local requests_log="$3.requests"
  run_bounded "$3" "$2" h2load -t1 -c"$H2_CLIENTS" -m"$H2_STREAMS" -D"$2" --log-file="$requests_log" "$1" ||
    { log "h2load failed: $(tail -n 3 "$3" | tr '\n' ' ')"; return 1; }
  # "requests: 10 total, 10 started, 10 done, 10 succeeded, 0 failed, 0 errored, 0 timeout"
  # "status codes: 10 2xx, 0 3xx, 0 4xx, 0 5xx"; "finished in 5.00s, 1234.50 req/s, ..."
  local counts
  counts=$(sort -t$'\t' -k3,3n "$requests_log" | awk -F'\t' '
    { lat[NR] = $3 }
    END { if (NR == 0) { print "0 0"; exit }
          p50 = lat[int((NR - 1) * 0.50) + 1]; p99 = lat[int((NR - 1) * 0.99) + 1]; print p50, p99 }')
  awk -v lat="$counts" -v seconds="$2" '
    /^finished in/ { rps = $4 }
    /^requests:/ { done = $6; failed = $10; errored = $12; timeouts = $14 }
    /^status codes:/ { status = $5 + $7 + $9 }
    END { split(lat, l, " ")
          if (done == "") exit 1
          printf "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d " \
                 "failed_errors=%d errored_errors=%d status_errors=%d timeouts=%d\n",
                 done, seconds * 1000000, rps, l[1], l[2], failed, errored, status, timeouts }' "$3" >"$3.summary" ||
    { log "could not read h2load's summary (see $3)"; return 1; }
}

load_run() {      # load_run URL SECONDS OUT
  if [ "$MODE" = h2 ]; then load_h2 "$@"; else load_h1 "$@"; fi
}

field() {         # field NAME LINE: the value of NAME=value in a RESULT line
  local pair
  # shellcheck disable=SC2086 # split the line into its NAME=value words
  for pair in $2; do [ "${pair%%=*}" = "$1" ] && { echo "${pair#*=}"; return 0; }; done
  echo 0
}

error_count() {   # every *_errors field and timeouts of a RESULT line, added up
  local pair total=0
  # shellcheck disable=SC2086 # split the line into its NAME=value words
  for pair in $1; do
    case "${pair%%=*}" in *_errors|timeouts) total=$((total + ${pair#*=})) ;; esac
  done
  echo "$total"
}

machine_noise() { # machine_noise BASE TARGET MEASURED_TICKS: "others=N steal=N" (percent of a core)
  # The machine is shared (other people's builds, a hypervisor): say how much of the proxy's core
  # went to anything but the measured process, and how much time the hypervisor stole from our two
  # cores. Either one high means the run's figures are suspect. From /proc/stat's per-CPU lines:
  # user nice system idle iowait irq softirq steal ...
  local on_proxy_cpu=$3
  [ "$2" != direct ] || on_proxy_cpu=0   # the origin runs on the load generator's CPU
  awk -v proxy="cpu$PROXY_CPU" -v own="$on_proxy_cpu" '
    NR == FNR { for (i = 2; i <= 9; i++) before[$1, i] = $i; next }
    { total = 0; for (i = 2; i <= 9; i++) { d[i] = $i - before[$1, i]; total += d[i] }
      if (total <= 0) next
      if ($1 == proxy) { others = 100 * (d[2] + d[3] + d[4] + d[7] + d[8] - own) / total; if (others < 0) others = 0 }
      steal += 100 * d[9] / total }
    END { printf "others=%.0f steal=%.0f\n", others, steal }' "$1.stat-before" "$1.stat-after"
}

measure() {       # measure TARGET RUN: one bounded load run, CPU read around it; writes a result file
  local target=$1 run=$2 base="$WORK/runs/$1.$2"
  local pid=${PID_OF[$target]}
  local admin=${ADMIN_OF[$target]:-}
  [ -z "$admin" ] || allocation_window "$admin" >/dev/null     # opens the window this run is measured in
  cpu_snapshot "$pid" >"$base.cpu-before"
  grep -E "^cpu($LOAD_CPU|$PROXY_CPU) " /proc/stat >"$base.stat-before"
  if ! load_run "${URL_OF[$target]}" "$DURATION_S" "$base.load"; then
    fail_target "$target" "the load generator failed in run $run (KEEP_WORK=1 keeps its output)"
    return 0
  fi
  cpu_snapshot "$pid" >"$base.cpu-after"
  grep -E "^cpu($LOAD_CPU|$PROXY_CPU) " /proc/stat >"$base.stat-after"
  local result ticks requests duration_us errors cpu_us busy noise alloc=""
  [ -z "$admin" ] || alloc=" alloc=$(allocation_window "$admin")"
  result=$(cat "$base.load.summary")
  ticks=$(cpu_delta_ticks "$base.cpu-before" "$base.cpu-after")
  requests=$(field requests "$result")
  duration_us=$(field duration_us "$result")
  errors=$(error_count "$result")
  cpu_us=$(awk -v t="$ticks" -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.2f", (n > 0 ? t * 1e6 / hz / n : 0) }')
  busy=$(awk -v t="$ticks" -v hz="$CLK_TCK" -v d="$duration_us" 'BEGIN { printf "%.0f", (d > 0 ? 100 * t / hz / (d / 1e6) : 0) }')
  noise=$(machine_noise "$base" "$target" "$ticks")
  echo "rps=$(field rps "$result") p50=$(field p50_us "$result") p99=$(field p99_us "$result") cpu=$cpu_us busy=$busy $noise errors=$errors requests=$requests$alloc" >"$base.result"
  [ "$errors" -eq 0 ] ||
    log "$target run $run: $errors errors ($(echo "$result" | grep -oE '[a-z_]+errors=[1-9][0-9]*|timeouts=[1-9][0-9]*' | tr '\n' ' '))"
  log "$target run $run: $(cat "$base.result")"
}

warm_up() {
  local target
  [ "$WARMUP_S" -gt 0 ] || return 0
  for target in "${SELECTED[@]}"; do
    [ "${STATE_OF[$target]:-}" = ok ] || continue
    log "$target: warm-up ${WARMUP_S}s"
    load_run "${URL_OF[$target]}" "$WARMUP_S" "$WORK/runs/$target.warmup" ||
      log "$target: warm-up run failed (see measured runs)"
  done
}

measure_all() {
  # Rounds interleave the targets so that noise from the shared machine spreads over all of them.
  local run target
  for run in $(seq "$RUNS"); do
    for target in "${SELECTED[@]}"; do
      [ "${STATE_OF[$target]:-}" = ok ] || continue
      log "$target: run $run/$RUNS, ${DURATION_S}s"
      measure "$target" "$run"
    done
  done
}

# ---------------------------------------------------------------------------------------------
# Reporting

median_of() {     # median_of TARGET KEY over the runs' result files (sum for "errors")
  local target=$1 key=$2
  local files=("$WORK/runs/$target".*.result)
  [ -e "${files[0]}" ] || { echo ""; return; }
  sed -nE "s/.*(^| )$key=([^ ]+).*/\2/p" "${files[@]}" | sort -g | awk -v key="$key" '
    { v[NR] = $1; s += $1 }
    END { if (key == "errors") { print s + 0; exit }
          m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m }'
}

cpu_of() {
  case "$1" in
    direct) echo "origin nginx" ;;
    nginx) echo "nginx master+worker" ;;
    haproxy) echo "haproxy" ;;
    proxy) echo "proxy process tree" ;;
  esac
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "") print "-"; else printf "%.2fx", a / b }'; }

command_line() {
  local env_part="DURATION=$DURATION WARMUP=$WARMUP"
  if [ "$MODE" = h1 ]; then env_part+=" CONNECTIONS=$CONNECTIONS"; else env_part+=" H2_CLIENTS=$H2_CLIENTS H2_STREAMS=$H2_STREAMS"; fi
  printf '%s perf/compare.sh' "$env_part"
  [ ${#ARGS_GIVEN[@]} -eq 0 ] || printf ' %s' "${ARGS_GIVEN[@]}"
  echo
}

load_description() {
  local headers=""
  [ "$HEADERS" = bare ] || headers="; nginx and HAProxy add the forwarding fields our proxy adds (X-Forwarded-*, Via both ways, x-request-id)"
  if [ "$MODE" = h1 ]; then
    echo "HTTP/1.1, wrk -t1 -c$CONNECTIONS -d${DURATION_S}s after a ${WARMUP_S}s warm-up$headers"
  else
    echo "h2c, h2load -t1 -c$H2_CLIENTS -m$H2_STREAMS -D$DURATION_S after a ${WARMUP_S}s warm-up (proxies speak HTTP/1.1 upstream)$headers"
  fi
}

versions() {
  local v=()
  v+=("$(nginx -v 2>&1 | sed 's/.*version: //')")
  command -v haproxy >/dev/null && v+=("HAProxy $(haproxy -v 2>/dev/null | awk 'NR == 1 { print $3 }')")
  if [ "$MODE" = h1 ]; then v+=("$(wrk -v 2>&1 | awk 'NR == 1 { print "wrk " $2 }')"); else v+=("$(h2load --version | head -n1)"); fi
  local joined
  joined=$(printf '%s, ' "${v[@]}")
  echo "${joined%, }"
}

# One table printer for both styles: rows are "|"-separated fields.
print_table() {   # print_table STYLE HEADER ROW...
  local style=$1
  shift
  if [ "$style" = markdown ]; then
    local header=$1 cols
    shift
    echo "| ${header//|/ | } |"
    cols=$(awk -F'|' '{ print NF }' <<<"$header")
    printf '|'; for _ in $(seq "$cols"); do printf -- '---|'; done; echo
    local row
    for row in "$@"; do echo "| ${row//|/ | } |"; done
  else
    printf '%s\n' "$@" | awk -F'|' '
      { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NR; if (NF > nf) nf = NF }
      END { for (r = 1; r <= n; r++) { line = ""
              for (i = 1; i <= nf; i++) line = line sprintf((i == 1 ? "" : "  ") (i == 1 || i == nf ? "%-" : "%") w[i] "s", cell[r, i])
              sub(/ +$/, "", line); print line } }'
  fi
}

report() {
  local style=text
  [ "$MARKDOWN" -eq 1 ] && style=markdown
  local date machine
  date=$(date -u '+%Y-%m-%d %H:%M UTC')
  machine="nproc $(getconf _NPROCESSORS_ONLN), kernel $(uname -r), $(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release 2>/dev/null)"

  local rows=() notes=() target rps p50 p99 cpu busy errors flag others steal
  for target in "${SELECTED[@]}"; do
    case "${STATE_OF[$target]:-}" in
      ok)
        rps=$(median_of "$target" rps); p50=$(median_of "$target" p50); p99=$(median_of "$target" p99)
        cpu=$(median_of "$target" cpu); busy=$(median_of "$target" busy); errors=$(median_of "$target" errors)
        others=$(median_of "$target" others); steal=$(median_of "$target" steal)
        flag=""; [ "$errors" -eq 0 ] || flag=" (ERRORS)"
        if awk -v o="$others" -v s="$steal" -v l="$NOISE_LIMIT" 'BEGIN { exit !(o > l || s > l) }'; then
          notes+=("warning: $target ran on a busy machine (others $(printf '%.0f' "$others")%, steal $(printf '%.0f' "$steal")%): its figures are not comparable with a quiet run")
        fi
        rows+=("$target$flag|$(printf '%.0f|%.0f|%.0f|%.1f|%.0f%%' "$rps" "$p50" "$p99" "$cpu" "$busy")|$errors|$(printf '%.0f%%|%.0f%%' "$others" "$steal")|$(cpu_of "$target")") ;;
      *) rows+=("$target (${STATE_OF[$target]:-not run})|-|-|-|-|-|-|-|-|-")
         notes+=("$target ${STATE_OF[$target]:-not run}: ${NOTE_OF[$target]:-}") ;;
    esac
  done

  local ratio_rows=() ref
  for target in "${PROXY_TARGETS[@]}"; do
    [ "${STATE_OF[$target]:-}" = ok ] || continue
    for ref in "${REFERENCES[@]}"; do
      if [ "$ref" = "$target" ] || [ "${STATE_OF[$ref]:-}" != ok ]; then continue; fi
      ratio_rows+=("$target/$ref|$(ratio "$(median_of "$target" rps)" "$(median_of "$ref" rps)")|$(ratio "$(median_of "$target" p50)" "$(median_of "$ref" p50)")|$(ratio "$(median_of "$target" p99)" "$(median_of "$ref" p99)")|$(ratio "$(median_of "$target" cpu)" "$(median_of "$ref" cpu)")")
    done
  done

  local runs_note="1 run"
  [ "$RUNS" -eq 1 ] || runs_note="median of $RUNS runs (errors: total)"
  if [ "$style" = markdown ]; then
    echo "Load: $(load_description), ${BODY_SIZE}-byte body, $runs_note."
    echo "Pinning: load generator and origin on CPU $LOAD_CPU, the proxy under test alone on CPU $PROXY_CPU."
    echo "Date: $date. Machine: $machine. Versions: $(versions)."
    echo
    echo '```'
    command_line
    echo '```'
    echo
  else
    echo "load:     $(load_description), ${BODY_SIZE}-byte body, $runs_note"
    echo "pinning:  load generator and origin on CPU $LOAD_CPU, the proxy under test alone on CPU $PROXY_CPU"
    echo "date:     $date"
    echo "machine:  $machine"
    echo "versions: $(versions)"
    echo "command:  $(command_line)"
    echo
  fi
  print_table "$style" "target|req/s|p50 µs|p99 µs|CPU µs/req|CPU busy|errors|others|steal|CPU measured" "${rows[@]}"
  if [ ${#ratio_rows[@]} -gt 0 ]; then
    echo
    print_table "$style" "ratio|req/s|p50|p99|CPU µs/req" "${ratio_rows[@]}"
  fi
  for target in "${!ADMIN_OF[@]}"; do
    [ "${STATE_OF[$target]:-}" = ok ] || continue
    echo
    echo "$target: $(median_of "$target" alloc) bytes allocated per request (median; GC.GetTotalAllocatedBytes over the run ÷ requests, from /admin/stats)"
  done
  echo
  if [ ${#notes[@]} -gt 0 ]; then
    printf '%s\n' "${notes[@]}"
    echo
  fi
  echo "CPU µs/req: utime+stime from /proc of the measured process tree over the run ÷ requests completed;"
  echo "it is the comparable figure (req/s may be capped by CPU $LOAD_CPU, shared by the load generator and origin)."
  echo "CPU busy: that CPU time as a share of one core. others: CPU $PROXY_CPU time used by anything else; steal:"
  echo "time the hypervisor took from CPUs $LOAD_CPU and $PROXY_CPU (both % of one core; high = noisy run, distrust it)."
  echo "Ratios: row ÷ reference; lower is better except for req/s."
}

# ---------------------------------------------------------------------------------------------

main() {
  parse_args "$@"
  check_machine
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/compare.XXXXXX")
  # nginx workers run as an unprivileged user when we are root: let them reach their temp paths.
  chmod 0755 "$WORK"
  mkdir -p "$WORK/runs"

  make_body
  start_origin
  is_selected nginx && start_nginx_proxy
  is_selected haproxy && start_haproxy
  is_selected proxy && start_our_proxy
  warm_up
  measure_all
  report

  local target
  for target in "${SELECTED[@]}"; do
    [ "${STATE_OF[$target]:-}" != failed ] || return 1
    [ "${STATE_OF[$target]}" != ok ] || [ "$(median_of "$target" errors)" -eq 0 ] || return 1
  done
}

main "$@"
