"""A fault-injecting TCP proxy for end-to-end tests of the sync client.

``FaultProxy`` listens on 127.0.0.1 and forwards every connection byte for byte to a target server, while the
test thread can at any time make it cut or reset connections after a number of uploaded bytes, stall, throttle
the link or refuse new connections. Standard library only. Every thread is a daemon and every blocking call is
bounded (no loop sleeps longer than ``TICK``), so ``stop()`` returns within about a second, and a proxy a test
forgot to stop shuts itself down after ``max_lifetime`` seconds.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import struct
import sys
import threading
import time
from types import TracebackType
from typing import Literal

TICK = 0.05  # the longest any proxy loop sleeps: new settings, cuts and stop() take effect within this
CHUNK = 65536  # the most bytes read from a socket at once
ACCEPT_TIMEOUT = 0.2
CONNECT_TIMEOUT = 1.0
STOP_TIMEOUT = 2.0  # stop() waits at most this long for the proxy's threads
BURST_SECONDS = 0.05  # a throttled direction may send this many seconds' worth of bytes in one go

CutMode = Literal["fin", "rst"]


class _Bucket:
    """Token bucket limiting one direction of the link; the caller holds the proxy's lock."""

    def __init__(self) -> None:
        self.rate: float | None = None
        self.capacity = 0.0
        self.tokens = 0.0
        self.stamp = time.monotonic()

    def configure(self, rate: int | None) -> None:
        self.rate = None if rate is None else float(rate)
        self.capacity = 0.0 if rate is None else max(1.0, rate * BURST_SECONDS)
        self.tokens = 0.0
        self.stamp = time.monotonic()

    def _need(self) -> float:
        """Tokens to wait for before a read, so a throttled link is not read a byte at a time."""
        return max(1.0, min(self.capacity / 4, CHUNK))

    def _refill(self, now: float) -> None:
        if self.rate is not None:
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_time(self, now: float) -> float:
        """0 if a read may start now, else the seconds until it may."""
        if self.rate is None:
            return 0.0
        self._refill(now)
        need = self._need()
        return 0.0 if self.tokens >= need else (need - self.tokens) / self.rate

    def take(self, now: float, most: int) -> int:
        """Reserve up to ``most`` bytes for a read (0: not yet); give back what the read did not use."""
        if self.rate is None:
            return most
        self._refill(now)
        if self.tokens < self._need():
            return 0
        grant = min(most, int(self.tokens))
        self.tokens -= grant
        return grant

    def refund(self, n: int) -> None:
        if self.rate is not None and n > 0:
            self.tokens = min(self.capacity, self.tokens + n)


def _close_gracefully(sock: socket.socket) -> None:
    """Plain close: send FIN, discard what the peer already sent (so close() need not answer with RST), close."""
    with contextlib.suppress(OSError):
        sock.setblocking(False)
        sock.shutdown(socket.SHUT_WR)
    with contextlib.suppress(OSError):
        for _ in range(16):
            if not sock.recv(CHUNK):
                break
    sock.close()


def _close_abortively(sock: socket.socket) -> None:
    """Abortive close: SO_LINGER with a zero timeout makes close() send RST instead of FIN."""
    linger = struct.pack("HH" if sys.platform == "win32" else "ii", 1, 0)  # l_onoff=1, l_linger=0
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
    sock.close()


def _check_limit(name: str, value: int | None) -> None:
    if value is not None and value < 1:
        raise ValueError(f"{name} must be a positive number of bytes or None, not {value!r}")


