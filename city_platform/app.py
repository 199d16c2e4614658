"""Builds the FastAPI application: routers, one log line per request, the test fault hook."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from city_platform import api, figures, licences, people, pki, progress, supervision_api, tus
from city_platform.blobstore import BlobDir
from city_platform.ca import CertificateAuthority
from city_platform.config import PlatformConfig
from city_platform.database import Database
from city_platform.deps import Platform

log = logging.getLogger("platform.http")


class RequestLog:
    """ASGI middleware: one line per request, and the faults a test asked for."""

    def __init__(self, app: ASGIApp, platform: Platform) -> None:
        self.app, self.platform = app, platform

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status, sent = time.monotonic(), 0, 0
        path = scope["path"]

        async def send_logged(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            fault = self._fault(path)
            if fault is not None:
                await self._inject(fault, scope, receive, send_logged)
            else:
                await self.app(scope, receive, send_logged)
        finally:
            log.info("%s %s %d %dB %.0fms", scope["method"], path, status, sent,
                     (time.monotonic() - started) * 1000)

    def _fault(self, path: str) -> dict[str, Any] | None:
        if path.startswith("/_test/"):
            return None
        for rule in self.platform.faults:
            if path.startswith(rule["path_prefix"]) and rule["remaining"] > 0:
                rule["remaining"] -= 1
                return rule
        return None

    async def _inject(self, rule: dict[str, Any], scope: Scope, receive: Receive, send: Send) -> None:
        if rule.get("delay"):
            await asyncio.sleep(float(rule["delay"]))
        if not rule.get("status"):
            await self.app(scope, receive, send)  # a slow reply, not a failed one
            return
        if rule.get("after"):
            # The request is carried out, but its reply is lost: a resend must not repeat it.
            async def discard(message: Message) -> None:
                return None

            await self.app(scope, receive, discard)
        headers = [(b"content-type", b"application/json")]
        if rule.get("retry_after") is not None:
            headers.append((b"retry-after", str(rule["retry_after"]).encode()))
        body = json.dumps({"detail": {"code": "injected", "message": "平台暂时无法处理（测试注入）"}}).encode()
        await send({"type": "http.response.start", "status": int(rule["status"]), "headers": headers})
        await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """ASGI middleware: a JSON API body beyond ``limit`` bytes is refused with 413.

    Raised as an HTTPException from ``receive``, so the answer has the platform's error
    shape (FastAPI's own route limit answers in plain text). tus PATCH bodies are not JSON
    and are bounded by their Upload-Length instead.
    """

    def __init__(self, app: ASGIApp, limit: int, prefix: str = "/api/") -> None:
        self.app, self.limit, self.prefix = app, limit, prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        seen = int(declared) if declared.isdigit() else 0

        async def limited() -> Message:
            nonlocal seen
            if seen > self.limit:
                raise StarletteHTTPException(413)
            message = await receive()
            if message["type"] == "http.request" and not declared.isdigit():
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise StarletteHTTPException(413)
            return message

        await self.app(scope, limited, send)


class SafeJSONResponse(JSONResponse):
    """JSON that can carry anything a client sent: lone surrogates are escaped (ASCII output)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


def _finite(value: Any) -> Any:
    """``value`` with NaN and infinities (which JSON lacks) written as strings."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


#: what the clerk reads when the framework itself refuses a request
_HTTP_MESSAGES = {
    400: "请求内容无法解析",
    404: "找不到该地址",
    405: "不支持该请求方法",
    413: "请求内容过大",
}


async def _validation_failed(request: Request, exc: RequestValidationError) -> JSONResponse:
    # FastAPI's own handler echoes the input; input with lone surrogates or NaN made it a 500.
    try:
        detail = _finite(jsonable_encoder(exc.errors()))
    except RecursionError:  # a body nested close to the parser's own limit
        detail = [{"type": "invalid", "loc": ["body"], "msg": "invalid request"}]
    return SafeJSONResponse(status_code=422, content={"detail": detail})


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    """Every error in the platform's shape: ``detail`` is ``{code, message}``."""
    assert isinstance(exc, StarletteHTTPException)
    detail: Any = exc.detail
    if not isinstance(detail, dict):
        detail = {"code": f"http_{exc.status_code}",
                  "message": _HTTP_MESSAGES.get(exc.status_code, f"请求未被接受（HTTP {exc.status_code}）")}
    return JSONResponse(status_code=exc.status_code, content={"detail": detail}, headers=exc.headers)


def create_app(config: PlatformConfig) -> FastAPI:
    db = Database(config.db_url)
    db.create_schema()
    ca = CertificateAuthority.load(config.pki_dir) if config.pki_dir and CertificateAuthority.exists(
        config.pki_dir) else None
    platform = Platform(config=config, db=db, blobs=BlobDir(config.blobs_dir), ca=ca)
    pki.ensure_crl_published(platform)
    app = FastAPI(title="Chuangkou city platform", version="1", summary="市级政务服务平台（参考实现）")
    app.state.platform = platform
    app.add_exception_handler(RequestValidationError, _validation_failed)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.include_router(api.router)
    app.include_router(people.router)
    app.include_router(tus.router)
    app.include_router(progress.router)
    app.include_router(pki.router)
    app.include_router(pki.public)
    app.include_router(licences.router)
    app.include_router(licences.api_router)
    app.include_router(supervision_api.router)
    app.include_router(figures.router)
    if config.faults:
        _add_fault_routes(app, platform)
    app.add_middleware(BodyLimit, limit=api.MAX_BODY)
    app.add_middleware(RequestLog, platform=platform)
    return app


def _add_fault_routes(app: FastAPI, platform: Platform) -> None:
    @app.post("/_test/faults", include_in_schema=False)
    async def add_fault(request: Request) -> JSONResponse:
        """``{"path_prefix", "status", "count", "delay", "retry_after", "after"}``: fail or slow the next
        requests; with ``after`` the request is carried out first and only its reply replaced."""
        body = await request.json()
        platform.faults.append({
            "path_prefix": str(body.get("path_prefix", "/")), "status": body.get("status"),
            "remaining": int(body.get("count", 1)), "delay": body.get("delay"),
            "retry_after": body.get("retry_after"), "after": bool(body.get("after")),
        })
        return JSONResponse({"faults": len(platform.faults)})

    @app.delete("/_test/faults", include_in_schema=False)
    async def clear_faults() -> JSONResponse:
        platform.faults.clear()
        return JSONResponse({"faults": 0})
