"""A hostile front for the city platform: it forwards to the real platform, except where a test has set a trap.

``HostileFront`` listens on 127.0.0.1 and relays every request to the platform, reading each exchange whole.
A trap, matched by method and path prefix, answers instead (or rewrites the platform's real answer): HTML
instead of JSON, truncated bodies, a gzip bomb, a reply dripped a byte at a time, a redirect to another host,
and so on. Standard library only; every thread is a daemon, every wait is bounded, drips stop when the front
stops, and a front a test forgot to stop shuts itself down after ``max_lifetime`` seconds.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "te", "trailer", "upgrade",
              "proxy-connection"}


@dataclass
class Upstream:
    """The real platform's answer to the request a trap caught."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


class Exchange:
    """One request caught by a trap; the trap answers through it."""

    def __init__(self, handler: _Handler, front: HostileFront, body: bytes) -> None:
        self._h, self._front = handler, front
        self.method, self.path, self.body = handler.command, handler.path, body
        self.headers = {k.lower(): v for k, v in handler.headers.items()}

    def forward(self) -> Upstream:
        return self._front.forward(self.method, self.path, self.headers, self.body)

    def reply(self, status: int, body: bytes | str | Any = b"", *, headers: dict[str, str] | None = None,
              content_type: str = "application/json") -> None:
        data = body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else json.dumps(
            body, ensure_ascii=False).encode()
        head = {"Content-Type": content_type, "Content-Length": str(len(data)), **(headers or {})}
        self.raw(self.status_line(status, head) + data)

    @staticmethod
    def status_line(status: int, headers: dict[str, str]) -> bytes:
        lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def raw(self, data: bytes) -> None:
        with contextlib.suppress(OSError):
            self._h.wfile.write(data)
            self._h.wfile.flush()
        self._h.close_connection = True

    def drip(self, data: bytes, every: float) -> None:
        """Send ``data`` a byte at a time, one every ``every`` seconds, until done or the front stops."""
        self._h.close_connection = True
        for i in range(len(data)):
            if self._front.stopping.wait(every):
                return
            try:
                self._h.wfile.write(data[i:i + 1])
                self._h.wfile.flush()
            except OSError:
                return

    @property
    def stopped(self) -> bool:
        return self._front.stopping.is_set()

    def hang_up(self) -> None:
        """Close the connection without answering."""
        self._h.close_connection = True
        with contextlib.suppress(OSError):
            self._h.connection.shutdown(socket.SHUT_RDWR)


Trap = Callable[[Exchange], None]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _body(self) -> bytes:
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("content-length") or 0))

    def _any(self) -> None:
        front = self.server.front
        body = self._body()
        trap = front.count_and_match(self.command, self.path)
        exchange = Exchange(self, front, body)
        if trap is not None:
            trap(exchange)
            return
        up = exchange.forward()
        headers = {k: v for k, v in up.headers if k.lower() not in HOP_BY_HOP}
        exchange.reply(up.status, up.body, headers=headers, content_type=up.header("content-type") or "")
        self.close_connection = False

    do_GET = do_POST = do_PATCH = do_HEAD = do_DELETE = do_PUT = do_OPTIONS = _any


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    front: HostileFront


class HostileFront:
    """See the module docstring."""

    def __init__(self, target_port: int, *, max_lifetime: float = 900.0) -> None:
        self.target_port = target_port
        self.stopping = threading.Event()
        self._traps: list[tuple[str | None, str, Trap, list[int | None]]] = []
        self._lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.front = self
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._timer = threading.Timer(max_lifetime, self.stop)
        self._timer.daemon = True

    def __enter__(self) -> HostileFront:
        self._thread.start()
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self.stopping.set()
        self._timer.cancel()
        self._server.shutdown()
        self._server.server_close()

    def trap(self, method: str | None, path_prefix: str, fn: Trap, *, times: int | None = None) -> None:
        """Answer requests matching ``method`` (None: any) and ``path_prefix`` with ``fn``, ``times`` times."""
        with self._lock:
            self._traps.append((method, path_prefix, fn, [times]))

    def clear(self) -> None:
        with self._lock:
            self._traps.clear()
            self.requests.clear()
        self.stopping.clear()

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.requests.values())

    def count_and_match(self, method: str, path: str) -> Trap | None:
        with self._lock:
            self.requests[f"{method} {path.split('?')[0]}"] += 1
            for m, prefix, fn, left in self._traps:
                if (m is None or m == method) and path.startswith(prefix) and left[0] != 0:
                    if left[0] is not None:
                        left[0] -= 1
                    return fn
        return None

    def forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Upstream:
        conn = http.client.HTTPConnection("127.0.0.1", self.target_port, timeout=60)
        try:
            sent = {k: v for k, v in headers.items() if k not in HOP_BY_HOP}  # Host kept: tus builds Location from it
            if body or method in ("POST", "PATCH", "PUT"):
                sent["Content-Length"] = str(len(body))
            conn.request(method, path, body=body or None, headers=sent)
            r = conn.getresponse()
            data = r.read() if method != "HEAD" else b""
            headers_out = list(r.getheaders())
            if method == "HEAD":
                # keep the platform's own Content-Length on a HEAD (tus answers carry none)
                headers_out = [(k, v) for k, v in headers_out if k.lower() != "content-length"]
            return Upstream(r.status, headers_out, data)
        finally:
            conn.close()


def wait_until(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.05)
    return check()