class FaultProxy:
    """Forwards 127.0.0.1:<port> to (target_host, target_port), injecting faults.

    Fault settings may be changed from the test thread at any time and apply to open connections too:

    - ``cut_every(n)``: once ``n`` more client->server bytes have been forwarded (counted across all
      connections since the last cut or since the call), forward exactly up to that byte, then close both sides
      of that connection plainly (FIN). ``reset_every(n)`` does the same with an abortive close (RST) towards the
      client. A client still sending after the close may see a reset on its next write.
    - ``stall(True)``: connections are still accepted, but nothing is read or forwarded.
    - ``throttle(rate)``: each direction of the whole link carries about ``rate`` bytes per second.
    - ``refuse(True)``: new connections are closed right after accept, without data (link down).

    When either side of a connection shuts down, what was already read is delivered and the pair is closed.
    """

    def __init__(self, target_port: int, target_host: str = "127.0.0.1", *,
                 max_lifetime: float | None = 600.0) -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.max_lifetime = max_lifetime
        self.port = 0  # the listening port, valid after start()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._threads: list[threading.Thread] = []
        self._deadline: float | None = None
        # settings
        self._cut_every: int | None = None
        self._cut_since = 0
        self._reset_every: int | None = None
        self._reset_since = 0
        self._stalled = False
        self._refusing = False
        self._up_bucket = _Bucket()
        self._down_bucket = _Bucket()
        # counters
        self._bytes_up = 0
        self._bytes_down = 0
        self._cuts = 0
        self._connections = 0
        self._refused = 0

    # -- life cycle -------------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        if self._accept_thread is not None:
            raise RuntimeError("FaultProxy.start() called twice")
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.bind(("127.0.0.1", 0))
            listener.listen(64)
            listener.settimeout(ACCEPT_TIMEOUT)
        except OSError:
            listener.close()
            raise
        self._listener = listener
        self.port = listener.getsockname()[1]
        if self.max_lifetime is not None:
            self._deadline = time.monotonic() + self.max_lifetime
        self._accept_thread = threading.Thread(target=self._accept_loop, name=f"faultproxy-{self.port}", daemon=True)
        self._accept_thread.start()
        return self

    def stop(self) -> None:
        """Close the listening port and every connection; returns within about ``STOP_TIMEOUT`` seconds."""
        self._stop.set()
        deadline = time.monotonic() + STOP_TIMEOUT
        if self._accept_thread is not None:
            self._accept_thread.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- fault settings ---------------------------------------------------------------------------------------

    def cut_every(self, n_bytes: int | None) -> None:
        """Close both sides plainly after every ``n_bytes`` client->server bytes; None turns cutting off."""
        _check_limit("n_bytes", n_bytes)
        with self._lock:
            self._cut_every, self._cut_since = n_bytes, 0

    def reset_every(self, n_bytes: int | None) -> None:
        """Like ``cut_every`` but reset the client (RST); None turns resetting off."""
        _check_limit("n_bytes", n_bytes)
        with self._lock:
            self._reset_every, self._reset_since = n_bytes, 0

    def stall(self, on: bool) -> None:
        with self._lock:
            self._stalled = on

    def throttle(self, bytes_per_second: int | None) -> None:
        """Limit each direction to about ``bytes_per_second``; None means unlimited."""
        _check_limit("bytes_per_second", bytes_per_second)
        with self._lock:
            self._up_bucket.configure(bytes_per_second)
            self._down_bucket.configure(bytes_per_second)

    def refuse(self, on: bool) -> None:
        with self._lock:
            self._refusing = on

    # -- counters ---------------------------------------------------------------------------------------------

    @property
    def bytes_up(self) -> int:
        """Client->server bytes forwarded in total."""
        with self._lock:
            return self._bytes_up

    @property
    def bytes_down(self) -> int:
        """Server->client bytes forwarded in total."""
        with self._lock:
            return self._bytes_down

    @property
    def cuts(self) -> int:
        """Cuts and resets performed."""
        with self._lock:
            return self._cuts

    @property
    def connections(self) -> int:
        """Connections accepted, refused ones included."""
        with self._lock:
            return self._connections

    @property
    def refused(self) -> int:
        """Connections closed right after accept because of ``refuse(True)``."""
        with self._lock:
            return self._refused

    # -- internals --------------------------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        listener = self._listener
        assert listener is not None
        try:
            while not self._stop.is_set():
                if self._deadline is not None and time.monotonic() >= self._deadline:
                    self._stop.set()  # the test forgot to stop the proxy
                    break
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                except OSError:  # e.g. out of file descriptors: try again shortly
                    self._stop.wait(TICK)
                    continue
                client.setblocking(False)
                with self._lock:
                    self._connections += 1
                    refusing = self._refusing
                    if refusing:
                        self._refused += 1
                    self._threads = [t for t in self._threads if t.is_alive()]
                if refusing:
                    _close_gracefully(client)
                    continue
                thread = threading.Thread(target=self._serve, args=(client,), name=f"faultproxy-{self.port}-link",
                                          daemon=True)
                with self._lock:
                    self._threads.append(thread)
                thread.start()
        finally:
            listener.close()

    def _serve(self, client: socket.socket) -> None:
        try:
            server = socket.create_connection((self.target_host, self.target_port), timeout=CONNECT_TIMEOUT)
        except OSError:
            _close_gracefully(client)
            return
        server.setblocking(False)
        for sock in (client, server):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        _Link(self, client, server).run()

    def _admit_up(self, n: int) -> tuple[int, CutMode | None]:
        """How many of ``n`` freshly read client bytes to forward, and which close, if any, follows them."""
        with self._lock:
            cut_left = None if self._cut_every is None else self._cut_every - self._cut_since
            reset_left = None if self._reset_every is None else self._reset_every - self._reset_since
            take = min([n, *(max(0, left) for left in (cut_left, reset_left) if left is not None)])
            cut_due = cut_left is not None and cut_left <= take
            reset_due = reset_left is not None and reset_left <= take
            if self._cut_every is not None:
                self._cut_since = 0 if cut_due else self._cut_since + take
            if self._reset_every is not None:
                self._reset_since = 0 if reset_due else self._reset_since + take
        return take, "rst" if reset_due else "fin" if cut_due else None


