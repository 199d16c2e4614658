"""tus 1.0 resumable uploads: core, creation, checksum, termination and expiration.

Bytes that reach the server before a link drops are kept, so an upload resumes at the
server's offset ("drops at 90 %, resumes at 90 %"). A chunk sent with ``Upload-Checksum``
that arrives whole but does not match is discarded (460); one cut off in the middle keeps
its received prefix even so: nothing becomes a blob before the whole file's size and
SHA-256 are checked, so a damaged prefix can never be accepted.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import email.utils
import hashlib
import logging
import os
import secrets
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import delete, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from city_platform.blobstore import file_sha256, is_sha256
from city_platform.deps import Platform, PlatformDep, UserDep, problem
from city_platform.models import Blob, Upload, utcnow

log = logging.getLogger("platform.tus")

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,checksum,termination,expiration"
CHECKSUMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "md5": hashlib.md5}

router = APIRouter(prefix="/files", tags=["tus"])
_locks: dict[str, asyncio.Lock] = {}


def _headers(**extra: str) -> dict[str, str]:
    return {"Tus-Resumable": TUS_VERSION, "Cache-Control": "no-store", **extra}


def _http_date(moment: dt.datetime) -> str:
    return email.utils.format_datetime(moment.astimezone(dt.UTC), usegmt=True)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _check_version(request: Request) -> None:
    if request.headers.get("tus-resumable") != TUS_VERSION:
        raise problem(412, "tus_version", "上传协议版本不符", {"Tus-Version": TUS_VERSION})


def parse_metadata(raw: str) -> dict[str, str]:
    """``Upload-Metadata``: comma-separated ``key base64(value)`` pairs."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        key, _, value = part.partition(" ")
        if not key or " " in value.strip():
            raise problem(400, "bad_metadata", "上传信息格式错误")
        try:
            out[key] = base64.b64decode(value.strip(), validate=True).decode() if value else ""
        except (binascii.Error, UnicodeDecodeError):
            raise problem(400, "bad_metadata", "上传信息格式错误") from None
    return out


@router.options("", include_in_schema=False)
def options(platform: PlatformDep) -> Response:
    return Response(status_code=204, headers=_headers(
        **{"Tus-Version": TUS_VERSION, "Tus-Extension": EXTENSIONS, "Tus-Max-Size": str(platform.config.max_blob),
           "Tus-Checksum-Algorithm": ",".join(CHECKSUMS)}))


@router.post("", status_code=201, summary="Create an upload (tus creation)",
             responses={201: {"description": "created; Location names the upload"}})
def create(request: Request, platform: PlatformDep, user: UserDep) -> Response:
    _check_version(request)
    try:
        length = int(request.headers.get("upload-length", ""))
    except ValueError:
        raise problem(400, "bad_length", "缺少或错误的文件大小（Upload-Length）") from None
    if length < 0:
        raise problem(400, "bad_length", "文件大小不能为负数")
    if length > platform.config.max_blob:
        raise problem(413, "too_large", "文件过大，平台不接收")
    raw = request.headers.get("upload-metadata", "")
    meta = parse_metadata(raw)
    sha = meta.get("sha256", "").lower() or None
    if sha is not None and not is_sha256(sha):
        raise problem(400, "bad_metadata", "文件校验值格式错误")
    upload_id = secrets.token_hex(16)
    expires = utcnow() + dt.timedelta(seconds=platform.config.upload_ttl)
    with platform.db.writing() as session:
        session.execute(delete(Upload).where(Upload.expires_at < utcnow()))
        session.add(Upload(id=upload_id, username=user.username, length=length, offset=0, sha256=sha,
                           metadata_raw=raw[:2000], expires_at=expires))
    platform.blobs.upload_path(upload_id).touch()
    location = str(request.url_for("tus_head", upload_id=upload_id))
    if length == 0:
        _finish(platform, upload_id)
    return Response(status_code=201, headers=_headers(**{"Location": location, "Upload-Expires": _http_date(expires)}))


def _load(platform: Platform, upload_id: str, username: str) -> Upload:
    with platform.db.session() as session:
        row = session.get(Upload, upload_id)
    if row is None or row.username != username:
        raise problem(404, "no_upload", "找不到该上传，请重新上传", _headers())
    if _aware(row.expires_at) <= utcnow():
        raise problem(410, "expired", "该上传已过期，请重新上传", _headers())
    return row


@router.head("/{upload_id}", name="tus_head", summary="Where an upload stands (tus core)")
async def head(upload_id: str, request: Request, platform: PlatformDep, user: UserDep) -> Response:
    _check_version(request)
    # A PATCH cut off a moment ago may still be saving what it received: wait for it, or
    # the client would resume at a stale offset and send those bytes again.
    async with _locks.setdefault(upload_id, asyncio.Lock()):
        row = await run_in_threadpool(_load, platform, upload_id, user.username)
    return Response(status_code=200, headers=_headers(**{
        "Upload-Offset": str(row.offset), "Upload-Length": str(row.length),
        "Upload-Expires": _http_date(_aware(row.expires_at))}))


