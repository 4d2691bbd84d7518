#!/usr/bin/python3
"""Frame-level HTTP/2 edge cases against the proxy, for Http2DefenceTests.

Usage: h2edge.py CASE HOST PORT [ADMIN_PORT]. Prints one line saying what the proxy did and exits 0 when that is what the case
expects, 1 otherwise. Frames are written by hand (the defences are about what a well-behaved client library would
refuse to send); header blocks come from Debian's python3-hpack. Every read has a deadline, so a case never hangs.
"""
import socket, struct, sys, time, urllib.request
from hpack import Decoder, Encoder

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = range(10)
END_STREAM, ACK, END_HEADERS = 0x1, 0x1, 0x4
NO_ERROR, PROTOCOL_ERROR, FLOW_CONTROL_ERROR, CANCEL, REFUSED_STREAM, ENHANCE_YOUR_CALM = 0x0, 0x1, 0x3, 0x8, 0x7, 0xB
MAX_WINDOW = 2**31 - 1


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def settings(*pairs):
    return frame(SETTINGS, 0, 0, b"".join(struct.pack(">HI", k, v) for k, v in pairs))


class Connection:
    def __init__(self, host, port, *pairs):
        self.sock = socket.create_connection((host, port), timeout=10)
        self.buffer = b""
        self.encoder = Encoder()
        self.sock.sendall(PREFACE + settings(*pairs))

    def send(self, data):
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            return False

    def request_block(self, path="/", extra=()):
        return self.encoder.encode([(":method", "GET"), (":scheme", "http"), (":path", path), (":authority", "test")] + list(extra))

    def frames(self, seconds):
        """Yields (type, flags, stream, payload) until the deadline or the connection closes."""
        deadline = time.monotonic() + seconds
        while True:
            while len(self.buffer) >= 9:
                length = int.from_bytes(self.buffer[:3], "big")
                if len(self.buffer) < 9 + length:
                    break
                kind, flags = self.buffer[3], self.buffer[4]
                stream = int.from_bytes(self.buffer[5:9], "big") & 0x7FFFFFFF
                payload = self.buffer[9:9 + length]
                self.buffer = self.buffer[9 + length:]
                if kind == SETTINGS and not flags & ACK:
                    self.send(frame(SETTINGS, ACK, 0))
                yield kind, flags, stream, payload
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except (socket.timeout, OSError):
                return
            if not chunk:
                return
            self.buffer += chunk

    def wait_closed(self, seconds):
        """Reads (and drops) until the proxy closes the connection: True, with the bytes read; False at the deadline."""
        deadline, received = time.monotonic() + seconds, len(self.buffer)
        self.buffer = b""
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(1 << 20)
            except socket.timeout:
                break
            except OSError:            # reset: closed too
                return True, received
            if not chunk:
                return True, received
            received += len(chunk)
        return False, received

    def wait_for(self, kind, seconds=10, stream=None):
        for f in self.frames(seconds):
            if f[0] == kind and (stream is None or f[2] == stream):
                return f
            if f[0] == GOAWAY and kind != GOAWAY:
                return f
        return None


def code_of(f):
    if f is None:
        return None
    return struct.unpack(">I", f[3][4:8] if f[0] == GOAWAY else f[3][:4])[0]


def expect_goaway(c, wanted, seconds=10):
    f = c.wait_for(GOAWAY, seconds)
    code = code_of(f)
    print(f"goaway {code}")
    return code == wanted


def case_ping(c):
    c.send(frame(PING, 0, 0, b"12345678"))
    for kind, flags, _, payload in c.frames(10):
        if kind == PING and flags & ACK:
            print(f"ping ack {payload.decode()}")
            return payload == b"12345678"
    print("no ping ack")
    return False


def case_rapid_reset(c):
    # Open streams and reset each at once, far beyond the budget the test configures.
    stream = 1
    for _ in range(500):
        if not c.send(frame(HEADERS, END_STREAM | END_HEADERS, stream, c.request_block()) +
                      frame(RST_STREAM, 0, stream, struct.pack(">I", CANCEL))):
            break
        stream += 2
    return expect_goaway(c, ENHANCE_YOUR_CALM)


def case_continuation_flood(c):
    block = c.request_block(extra=[("x-filler", "a" * 50)])
    c.send(frame(HEADERS, END_STREAM, 1, block[:10]))
    rest = block[10:]
    for _ in range(10000):
        piece, rest = (rest[:1], rest[1:]) if rest else (b"", b"")
        # Never END_HEADERS: the block goes on for ever, in tiny (or empty) CONTINUATION frames.
        if not c.send(frame(CONTINUATION, 0, 1, piece)):
            break
    return expect_goaway(c, ENHANCE_YOUR_CALM)