class _Link:
    """One proxied connection, pumped by its own thread with non-blocking sockets and a selector."""

    def __init__(self, proxy: FaultProxy, client: socket.socket, server: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.server = server
        self.up = bytearray()  # read from the client, not yet written to the server
        self.down = bytearray()  # read from the server, not yet written to the client
        self.eof = False  # one side shut down: deliver what was read, then close the pair
        self.dead = False  # a socket failed: close the pair now
        self.cut: CutMode | None = None  # close this way once ``up`` is delivered
        self.selector = selectors.DefaultSelector()
        self.interest: dict[socket.socket, int] = {}

    def run(self) -> None:
        proxy = self.proxy
        cut: CutMode | None = None
        try:
            while not proxy._stop.is_set() and not self.dead:
                with proxy._lock:
                    stalled = proxy._stalled
                if stalled:
                    proxy._stop.wait(TICK)
                    continue
                if self.cut is not None and not self.up:
                    cut = self.cut
                    with proxy._lock:
                        proxy._cuts += 1
                    break
                if self.eof and not self.up and not self.down:
                    break
                self._pump_once()
        finally:
            self.selector.close()
            _close_gracefully(self.server)
            if cut == "rst":
                _close_abortively(self.client)
            else:
                _close_gracefully(self.client)

    def _pump_once(self) -> None:
        proxy = self.proxy
        timeout = TICK
        read_client = not self.up and not self.eof and self.cut is None
        read_server = not self.down and not self.eof and self.cut is None
        now = time.monotonic()
        with proxy._lock:
            if read_client and (wait := proxy._up_bucket.wait_time(now)) > 0:
                read_client, timeout = False, min(timeout, wait)
            if read_server and (wait := proxy._down_bucket.wait_time(now)) > 0:
                read_server, timeout = False, min(timeout, wait)
        self._want(self.client, (selectors.EVENT_READ if read_client else 0)
                   | (selectors.EVENT_WRITE if self.down else 0))
        self._want(self.server, (selectors.EVENT_READ if read_server else 0)
                   | (selectors.EVENT_WRITE if self.up else 0))
        if not self.interest:
            proxy._stop.wait(max(timeout, 0.001))
            return
        for key, events in self.selector.select(max(timeout, 0.001)):
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            if events & selectors.EVENT_WRITE:
                self._write(sock)
            if events & selectors.EVENT_READ and not self.dead:
                self._read(sock)

    def _want(self, sock: socket.socket, events: int) -> None:
        old = self.interest.get(sock, 0)
        if events == old:
            return
        if not events:
            self.selector.unregister(sock)
            del self.interest[sock]
        elif old:
            self.selector.modify(sock, events)
            self.interest[sock] = events
        else:
            self.selector.register(sock, events)
            self.interest[sock] = events

    def _read(self, sock: socket.socket) -> None:
        proxy = self.proxy
        from_client = sock is self.client
        bucket = proxy._up_bucket if from_client else proxy._down_bucket
        with proxy._lock:
            grant = bucket.take(time.monotonic(), CHUNK)
        if grant == 0:
            return
        try:
            data = sock.recv(grant)
        except BlockingIOError:
            data = None
        except OSError:
            data, self.dead = None, True
        with proxy._lock:
            bucket.refund(grant - len(data or b""))
        if data is None:
            return
        if not data:
            self.eof = True
        elif from_client:
            take, mode = proxy._admit_up(len(data))
            self.up += memoryview(data)[:take]
            self.cut = mode
        else:
            self.down += data

    def _write(self, sock: socket.socket) -> None:
        to_server = sock is self.server
        buf = self.up if to_server else self.down
        if not buf:
            return
        # Count under the lock that the counters' readers take, in the same step as the send:
        # a peer that has the bytes must never read a count that does not include them yet.
        with self.proxy._lock:
            try:
                sent = sock.send(buf)
            except BlockingIOError:
                return
            except OSError:
                self.dead = True
                return
            if to_server:
                self.proxy._bytes_up += sent
            else:
                self.proxy._bytes_down += sent
        del buf[:sent]
