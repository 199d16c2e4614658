"""Builds the FastAPI application: routers, one log line per request, the test fault hook."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from city_platform import api, tus
from city_platform.blobstore import BlobDir
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


def create_app(config: PlatformConfig) -> FastAPI:
    db = Database(config.db_url)
    db.create_schema()
    platform = Platform(config=config, db=db, blobs=BlobDir(config.blobs_dir))
    app = FastAPI(title="Chuangkou city platform", version="1", summary="市级政务服务平台（参考实现）")
    app.state.platform = platform
    app.include_router(api.router)
    app.include_router(tus.router)
    if config.faults:
        _add_fault_routes(app, platform)
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
