"""Resumable, hash-checked downloads of a forwarded case's materials (HTTP Range)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import httpx

from app.core.errors import UserError
from app.store.blobs import file_sha256
from app.sync.client import LoginRequired, PlatformClient, link_down, problem_of
from app.sync.retry import retryable_status

log = logging.getLogger("sync.download")

Progress = Callable[[int, int], None]


def download(client: PlatformClient, sha256: str, size: int, part: Path, target: Path,
             progress: Progress | None = None) -> None:
    """Fetch blob ``sha256`` into ``target`` via ``part``, resuming from what ``part`` holds."""
    part.parent.mkdir(parents=True, exist_ok=True)
    failures, refreshed = 0, False
    while True:
        have = part.stat().st_size if part.exists() else 0
        if have > size:
            part.unlink()
            have = 0
        headers = {**client.auth_headers(), **({"Range": f"bytes={have}-"} if have else {})}
        grew = False
        try:
            if have < size:
                with client.http.stream("GET", f"/api/v1/blobs/{sha256}", headers=headers) as r:
                    if r.status_code == 401 and not refreshed:
                        refreshed = True
                        client.request("GET", "/api/v1/me")  # refreshes the access token
                        continue
                    if r.status_code not in (200, 206):
                        r.read()
                        if retryable_status(r.status_code):
                            raise httpx.TransportError(f"HTTP {r.status_code}")
                        if r.status_code == 401:
                            raise LoginRequired("登录已失效，请重新登录市级平台", log="401 on download")
                        raise UserError(f"无法下载材料：{problem_of(r)[1]}",
                                        log=f"download {sha256[:12]} -> {r.status_code}")
                    mode = "ab" if r.status_code == 206 else "wb"
                    with part.open(mode) as f:
                        for block in r.iter_bytes(256 * 1024):
                            f.write(block)
                            grew = True
                            if progress:
                                progress(f.tell(), size)
                        f.flush()
                        os.fsync(f.fileno())
        except httpx.TransportError as e:
            failures = 0 if grew else failures + 1
            log.info("download of %s interrupted at %d: %s", sha256[:12], have, e)
            if failures >= client.policy.attempts:
                raise link_down("下载中断") from e
            if not grew:
                client.sleep(client.policy.delay(failures))
            continue
        if part.stat().st_size < size:
            failures = 0 if grew else failures + 1
            if failures >= client.policy.attempts:
                raise link_down("下载没有进展")
            continue
        if file_sha256(part) != sha256:
            part.unlink()
            failures += 1
            if failures >= client.policy.attempts:
                raise UserError("下载的材料校验不符，请稍后重试", log=f"downloaded {sha256[:12]} does not match")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(part, target)
        return
