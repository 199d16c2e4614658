"""Resumable, hash-checked downloads of a forwarded case's materials (HTTP Range).

Downloads go through the client like every other request: its origin rule, its run budget,
its retry policy and its token refresh. The body is capped at the blob's size: a platform
that sends more, or something else, is stopped there and the partial file is checked by hash.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import httpx

from app.core.errors import UserError
from app.store.blobs import PartialBlob
from app.store.faults import translating
from app.sync.client import LoginRequired, PlatformClient, Reply, link_down, problem_of
from app.sync.retry import retryable_status

log = logging.getLogger("sync.download")

Progress = Callable[[int, int], None]
#: a download may take this long per attempt (each attempt resumes where the last stopped)
DOWNLOAD_DEADLINE = 300.0


@translating  # a full or read-only disk under the partial file is the clerk's to fix, not a bug
def download(client: PlatformClient, sha256: str, size: int, part: PartialBlob,
             progress: Progress | None = None) -> None:
    """Fetch blob ``sha256`` into the store via ``part``, resuming from what ``part`` holds (sealed)."""
    failures, refreshed = 0, False
    for _ in range(4 * client.policy.attempts + 4):  # every pass either grows the file or counts a failure
        have = part.size()
        if have > size:
            part.reset()
            have = 0
        grew = False
        try:
            if have < size:
                headers = {**client.auth_headers(), **({"Range": f"bytes={have}-"} if have else {})}
                with client.stream(f"/api/v1/blobs/{sha256}", headers, cap=size - have if have else size,
                                   deadline=DOWNLOAD_DEADLINE) as (status, reply_headers, chunks):
                    if status == 401 and not refreshed:
                        refreshed = True
                        client.request("GET", "/api/v1/me")  # refreshes the access token
                        continue
                    if status not in (200, 206) or (status == 206 and not _starts_at(reply_headers, have)):
                        body = b"".join(_bounded(chunks, 64 * 1024))
                        if retryable_status(status):
                            raise httpx.TransportError(f"HTTP {status}")
                        if status == 401:
                            raise LoginRequired("登录已失效，请重新登录市级平台", log="401 on download")
                        if status == 206:
                            raise httpx.TransportError("206 at another offset")
                        reply = Reply(status, reply_headers, body, sha256)
                        raise UserError("无法下载材料：{reason}", reason=problem_of(reply)[1],
                                        log=f"download {sha256[:12]} -> {status}")
                    if status == 200:
                        part.reset()
                    with part.appending(have if status == 206 else 0) as f:
                        for block in chunks:
                            f.write(block)
                            grew = True
                            if progress:
                                progress(f.tell(), size)
        except httpx.TransportError as e:
            failures = 0 if grew else failures + 1
            log.info("download of %s interrupted at %d: %s", sha256[:12], have, e)
            if failures >= client.policy.attempts:
                raise link_down("下载中断") from e
            if not grew:
                client.wait_before_retry(client.policy.delay(failures), None, "下载中断")
            continue
        if part.size() < size:
            failures = 0 if grew else failures + 1
            if failures >= client.policy.attempts:
                raise link_down("下载没有进展")
            continue
        if not part.finish():  # stored sealed when whole and right; reset when not
            failures += 1
            if failures >= client.policy.attempts:
                raise UserError("下载的材料校验不符，请稍后重试", log=f"downloaded {sha256[:12]} does not match")
            continue
        return
    raise link_down("下载多次中断")


def _starts_at(headers: httpx.Headers, offset: int) -> bool:
    """Whether a 206 reply's Content-Range starts where we asked."""
    value = headers.get("content-range", "")
    unit, _, spec = value.partition(" ")
    return bool(unit == "bytes" and spec.split("-", 1)[0].strip() == str(offset))


def _bounded(chunks: Iterator[bytes], cap: int) -> list[bytes]:
    out, seen = [], 0
    for chunk in chunks:
        out.append(chunk)
        seen += len(chunk)
        if seen >= cap:
            break
    return out
