"""HTTP to the city platform: deadlines and size caps on every call, bounded retries, token refresh.

Every reply is untrusted. A request has a connect, a read and a *total* deadline (a reply
that drips one byte at a time ends like one that never comes), and its body is read up to a
cap, counted after decompression (a gzip bomb stops at the cap). Retries back off with
jitter and honour Retry-After up to a cap; everything a run sends is counted against its
:class:`~app.sync.budget.RunBudget`. The token goes only to the configured platform's origin:
a redirect, or an address the platform names on another host, is refused. The platform's
address is https, or plain http to this machine only (:mod:`app.core.platform_address`),
checked before a byte is sent; certificates always verify (:mod:`app.sync.tls`).

Errors reach callers as :class:`~app.core.errors.UserError` subclasses whose message a clerk
can act on: :class:`LinkDown` (try later; nothing is lost), :class:`PlatformBusy`,
:class:`LoginRequired`, :class:`PlatformRefused` carrying the platform's own Chinese message,
and :class:`PlatformError` for a reply that does not make sense; a certificate that does not
verify is :class:`~app.sync.tls.CertificateRefused`, never retried.
"""

from __future__ import annotations

import datetime as dt
import json as jsonlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from app.core.errors import N_, UserError
from app.core.platform_address import check_address, check_platform_url
from app.sync import deadline as total_deadline
from app.sync import tls, wire
from app.sync.budget import RunBudget
from app.sync.credentials import Tokens, TokenStore
from app.sync.profile import read_profile
from app.sync.retry import RetryPolicy, parse_retry_after, retryable_status

log = logging.getLogger("sync.http")

#: connect fast (a dead link should be noticed quickly), allow slow reads on a thin uplink
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=20.0, write=30.0, pool=5.0)
#: the longest a JSON exchange may take from first byte sent to last byte read
JSON_DEADLINE = 30.0
#: replies other than the feed and downloads are small; an error body even more so
DEFAULT_CAP = 1 << 20

UNREADABLE = N_("市级平台返回了无法识别的数据，已停止本次同步；办件仍保存在本机，请稍后重试或联系系统管理员")


class LinkDown(UserError):
    """The platform could not be reached or kept failing; everything stays queued locally."""


class PlatformBusy(UserError):
    """The platform asked us to come back later than a run may wait."""

    def __init__(self, retry_at: dt.datetime, *, log: str) -> None:
        super().__init__("平台繁忙，将于 {retry_at:%H:%M} 自动重试；办件已保存在本机", log=log, retry_at=retry_at)
        self.retry_at = retry_at


class LoginRequired(UserError):
    """No valid tokens: the clerk must sign in again."""


class PlatformRefused(UserError):
    """The platform answered with a 4xx that retrying will not fix."""

    def __init__(self, message: str, *, log: str, status: int, code: str) -> None:
        super().__init__(message, log=log)
        self.status, self.code = status, code


class PlatformError(UserError):
    """The platform answered something that does not fit what it promises."""

    def __init__(self, detail: str) -> None:
        super().__init__(UNREADABLE, log=f"unusable platform reply: {detail}")


def link_down(detail: str) -> LinkDown:
    return LinkDown("无法连接市级平台（{detail}）。办件已保存在本机，联网后会自动上传，无需重新录入。", detail=detail,
                    log=f"platform unreachable: {detail}")


@dataclass(frozen=True, slots=True)
class Reply:
    """A whole reply, read within its deadline and cap."""

    status: int
    headers: httpx.Headers
    body: bytes
    url: str

    def json(self) -> Any:
        try:
            return jsonlib.loads(self.body)
        except (ValueError, UnicodeDecodeError, RecursionError):  # nesting 100 000 deep is valid JSON
            raise PlatformError(f"{self.url} -> {self.status}: not JSON: {self.body[:80]!r}") from None

    def obj(self) -> Mapping[str, Any]:
        try:
            return wire.obj(self.json(), self.url)
        except wire.WireError as e:
            raise PlatformError(str(e)) from None


def problem_of(reply: Reply) -> tuple[str, str]:
    """(code, Chinese message) from an error body, or generic ones."""
    try:
        body = jsonlib.loads(reply.body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        body = None
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, dict) and isinstance(detail.get("message"), str):
        return str(detail.get("code", ""))[:64], detail["message"][:500]
    return "", f"平台返回错误（HTTP {reply.status}）"