def case_hpack_bomb(c):
    # One 4000-byte value enters the dynamic table, then 40 one-byte references decode to ~160 KB.
    value = b"b" * 4000
    literal = b"\x40" + bytes([5]) + b"x-big" + b"\x7f" + encode_int(len(value) - 127) + value
    block = c.request_block() + literal + b"\xbe" * 40
    c.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, block))
    return expect_goaway(c, ENHANCE_YOUR_CALM)


def encode_int(n):
    out = b""
    while n >= 128:
        out += bytes([(n % 128) + 128])
        n //= 128
    return out + bytes([n])


def case_too_many_streams(c):
    # The test configures max_concurrent_streams = 2 and an origin that answers /slow late: the third is refused.
    for stream in (1, 3, 5):
        c.send(frame(HEADERS, END_STREAM | END_HEADERS, stream, c.request_block("/slow")))
    f = c.wait_for(RST_STREAM, 10, stream=5)
    code = code_of(f) if f and f[0] == RST_STREAM else None
    print(f"rst_stream 5 {code}")
    if code != REFUSED_STREAM:
        return False
    # The first two are still served.
    ended = set()
    for kind, flags, stream, _ in c.frames(10):
        if kind in (HEADERS, DATA) and flags & END_STREAM:
            ended.add(stream)
        if ended >= {1, 3}:
            print("streams 1 and 3 answered")
            return True
    print(f"answered: {sorted(ended)}")
    return False


def case_settings_flood(c):
    for _ in range(2000):
        if not c.send(settings((4, 65535))):
            break
    return expect_goaway(c, ENHANCE_YOUR_CALM)


def case_ping_flood(c):
    for i in range(2000):
        if not c.send(frame(PING, 0, 0, struct.pack(">Q", i))):
            break
    return expect_goaway(c, ENHANCE_YOUR_CALM)


def case_priority_flood(c):
    for i in range(2000):
        if not c.send(frame(PRIORITY, 0, 1 + 2 * i, struct.pack(">IB", 0, 15))):
            break
    return expect_goaway(c, ENHANCE_YOUR_CALM)


def case_empty_data_flood(c):
    # A POST whose body never ends, sent as empty DATA frames without END_STREAM.
    block = c.encoder.encode([(":method", "POST"), (":scheme", "http"), (":path", "/slow"), (":authority", "test")])
    c.send(frame(HEADERS, END_HEADERS, 1, block))
    for _ in range(2000):
        if not c.send(frame(DATA, 0, 1)):
            break
    return expect_goaway(c, ENHANCE_YOUR_CALM)


def window_update(stream, increment):
    return frame(WINDOW_UPDATE, 0, stream, struct.pack(">I", increment))


def case_window_update_flood(c):
    # Tiny increments on the connection and on a stream whose response has not started (/slow): no DATA was sent
    # that they could answer, so only the burst and rate of the test's limits allow them.
    c.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, c.request_block("/slow")))
    for _ in range(2000):
        if not c.send(window_update(1, 1) + window_update(0, 1)):
            break
    return expect_goaway(c, ENHANCE_YOUR_CALM)


def case_window_update_per_data_frame(c):
    # A well-behaved client with a small stream window (1 KiB, from the preface's SETTINGS) that gives the credit of
    # every DATA frame back at once, on the stream and on the connection: about 200 WINDOW_UPDATEs for a 100 KB body,
    # ten times the test's burst. They answer DATA, so they are no flood.
    c.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, c.request_block("/body")))
    received, updates = 0, 0
    for kind, flags, stream, payload in c.frames(20):
        if kind in (GOAWAY, RST_STREAM):
            print(f"frame {kind} code {code_of((kind, flags, stream, payload))} after {received} bytes, {updates} updates")
            return False
        if kind == DATA and stream == 1:
            received += len(payload)
            if payload and not flags & END_STREAM:
                c.send(window_update(1, len(payload)) + window_update(0, len(payload)))
                updates += 2
            if flags & END_STREAM:
                print(f"body {received} bytes, {updates} window updates")
                return received == 100_000 and updates > 150
    print(f"no end after {received} bytes, {updates} updates")
    return False


def case_window_overflow_stream(c):
    # RFC 9113 §6.9.1: a stream window pushed above 2^31-1 is a stream error (FLOW_CONTROL_ERROR); the connection goes on.
    c.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, c.request_block("/slow")))
    c.send(window_update(1, MAX_WINDOW))
    f = c.wait_for(RST_STREAM, 10, stream=1)
    code = code_of(f) if f and f[0] == RST_STREAM else None
    print(f"rst_stream 1 {code}")
    if code != FLOW_CONTROL_ERROR:
        return False
    c.send(frame(HEADERS, END_STREAM | END_HEADERS, 3, c.request_block("/")))
    for kind, flags, stream, _ in c.frames(10):
        if stream == 3 and kind in (HEADERS, DATA) and flags & END_STREAM:
            print("stream 3 answered")
            return True
    print("stream 3 not answered")
    return False


