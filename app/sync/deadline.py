"""A total deadline for one HTTP exchange, enforced on every socket read and write.

httpx's timeouts count per socket operation: a server that sends its status line or its
headers one byte a second never trips a 20 s read timeout, and the request never ends. Here
each read, write and connect is given what is left of the request's deadline (or its own
timeout, if shorter), so a dripping reply ends when its deadline passes, wherever in the
reply the server is dripping.

The deadline is per thread (a :class:`~app.sync.client.PlatformClient` is thread-confined)
and set around one exchange with :func:`within`; outside it the streams behave as httpx's own.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx


class _Current(threading.local):
    end: float | None = None


_current = _Current()


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Every socket operation of this thread inside the block ends by ``seconds`` from now."""
    outer = _current.end
    end = time.monotonic() + seconds
    _current.end = end if outer is None else min(end, outer)
    try:
        yield
    finally:
        _current.end = outer


def _left(timeout: float | None, error: type[Exception]) -> float | None:
    end = _current.end
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise error("the request's total deadline passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    """A connection whose reads and writes stop at the current deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _left(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_tcp(host, port, _left(timeout, httpcore.ConnectTimeout), local_address,
                                               socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_unix_socket(path, _left(timeout, httpcore.ConnectTimeout),
                                                       socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def transport(verify: ssl.SSLContext | None = None) -> httpx.HTTPTransport:
    """httpx's own transport, its connections made through the deadline-keeping backend.

    ``verify`` is the TLS context (see :mod:`app.sync.tls`); the handshake runs in
    :meth:`_Stream.start_tls`, so it too ends by the deadline.
    """
    made = httpx.HTTPTransport(retries=0) if verify is None else httpx.HTTPTransport(retries=0, verify=verify)
    pool = getattr(made, "_pool", None)
    # httpx builds its connection pool itself and takes no backend; httpcore's pool keeps the
    # backend in this attribute. tests/test_sync_hostile.py fails if that ever changes.
    if not isinstance(pool, httpcore.ConnectionPool) or not hasattr(pool, "_network_backend"):
        raise RuntimeError("httpx/httpcore changed: cannot install the deadline backend")
    pool._network_backend = _Backend()
    return made
