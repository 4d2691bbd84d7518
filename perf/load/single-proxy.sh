# Sourced by the scripts that measure this proxy alone (settings.sh, allocations.sh, allocations-h2.sh): builds the proxy, makes a
# private work directory removed on exit with every process started here, and starts the origin every
# measurement uses (nginx, one worker on LOAD_CPU, a fixed 1 KiB body, keep-alive without limit).
# Sets WORK, PIDS (append the PIDs you start), ORIGIN_PORT; defines free_port.
scripts/install-tools.sh perf >&2
scripts/proxy --version >/dev/null        # build first, outside any measurement
WORK=$(mktemp -d); PIDS=()
chmod 755 "$WORK"    # nginx's worker (nobody) must read the body: mktemp's 0700 made every answer a 404 from its error path
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ORIGIN_PORT=$(free_port)
head -c 1024 /dev/zero | tr '\0' 'x' >"$WORK/body"
cat >"$WORK/origin.conf" <<CONF
worker_processes 1; daemon off; pid $WORK/origin.pid; error_log $WORK/origin.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$ORIGIN_PORT; location / { root $WORK; try_files /body =404; } } }
CONF
taskset -c "$LOAD_CPU" nginx -c "$WORK/origin.conf" -p "$WORK" & PIDS+=($!)
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/" && break; sleep 0.1; done
curl -sf -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/" || { echo "the nginx origin does not answer 200; see $WORK/origin.err" >&2; exit 2; }