@router.delete("/{upload_id}", status_code=204, summary="Abandon an upload (tus termination)")
def terminate(upload_id: str, request: Request, platform: PlatformDep, user: UserDep) -> Response:
    _check_version(request)
    _load(platform, upload_id, user.username)
    with platform.db.writing() as session:
        session.execute(delete(Upload).where(Upload.id == upload_id))
    platform.blobs.upload_path(upload_id).unlink(missing_ok=True)
    return Response(status_code=204, headers=_headers())


def _parse_checksum(header: str | None) -> tuple[str, bytes] | None:
    if not header:
        return None
    algo, _, value = header.strip().partition(" ")
    if algo not in CHECKSUMS:
        raise problem(400, "bad_checksum_algorithm", "不支持的校验算法", _headers())
    try:
        return algo, base64.b64decode(value, validate=True)
    except binascii.Error:
        raise problem(400, "bad_checksum", "校验值格式错误", _headers()) from None


@router.patch("/{upload_id}", status_code=204, summary="Append bytes at the offset (tus core)")
async def patch(upload_id: str, request: Request, platform: PlatformDep, user: UserDep) -> Response:
    _check_version(request)
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/offset+octet-stream":
        raise problem(415, "bad_content_type", "上传内容类型应为 application/offset+octet-stream", _headers())
    try:
        claimed = int(request.headers.get("upload-offset", ""))
    except ValueError:
        raise problem(400, "bad_offset", "缺少或错误的上传位置（Upload-Offset）", _headers()) from None
    checksum = _parse_checksum(request.headers.get("upload-checksum"))
    lock = _locks.setdefault(upload_id, asyncio.Lock())
    async with lock:
        row = await run_in_threadpool(_load, platform, upload_id, user.username)
        if claimed != row.offset:
            raise problem(409, "offset_mismatch", "上传位置与平台不一致，请先查询位置",
                          _headers(**{"Upload-Offset": str(row.offset)}))
        written, complete, hasher = 0, False, (CHECKSUMS[checksum[0]]() if checksum else None)
        path = platform.blobs.upload_path(upload_id)
        with path.open("r+b") as f:
            f.seek(row.offset)
            f.truncate()
            try:
                async for block in request.stream():
                    if row.offset + written + len(block) > row.length:
                        f.truncate(row.offset)
                        raise problem(413, "beyond_length", "上传内容超出声明的文件大小", _headers())
                    f.write(block)
                    written += len(block)
                    if hasher:
                        hasher.update(block)
                complete = True
            except ClientDisconnect:
                log.info("upload %s cut after %d bytes of this chunk; keeping them", upload_id, written)
            f.flush()
            os.fsync(f.fileno())
            if complete and checksum and hasher and hasher.digest() != checksum[1]:
                f.truncate(row.offset)
                raise problem(460, "checksum_mismatch", "数据块校验不符，请重传该数据块",
                              _headers(**{"Upload-Offset": str(row.offset)}))
        offset = row.offset + written
        await run_in_threadpool(_save_offset, platform, upload_id, offset)
        if offset == row.length:
            await run_in_threadpool(_finish, platform, upload_id)
        return Response(status_code=204, headers=_headers(**{
            "Upload-Offset": str(offset), "Upload-Expires": _http_date(_aware(row.expires_at))}))


def _save_offset(platform: Platform, upload_id: str, offset: int) -> None:
    with platform.db.writing() as session:
        row = session.get(Upload, upload_id)
        if row is not None:
            row.offset = offset


def _finish(platform: Platform, upload_id: str) -> str:
    """Check the whole file's size and hash; make it a blob. Raises 460 on a mismatch."""
    with platform.db.session() as session:
        row = session.get(Upload, upload_id)
    assert row is not None
    path = platform.blobs.upload_path(upload_id)
    actual = file_sha256(path)
    size = path.stat().st_size
    if size != row.length or (row.sha256 and actual != row.sha256):
        log.warning("upload %s failed verification: size %d/%d sha256 %s expected %s",
                    upload_id, size, row.length, actual, row.sha256)
        with platform.db.writing() as session:
            session.execute(delete(Upload).where(Upload.id == upload_id))
        path.unlink(missing_ok=True)
        raise problem(460, "hash_mismatch", "文件校验不符，平台未接收，请重新上传", _headers())
    with platform.db.writing() as session:
        platform.blobs.adopt(upload_id, actual)
        if session.scalar(select(Blob.sha256).where(Blob.sha256 == actual)) is None:
            session.add(Blob(sha256=actual, size=size))
        session.execute(delete(Upload).where(Upload.id == upload_id))
    _locks.pop(upload_id, None)
    log.info("blob %s accepted (%d bytes)", actual[:12], size)
    return actual


def upload_info(platform: Platform, upload_id: str) -> dict[str, Any] | None:
    with platform.db.session() as session:
        row = session.get(Upload, upload_id)
        return None if row is None else {"offset": row.offset, "length": row.length}
