-- wrk script for perf/compare.sh: prints one machine-readable line when the run ends, so the
-- comparison never scrapes wrk's human output (whose units change with magnitude: us, ms, s).
--
--   RESULT requests=N duration_us=N bytes=N rps=F p50_us=N p99_us=N mean_us=F
--          connect_errors=N read_errors=N write_errors=N status_errors=N timeouts=N
--
-- Latencies come from wrk's own histogram, in microseconds. status_errors is wrk's count of
-- responses with status >= 400; compare.sh checks status and body with curl before measuring.
-- No request()/response() callbacks on purpose: defining response() makes wrk parse every
-- header into Lua tables, which would cost the load generator's core for nothing.

done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d duration_us=%d bytes=%d rps=%.1f p50_us=%d p99_us=%d mean_us=%.1f " ..
    "connect_errors=%d read_errors=%d write_errors=%d status_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, summary.bytes,
    seconds > 0 and summary.requests / seconds or 0,
    latency:percentile(50), latency:percentile(99), latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