def case_window_overflow_connection(c):
    # The connection window starts at 65535: one more increment of 2^31-1 overflows it, a connection error.
    c.send(window_update(0, MAX_WINDOW))
    return expect_goaway(c, FLOW_CONTROL_ERROR)


def case_connection_window_stall(c):
    # Stream windows are large (the preface's SETTINGS) but the client never sends a connection WINDOW_UPDATE, so the
    # connection window stays at the 65535 every connection starts with and the response stalls once that much is out.
    # The test configures zero_window_timeout = 1s: past it the proxy must end the connection (GOAWAY
    # ENHANCE_YOUR_CALM, then close), not just the stream, since no stream could send on it.
    c.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, c.request_block("/body")))
    received, exhausted, code, stalled = 0, None, None, -1.0
    for kind, flags, stream, payload in c.frames(15):
        if kind == DATA:
            received += len(payload)
            if received >= 65535 and exhausted is None:
                exhausted = time.monotonic()
        elif kind == GOAWAY:
            code = code_of((kind, flags, stream, payload))
            if exhausted is not None:
                stalled = time.monotonic() - exhausted
            break
    closed, _ = c.wait_closed(10)
    print(f"goaway={code} stalled={stalled:.2f} received={received} closed={int(closed)}")
    return code == ENHANCE_YOUR_CALM and received == 65535 and closed


def metric(admin_port, name):
    """The value of an unlabelled (or fully labelled) sample in the proxy's /metrics."""
    with urllib.request.urlopen(f"http://127.0.0.1:{admin_port}/metrics", timeout=5) as response:
        for line in response.read().decode().splitlines():
            if line.startswith(name + " "):
                return float(line.split(" ")[1])
    return None


