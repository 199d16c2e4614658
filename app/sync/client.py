"""HTTP to the city platform: timeouts on every call, retries with backoff, token refresh.

Errors reach callers as :class:`~app.core.errors.UserError` subclasses whose message a clerk
can act on: :class:`LinkDown` (try later; nothing is lost), :class:`LoginRequired`, and
:class:`PlatformRefused` carrying the platform's own Chinese message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from app.core.errors import UserError
from app.sync.credentials import Tokens, TokenStore
from app.sync.retry import RetryPolicy, parse_retry_after, retryable_status

log = logging.getLogger("sync.http")

#: connect fast (a dead link should be noticed quickly), allow slow reads on a thin uplink
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=60.0, pool=5.0)


class LinkDown(UserError):
    """The platform could not be reached or kept failing; everything stays queued locally."""


class LoginRequired(UserError):
    """No valid tokens: the clerk must sign in again."""


class PlatformRefused(UserError):
    """The platform answered with a 4xx that retrying will not fix."""

    def __init__(self, message: str, *, log: str, status: int, code: str) -> None:
        super().__init__(message, log=log)
        self.status, self.code = status, code


def link_down(detail: str) -> LinkDown:
    return LinkDown(f"无法连接市级平台（{detail}）。办件已保存在本机，联网后会自动上传，无需重新录入。",
                    log=f"platform unreachable: {detail}")


def problem_of(response: httpx.Response) -> tuple[str, str]:
    """(code, Chinese message) from an error body, or generic ones."""
    try:
        detail = response.json().get("detail")
    except ValueError:
        detail = None
    if isinstance(detail, dict) and isinstance(detail.get("message"), str):
        return str(detail.get("code", "")), detail["message"]
    return "", f"平台返回错误（HTTP {response.status_code}）"


class PlatformClient:
    """One platform, one signed-in unit; thread-confined (each sync run makes its own)."""

    def __init__(self, base_url: str, tokens: TokenStore, *, policy: RetryPolicy | None = None,
                 timeout: httpx.Timeout = DEFAULT_TIMEOUT, sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None) -> None:
        if not base_url:
            raise UserError("尚未设置市级平台地址，请先用 init --platform 设置", log="no platform url")
        self.base_url = base_url.rstrip("/")
        self.tokens = tokens
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        #: True once the platform has answered anything: whether it is online is then known
        #: even if this run ends in an error (a refused login, a stale token).
        self.answered = False
        self.http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport,
                                 headers={"User-Agent": "chuangkou/0.1"})

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> PlatformClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sign-in -----------------------------------------------------------------------------

    def login(self, user: str, password: str) -> dict[str, Any]:
        response = self.request("POST", "/api/v1/auth/login", json={"username": user, "password": password},
                                auth=False)
        body: dict[str, Any] = response.json()
        self.tokens.save(Tokens(user=body["user"], access=body["access_token"], refresh=body["refresh_token"]))
        return body

    def _refresh(self) -> bool:
        current = self.tokens.load()
        if current is None:
            return False
        try:
            response = self.request("POST", "/api/v1/auth/refresh", json={"refresh_token": current.refresh},
                                    auth=False)
        except PlatformRefused as e:
            if e.status == 401:
                return False
            raise
        body = response.json()
        self.tokens.save(Tokens(user=body["user"], access=body["access_token"], refresh=body["refresh_token"]))
        return True

    def auth_headers(self) -> dict[str, str]:
        current = self.tokens.load()
        if current is None:
            raise LoginRequired("尚未登录市级平台，请先登录", log="no tokens")
        return {"Authorization": f"Bearer {current.access}"}

    # -- requests ----------------------------------------------------------------------------

    def request(self, method: str, path: str, *, json: Any = None, content: Any = None,
                headers: Mapping[str, str] | None = None, params: Mapping[str, Any] | None = None,
                auth: bool = True, retry: bool = True, ok: tuple[int, ...] = ()) -> httpx.Response:
        """Send with retries; returns a 2xx response (or one whose status is in ``ok``)."""
        failures, refreshed = 0, False
        while True:
            all_headers = dict(headers or {})
            if auth:
                all_headers.update(self.auth_headers())
            try:
                response = self.http.request(method, path, json=json, content=content, headers=all_headers,
                                             params=params)
            except httpx.TransportError as e:
                failures += 1
                detail = "网络中断" if not isinstance(e, httpx.TimeoutException) else "连接超时"
                log.info("%s %s failed (%s: %s), failure %d", method, path, type(e).__name__, e, failures)
                if not retry or failures >= self.policy.attempts:
                    raise link_down(detail) from e
                self.sleep(self.policy.delay(failures))
                continue
            self.answered = True
            status = response.status_code
            if status < 300 or status in ok:
                return response
            if status == 401 and auth and not refreshed:
                refreshed = True
                if self._refresh():
                    continue
                self.tokens.clear()
                raise LoginRequired("登录已失效，请重新登录市级平台", log=f"401 on {path}, refresh failed")
            code, message = problem_of(response)
            if retryable_status(status):
                failures += 1
                wait = parse_retry_after(response.headers.get("retry-after"))
                log.info("%s %s -> %d, failure %d, retry-after %s", method, path, status, failures, wait)
                if not retry or failures >= self.policy.attempts or (
                        wait is not None and wait > self.policy.max_retry_after):
                    raise link_down(f"平台暂时无法处理，HTTP {status}")
                self.sleep(self.policy.delay(failures, wait))
                continue
            raise PlatformRefused(message, log=f"{method} {path} -> {status} {code}", status=status, code=code)

    def get_json(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params=params).json()

    def post_json(self, path: str, body: Any) -> Any:
        return self.request("POST", path, json=body).json()