class PlatformClient:
    """One platform, one signed-in unit; thread-confined (each sync run makes its own)."""

    def __init__(self, base_url: str, tokens: TokenStore, *, policy: RetryPolicy | None = None,
                 timeout: httpx.Timeout = DEFAULT_TIMEOUT, sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None, budget: RunBudget | None = None,
                 ca_bundle: str = "") -> None:
        if not base_url:
            raise UserError("尚未设置市级平台地址，请先用 init --platform 设置", log="no platform url")
        self.base_url = base_url.rstrip("/")
        # Before anything is built or sent: plain http only to this machine. Both parsers
        # must agree, so a URL that one reads differently from the other cannot slip through.
        check_platform_url(self.base_url)
        try:
            parsed = httpx.URL(self.base_url)
        except (httpx.InvalidURL, ValueError):
            parsed = httpx.URL()  # no scheme, no host: refused as not an address
        check_address(self.base_url, parsed.scheme, parsed.host)
        self.origin = _origin(parsed)
        self.ca_bundle = ca_bundle
        self.tokens = tokens
        self.policy = policy or RetryPolicy()
        self.budget = budget or RunBudget(requests=10_000, seconds=3600.0, waiting=600.0)
        self.sleep = sleep
        self.timeout = timeout
        #: True once the platform has answered anything: whether it is online is then known
        #: even if this run ends in an error (a refused login, a stale token).
        self.answered = False
        # Redirects are never followed: the bearer token goes to the configured origin only.
        if transport is None:  # a bad CA bundle is refused here, before any connection
            transport = total_deadline.transport(verify=tls.ssl_context(ca_bundle))
        self.http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport, follow_redirects=False,
                                 headers={"User-Agent": "chuangkou/0.1"})

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> PlatformClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sign-in -----------------------------------------------------------------------------

    def login(self, user: str, password: str) -> dict[str, Any]:
        """Sign in; returns {"user", "unit": {"code", "name", "window_no"}, "profile"} as checked
        (``profile``: a :class:`~app.sync.profile.Profile`, None from a platform without profiles)."""
        reply = self.request("POST", "/api/v1/auth/login", json={"username": user, "password": password},
                             auth=False)
        return self._save_tokens(reply)

    def _save_tokens(self, reply: Reply) -> dict[str, Any]:
        body = reply.obj()
        try:
            unit = wire.obj(body.get("unit"), "unit")
            tokens = Tokens(user=wire.text(body, "user", "login", max_len=200),
                            access=wire.text(body, "access_token", "login", max_len=8192),
                            refresh=wire.text(body, "refresh_token", "login", max_len=8192))
            checked = {"user": tokens.user, "unit": {
                "code": wire.text(unit, "code", "unit", max_len=64), "name": wire.text(unit, "name", "unit"),
                "window_no": wire.number_field(unit, "window_no", "unit", lo=1, hi=99)},
                "profile": read_profile(body)}
        except wire.WireError as e:
            raise PlatformError(f"sign-in reply: {e}") from None
        self.tokens.save(tokens)
        return checked

    def _refresh(self) -> bool:
        current = self.tokens.load()
        if current is None:
            return False
        try:
            reply = self.request("POST", "/api/v1/auth/refresh", json={"refresh_token": current.refresh},
                                 auth=False)
        except PlatformRefused as e:
            if e.status == 401:
                return False
            raise
        self._save_tokens(reply)
        return True

    def auth_headers(self) -> dict[str, str]:
        current = self.tokens.load()
        if current is None:
            raise LoginRequired("尚未登录市级平台，请先登录", log="no tokens")
        return {"Authorization": f"Bearer {current.access}"}

    # -- addresses ---------------------------------------------------------------------------

    def resolve(self, path_or_url: str) -> str:
        """A path on the platform, or an absolute URL on its origin; anything else is refused."""
        try:
            url = self.http.base_url.join(path_or_url) if "://" not in path_or_url else httpx.URL(path_or_url)
        except (httpx.InvalidURL, ValueError):
            raise PlatformError(f"bad address {path_or_url[:80]!r}") from None
        if _origin(url) != self.origin:
            raise PlatformError(f"address on another origin refused: {url.scheme}://{url.host}:{url.port}")
        return str(url)

    # -- requests ----------------------------------------------------------------------------

    def request(self, method: str, path: str, *, json: Any = None, content: Any = None,
                headers: Mapping[str, str] | None = None, params: Mapping[str, Any] | None = None,
                auth: bool = True, retry: bool = True, ok: tuple[int, ...] = (), cap: int = DEFAULT_CAP,
                deadline: float = JSON_DEADLINE) -> Reply:
        """Send with retries; returns a 2xx reply (or one whose status is in ``ok``)."""
        url = self.resolve(path)
        failures, refreshed = 0, False
        while True:
            all_headers = dict(headers or {})
            if auth:
                all_headers.update(self.auth_headers())
            self.budget.take_request()
            try:
                reply = self._send(method, url, json=json, content=content, headers=all_headers, params=params,
                                   cap=cap, deadline=min(deadline, max(self.budget.remaining(), 1.0)))
            except httpx.TransportError as e:
                self._refuse_untrusted(e)
                failures += 1
                slow = isinstance(e, httpx.TimeoutException)
                log.info("%s %s failed (%s: %s), failure %d", method, path, type(e).__name__, e, failures)
                detail = "连接超时" if slow else "网络中断"
                if not retry or failures >= self.policy.attempts:
                    raise link_down(detail) from e
                self.wait_before_retry(self.policy.delay(failures), None, detail)
                continue
            self.answered = True
            status = reply.status
            if 200 <= status < 300 or status in ok:
                return reply
            if 300 <= status < 400:
                raise PlatformError(f"{method} {path} -> {status} redirect to "
                                    f"{reply.headers.get('location', '')[:80]!r} refused")
            if status == 401 and auth:
                if not refreshed:
                    refreshed = True
                    if self._refresh():
                        continue
                    self.tokens.clear()
                # refused again with a token just issued: signing in again is all the clerk can do
                raise LoginRequired("登录已失效，请重新登录市级平台", log=f"401 on {path} (refreshed: {refreshed})")
            code, message = problem_of(reply)
            if retryable_status(status):
                failures += 1
                wait = parse_retry_after(reply.headers.get("retry-after"))
                log.info("%s %s -> %d, failure %d, retry-after %s", method, path, status, failures, wait)
                if wait is not None and wait > self.policy.max_retry_after:
                    raise self._busy(wait, f"{method} {path} -> {status}")
                if not retry or failures >= self.policy.attempts:
                    raise link_down(f"平台暂时无法处理，HTTP {status}")
                self.wait_before_retry(self.policy.delay(failures, wait), wait, f"HTTP {status}")
                continue
            raise PlatformRefused(message, log=f"{method} {path} -> {status} {code}", status=status, code=code)

    def wait_before_retry(self, delay: float, retry_after: float | None, detail: str) -> None:
        if not self.budget.may_wait(delay):
            if retry_after is not None:
                raise self._busy(retry_after, f"retry-after {retry_after} beyond the run's waiting budget")
            raise link_down(detail)
        self.budget.note_wait(delay)
        self.sleep(delay)

    def _busy(self, wait: float, detail: str) -> PlatformBusy:
        at = dt.datetime.now().astimezone() + dt.timedelta(seconds=min(wait, 86400.0))
        return PlatformBusy(at, log=f"platform busy: {detail}; retry after {wait:.0f} s")

    def _send(self, method: str, url: str, *, json: Any, content: Any, headers: Mapping[str, str],
              params: Mapping[str, Any] | None, cap: int, deadline: float) -> Reply:
        # A streamed body is bounded like the reply: every socket write keeps the total deadline.
        request = self.http.build_request(method, url, json=json, content=content, headers=headers, params=params,
                                          timeout=self._timeout(deadline))
        with total_deadline.within(deadline):
            response = self.http.send(request, stream=True)
            try:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > cap:
                        raise PlatformError(f"{method} {url} -> {response.status_code}: body over {cap} bytes")
                return Reply(response.status_code, response.headers, bytes(body), url)
            finally:
                response.close()

    def _timeout(self, deadline: float) -> httpx.Timeout:
        t = self.timeout
        return httpx.Timeout(connect=min(t.connect or deadline, deadline), read=min(t.read or deadline, deadline),
                             write=min(t.write or deadline, deadline), pool=min(t.pool or deadline, deadline))

    @contextmanager
    def stream(self, path: str, headers: Mapping[str, str], cap: int, deadline: float
               ) -> Iterator[tuple[int, httpx.Headers, Iterator[bytes]]]:
        """GET ``path`` for a download: one attempt, within ``deadline``, at most ``cap`` bytes of body.

        Yields once (status, headers, body chunks); the caller retries. Only the budget and
        the origin rule apply here, so the retry policy stays the caller's.
        """
        url = self.resolve(path)
        self.budget.take_request()
        deadline = min(deadline, max(self.budget.remaining(), 1.0))
        try:
            with total_deadline.within(deadline), \
                    self.http.stream("GET", url, headers=headers, timeout=self._timeout(deadline)) as response:
                self.answered = True

                def chunks() -> Iterator[bytes]:
                    seen = 0
                    for chunk in response.iter_bytes(256 * 1024):
                        seen += len(chunk)
                        if seen > cap:
                            raise PlatformError(f"download {path[:60]} longer than {cap} bytes")
                        yield chunk

                yield response.status_code, response.headers, chunks()
        except httpx.TransportError as e:
            self._refuse_untrusted(e)
            raise

    def _refuse_untrusted(self, error: httpx.TransportError) -> None:
        """A certificate that does not verify is not a link that is down: no retry, and say so."""
        failure = tls.certificate_failure(error)
        if failure is not None:
            raise tls.certificate_refused(failure, f"{self.origin[1]}:{self.origin[2]}", self.ca_bundle) from error

    def get_json(self, path: str, *, cap: int = DEFAULT_CAP, **params: Any) -> Any:
        return self.request("GET", path, params=params, cap=cap).json()

    def post_json(self, path: str, body: Any, *, cap: int = DEFAULT_CAP) -> Any:
        return self.request("POST", path, json=body, cap=cap).json()


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host.lower(), url.port or default

