"""The fault-injecting proxy, against tiny real TCP and HTTP servers on 127.0.0.1."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import queue
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import pytest

from tests.support.faultproxy import FaultProxy

WAIT = 10.0  # generous bound for anything a test waits on; never reached unless something is broken
MB = 1_000_000

Handler = Callable[[socket.socket, threading.Event], None]


def _send_all(sock: socket.socket, data: bytes, stop: threading.Event) -> None:
    """sendall() on a socket with a short timeout, giving up when ``stop`` is set."""
    view = memoryview(data)
    while view and not stop.is_set():
        try:
            sent = sock.send(view)
        except TimeoutError:
            continue
        view = view[sent:]


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        data = sock.recv(min(n - len(buf), 65536))
        if not data:
            break
        buf += data
    return bytes(buf)


def _recv_or_reset(sock: socket.socket) -> bytes:
    """What the peer sends next; b"" for a plain close and for a reset alike."""
    try:
        return sock.recv(16)
    except (ConnectionResetError, BrokenPipeError):
        return b""


def _recv_until_closed(sock: socket.socket) -> bytes:
    """Everything the peer still sends until it closes (plainly or with a reset)."""
    buf = bytearray()
    while data := _recv_or_reset(sock):
        buf += data
    return bytes(buf)


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=WAIT)


class TcpServer:
    """A TCP server on 127.0.0.1 that runs ``handler(conn, stop)`` for each connection in a daemon thread."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.stop_event = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port: int = self.listener.getsockname()[1]
        self.threads: list[threading.Thread] = []
        self.accept_thread = threading.Thread(target=self._accept_loop, daemon=True)

    def __enter__(self) -> TcpServer:
        self.accept_thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop_event.set()
        self.accept_thread.join(WAIT)
        for thread in list(self.threads):
            thread.join(WAIT)

    def _accept_loop(self) -> None:
        with self.listener:
            while not self.stop_event.is_set():
                try:
                    conn, _ = self.listener.accept()
                except TimeoutError:
                    continue
                conn.settimeout(0.2)
                thread = threading.Thread(target=self._handle, args=(conn,), daemon=True)
                self.threads.append(thread)
                thread.start()

    def _handle(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            self.handler(conn, self.stop_event)


class Echo(TcpServer):
    """Sends back everything it receives and keeps a copy."""

    def __init__(self) -> None:
        super().__init__(self._echo)
        self.received = bytearray()

    def _echo(self, conn: socket.socket, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                data = conn.recv(65536)
            except TimeoutError:
                continue
            if not data:
                return
            self.received += data
            _send_all(conn, data, stop)


class Sink(TcpServer):
    """Keeps what it receives, one entry per connection in ``per_conn`` once that connection ends.

    Once ``expect_total`` bytes arrived over all connections it answers b"OK" on the connection that completed it.
    """

    def __init__(self, expect_total: int | None = None) -> None:
        super().__init__(self._sink)
        self.expect_total = expect_total
        self.total = 0
        self.per_conn: queue.Queue[bytes] = queue.Queue()

    def _sink(self, conn: socket.socket, stop: threading.Event) -> None:
        got = bytearray()
        try:
            while not stop.is_set():
                try:
                    data = conn.recv(65536)
                except TimeoutError:
                    continue
                if not data:
                    return
                got += data
                self.total += len(data)
                if self.expect_total is not None and self.total >= self.expect_total:
                    _send_all(conn, b"OK", stop)
        finally:
            self.per_conn.put(bytes(got))


class Duplex(TcpServer):
    """Discards what it receives while sending ``blast`` bytes of its own to every connection."""

    def __init__(self, blast: int) -> None:
        super().__init__(self._duplex)
        self.blast = os.urandom(blast)
        self.received = 0

    def _duplex(self, conn: socket.socket, stop: threading.Event) -> None:
        sender = threading.Thread(target=self._blast, args=(conn, stop), daemon=True)
        sender.start()
        try:
            while not stop.is_set():
                try:
                    data = conn.recv(65536)
                except TimeoutError:
                    continue
                if not data:
                    return
                self.received += len(data)
        finally:
            sender.join(WAIT)

    def _blast(self, conn: socket.socket, stop: threading.Event) -> None:
        with contextlib.suppress(OSError):
            _send_all(conn, self.blast, stop)


class Sender(threading.Thread):
    """Sends ``data`` on ``sock`` in the background and remembers an error instead of raising it."""

    def __init__(self, sock: socket.socket, data: bytes) -> None:
        super().__init__(daemon=True)
        self.sock, self.data = sock, data
        self.error: OSError | None = None

    def run(self) -> None:
        try:
            self.sock.sendall(self.data)
        except OSError as exc:
            self.error = exc


def test_forwarding_is_byte_exact_both_ways() -> None:
    payload = os.urandom(2 * 1024 * 1024)
    with Echo() as echo, FaultProxy(echo.port) as proxy, _connect(proxy.port) as client:
        assert proxy.url == f"http://127.0.0.1:{proxy.port}"
        sender = Sender(client, payload)
        sender.start()
        echoed = _recv_exact(client, len(payload))
        sender.join(WAIT)
        assert sender.error is None
        assert hashlib.sha256(echoed).digest() == hashlib.sha256(payload).digest()
        assert bytes(echo.received) == payload
        assert proxy.bytes_up == proxy.bytes_down == len(payload)
        assert (proxy.connections, proxy.cuts) == (1, 0)


def test_http_keep_alive_goes_through_one_connection() -> None:
    class Hasher(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = hashlib.sha256(body).hexdigest().encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hasher)
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    serving.start()
    try:
        with FaultProxy(server.server_address[1]) as proxy:
            conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=WAIT)
            try:
                for size in (0, 10, 300_000):
                    body = os.urandom(size)
                    conn.request("POST", "/upload", body=body)
                    response = conn.getresponse()
                    assert response.status == 200
                    assert response.read() == hashlib.sha256(body).hexdigest().encode()
            finally:
                conn.close()
            assert proxy.connections == 1
    finally:
        server.shutdown()
        server.server_close()
        serving.join(WAIT)


def test_cut_every_cuts_exactly_at_the_byte_count_across_reconnects() -> None:
    payload = os.urandom(350_000)
    with Sink(expect_total=len(payload)) as sink, FaultProxy(sink.port) as proxy:
        proxy.cut_every(100_000)
        offset, cuts, pieces = 0, 0, []
        for _ in range(10):
            with _connect(proxy.port) as client:
                try:
                    client.sendall(payload[offset:])
                    reply = client.recv(16)
                except (ConnectionResetError, BrokenPipeError):
                    reply = b""
            piece = sink.per_conn.get(timeout=WAIT)
            pieces.append(piece)
            offset += len(piece)
            if reply == b"OK":
                break
            assert reply == b""
            cuts += 1
        assert cuts == 3
        assert [len(piece) for piece in pieces] == [100_000, 100_000, 100_000, 50_000]
        assert b"".join(pieces) == payload
        assert (proxy.cuts, proxy.connections, proxy.bytes_up) == (3, 4, 350_000)


def test_reset_every_resets_the_client() -> None:
    with Sink() as sink, FaultProxy(sink.port) as proxy:
        proxy.reset_every(1000)
        with _connect(proxy.port) as client, pytest.raises((ConnectionResetError, BrokenPipeError)):
            client.sendall(os.urandom(10_000))
            client.recv(16)
        assert len(sink.per_conn.get(timeout=WAIT)) == 1000
        assert proxy.cuts == 1
        proxy.reset_every(None)
        with _connect(proxy.port) as client:
            client.sendall(os.urandom(5000))
        assert len(sink.per_conn.get(timeout=WAIT)) == 5000
        assert proxy.cuts == 1


def test_throttle_limits_both_directions() -> None:
    size = 2 * MB
    payload = os.urandom(size)
    limit = 1.3 * MB  # 1 MB/s asked for; generous for a slow, noisy machine (only makes the rate lower)
    with Duplex(blast=size) as server, FaultProxy(server.port) as proxy:
        proxy.throttle(MB)
        began = time.monotonic()
        with _connect(proxy.port) as client:
            sender = Sender(client, payload)
            sender.start()
            received: list[bytes] = []
            reader = threading.Thread(target=lambda: received.append(_recv_exact(client, size)), daemon=True)
            reader.start()

            time.sleep(0.5)
            up0, down0 = proxy.bytes_up, proxy.bytes_down
            t0 = time.monotonic()  # clock read after the counters: elapsed can only come out too long
            assert up0 <= limit * (t0 - began) + 65536
            assert down0 <= limit * (t0 - began) + 65536
            time.sleep(1.0)
            t1 = time.monotonic()  # ... and before them
            up1, down1 = proxy.bytes_up, proxy.bytes_down
            assert 0 < up1 - up0 <= limit * (t1 - t0)
            assert 0 < down1 - down0 <= limit * (t1 - t0)

            proxy.throttle(None)
            sender.join(WAIT)
            reader.join(WAIT)
            assert sender.error is None
            assert received == [server.blast]
            # The sender is done once its socket took the bytes; the proxy may still be passing
            # the last of them on. Wait (bounded) before closing it.
            deadline = time.monotonic() + WAIT
            while proxy.bytes_up < size and time.monotonic() < deadline:
                time.sleep(0.01)
        assert proxy.bytes_up == proxy.bytes_down == size


def test_stall_holds_data_until_released() -> None:
    with Echo() as echo, FaultProxy(echo.port) as proxy, _connect(proxy.port) as client:
        proxy.stall(True)
        client.sendall(b"held")
        client.settimeout(0.3)
        with pytest.raises(TimeoutError):
            client.recv(4)
        assert proxy.bytes_up == 0
        client.settimeout(WAIT)
        proxy.stall(False)
        assert _recv_exact(client, 4) == b"held"


def test_refuse_closes_new_connections_until_lifted() -> None:
    with Echo() as echo, FaultProxy(echo.port) as proxy:
        proxy.refuse(True)
        with _connect(proxy.port) as client:
            assert _recv_or_reset(client) == b""
        assert (proxy.connections, proxy.refused, proxy.bytes_up, proxy.bytes_down) == (1, 1, 0, 0)
        proxy.refuse(False)
        with _connect(proxy.port) as client:
            client.sendall(b"ping")
            assert _recv_exact(client, 4) == b"ping"
        assert (proxy.connections, proxy.refused) == (2, 1)


def test_stop_is_prompt_and_closes_the_port() -> None:
    with Echo() as echo:
        proxy = FaultProxy(echo.port).start()
        port = proxy.port
        with _connect(port) as client:
            client.sendall(b"hi")
            assert _recv_exact(client, 2) == b"hi"
            proxy.throttle(10)  # a busy, throttled link must not delay stop() either
            client.sendall(b"x" * 1000)
            stopper = threading.Thread(target=proxy.stop, daemon=True)
            stopper.start()
            stopper.join(WAIT)
            assert not stopper.is_alive()
            assert _recv_until_closed(client).strip(b"x") == b""
        with pytest.raises(ConnectionRefusedError):
            _connect(port).close()
        proxy.stop()  # idempotent


def test_proxy_stops_by_itself_after_max_lifetime() -> None:
    with Echo() as echo:
        proxy = FaultProxy(echo.port, max_lifetime=0.2).start()
        try:
            deadline = time.monotonic() + WAIT
            refused = False
            while not refused and time.monotonic() < deadline:
                try:
                    _connect(proxy.port).close()
                except ConnectionRefusedError:
                    refused = True
                time.sleep(0.05)
            assert refused
        finally:
            proxy.stop()