def metric_until(admin_port, name, holds, seconds):
    """Polls a metric until holds(value); the time that was seen, or None at the deadline."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if holds(metric(admin_port, name)):
            return time.monotonic()
        time.sleep(0.05)
    return None


def case_client_stops_reading(c, admin_port):
    # Every window wide open (the preface's SETTINGS and a connection WINDOW_UPDATE), a 32 MB response, and a client
    # that never reads its socket: the proxy's writes fill the kernel's buffers and then wait. The test configures
    # zero_window_timeout = 1s: the proxy must count the stall and end the connection by itself. The client reads
    # nothing until the proxy's metrics show the stall counted and one connection fewer open, then must find the
    # connection closed before the body's end.
    connections = "proxy_connections_active"
    stalls = 'proxy_http2_defence_total{reason="zero_window_stall"}'
    # The proxy counts a connection before it sends its SETTINGS: wait for them first, or on a loaded machine the count
    # below can be taken before this connection is in it, and "one connection fewer" then never comes.
    if c.wait_for(SETTINGS, 10) is None:
        print("no SETTINGS from the proxy")
        return False
    open_before = metric(admin_port, connections)
    c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    c.send(window_update(0, MAX_WINDOW - 65535))
    c.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, c.request_block("/huge")))
    started = time.monotonic()
    counted = metric_until(admin_port, stalls, lambda v: v == 1, 15)
    gone = metric_until(admin_port, connections, lambda v: v < open_before, 15)
    if counted is None or gone is None:
        print(f"stall counted: {counted is not None}, connection gone: {gone is not None}")
        return False
    closed, received = c.wait_closed(10)
    print(f"counted={counted - started:.2f} gone={gone - counted:.2f} received={received} closed={int(closed)}")
    return closed and received < 32_000_000


def case_zero_window(c):
    # Our stream window is 0 (SETTINGS_INITIAL_WINDOW_SIZE = 0, sent in the preface): the response head can come,
    # its body never can. The test configures zero_window_timeout = 1s.
    c.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, c.request_block("/body")))
    started = time.monotonic()
    f = c.wait_for(RST_STREAM, 15, stream=1)
    code = code_of(f) if f and f[0] == RST_STREAM else None
    print(f"rst_stream 1 {code} after {time.monotonic() - started:.1f}s")
    return code == CANCEL


def case_early_response(c):
    # A POST whose upstream answers (404: no route matches) before the body is all sent: the response ends the
    # stream and RST_STREAM(NO_ERROR) tells us to stop sending (RFC 9113 §8.1).
    block = c.encoder.encode([(":method", "POST"), (":scheme", "http"), (":path", "/nowhere"), (":authority", "unrouted.example")])
    c.send(frame(HEADERS, END_HEADERS, 1, block) + frame(DATA, 0, 1, b"x" * 1000))
    status = None
    for kind, flags, stream, payload in c.frames(10):
        if kind == HEADERS and stream == 1:
            status = "headers"
        if kind == RST_STREAM and stream == 1:
            print(f"{status} then rst_stream {code_of((kind, flags, stream, payload))}")
            return status == "headers" and code_of((kind, flags, stream, payload)) == NO_ERROR
    print(f"{status}, no rst_stream")
    return False


def case_trailers(c):
    # A body without content-length goes upstream chunked, and trailers follow its last chunk.
    block = c.encoder.encode([(":method", "POST"), (":scheme", "http"), (":path", "/trailers"), (":authority", "test")])
    trailers = c.encoder.encode([("x-checksum", "abc")])
    c.send(frame(HEADERS, END_HEADERS, 1, block) + frame(DATA, 0, 1, b"hello") + frame(HEADERS, END_STREAM | END_HEADERS, 1, trailers))
    body = b""
    for kind, flags, stream, payload in c.frames(10):
        if kind == DATA and stream == 1:
            body += payload
            if flags & END_STREAM:
                print(body.decode())
                return body == b"5 chunked"
        if kind in (RST_STREAM, GOAWAY):
            print(f"frame {kind} code {code_of((kind, flags, stream, payload))}")
            return False
    print(f"no end: {body!r}")
    return False


def case_response_trailers(c):
    # The origin answers chunked with trailer fields: they must come as a last HEADERS with END_STREAM after DATA
    # frames none of which ends the stream (RFC 9113 §8.1), without the fields that cannot be trailers.
    c.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, c.request_block("/response-trailers")))
    decoder = Decoder()
    head, body, data_ended, trailers = None, b"", False, None
    for kind, flags, stream, payload in c.frames(10):
        if kind in (RST_STREAM, GOAWAY):
            print(f"frame {kind} code {code_of((kind, flags, stream, payload))}")
            return False
        if stream != 1:
            continue
        if kind == HEADERS and head is None:
            head = decoder.decode(payload)
        elif kind == DATA:
            body += payload
            data_ended = data_ended or bool(flags & END_STREAM)
        elif kind == HEADERS:
            trailers = decoder.decode(payload)
            fields = ", ".join(f"{n}={v}" for n, v in trailers)
            print(f"body {body.decode()!r} data_end_stream={data_ended} trailers_end_stream={bool(flags & END_STREAM)} {fields}")
            return (not data_ended and flags & END_STREAM and flags & END_HEADERS and body == b"checked body"
                    and sorted(trailers) == [("grpc-status", "0"), ("x-checksum", "abc")])
        if data_ended:
            print(f"body {body.decode()!r} ended by DATA, no trailers")
            return False
    print(f"no trailers: head {head} body {body!r}")
    return False


def case_headers_after_end_stream(c):
    # HEADERS again on a stream the client already ended: STREAM_CLOSED for that stream, and the connection goes on.
    c.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, c.request_block("/slow")))
    c.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, c.encoder.encode([("x-late", "1")])))
    f = c.wait_for(RST_STREAM, 10, stream=1)
    code = code_of(f) if f and f[0] == RST_STREAM else None
    print(f"rst_stream 1 {code}")
    if code != 0x5:
        return False
    c.send(frame(HEADERS, END_STREAM | END_HEADERS, 3, c.request_block("/")))
    for kind, flags, stream, _ in c.frames(10):
        if stream == 3 and kind in (HEADERS, DATA) and flags & END_STREAM:
            print("stream 3 answered")
            return True
    print("stream 3 not answered")
    return False


CASES = {
    "headers-after-end-stream": (case_headers_after_end_stream, ()),
    "trailers": (case_trailers, ()),
    "response-trailers": (case_response_trailers, ()),
    "ping": (case_ping, ()),
    "rapid-reset": (case_rapid_reset, ()),
    "continuation-flood": (case_continuation_flood, ()),
    "hpack-bomb": (case_hpack_bomb, ()),
    "too-many-streams": (case_too_many_streams, ()),
    "settings-flood": (case_settings_flood, ()),
    "ping-flood": (case_ping_flood, ()),
    "priority-flood": (case_priority_flood, ()),
    "empty-data-flood": (case_empty_data_flood, ()),
    "window-update-flood": (case_window_update_flood, ()),
    "window-update-per-data-frame": (case_window_update_per_data_frame, ((4, 1024),)),
    "window-overflow-stream": (case_window_overflow_stream, ()),
    "window-overflow-connection": (case_window_overflow_connection, ()),
    "connection-window-stall": (case_connection_window_stall, ((4, 1 << 20),)),
    "client-stops-reading": (case_client_stops_reading, ((4, MAX_WINDOW),)),
    "zero-window": (case_zero_window, ((4, 0),)),
    "early-response": (case_early_response, ()),
}

if __name__ == "__main__":
    name, host, port, extra = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    case, pairs = CASES[name]
    sys.exit(0 if case(Connection(host, port, *pairs), *extra) else 1)
