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
import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from sqlalchemy import delete, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from app.core.permissions import Permission, why_not_granted
from app.store.blobs import file_sha256
from city_platform.blobstore import is_sha256
from city_platform.config import MAX_BLOB
from city_platform.deps import Platform, PlatformDep, UserDep, problem
from city_platform.models import Blob, BlobHolder, Upload, User, utcnow
from city_platform.schemas import ErrorBody

log = logging.getLogger("platform.tus")

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,checksum,termination,expiration"
CHECKSUMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "md5": hashlib.md5}

_UPLOAD_ID = re.compile(r"[0-9a-f]{32}")
_DIGITS = re.compile(r"[0-9]{1,18}")
_DESCRIPTIONS = {
    400: "a header is missing or malformed", 401: "not signed in", 403: "the caller's role uploads nothing",
    404: "no such upload (or not yours)",
    409: "Upload-Offset differs from the server's offset", 410: "the upload expired",
    412: "Tus-Resumable is not 1.0.0", 413: "larger than allowed or than Upload-Length",
    415: "Content-Type is not application/offset+octet-stream",
    460: "checksum mismatch: of the chunk (offset unchanged) or of the whole file (upload dropped)",
}


def _doc(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error answers of a route."""
    return {status: {"model": ErrorBody, "description": _DESCRIPTIONS[status]} for status in statuses}


def _header(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "header", "required": True, "schema": schema, "description": description}


_TUS_RESUMABLE = _header("Tus-Resumable", {"type": "string", "enum": [TUS_VERSION]}, "the tus protocol version")
#: OpenAPI for the tus headers the handlers read themselves (tus answers 412, not 422, for a wrong version)
_CREATE_DOC: dict[str, Any] = {"parameters": [
    _TUS_RESUMABLE,
    _header("Upload-Length", {"type": "integer", "minimum": 0, "maximum": MAX_BLOB}, "the file's size in bytes"),
]}
_PATCH_DOC: dict[str, Any] = {
    "parameters": [_TUS_RESUMABLE, _header("Upload-Offset", {"type": "integer", "minimum": 0},
                                           "where these bytes start: the server's offset (HEAD)")],
    "requestBody": {"required": True, "content": {
        "application/offset+octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
}
_VERSION_DOC: dict[str, Any] = {"parameters": [_TUS_RESUMABLE]}
# Successful tus answers are headers only (no body): Response, not JSON, as the default class.
router = APIRouter(prefix="/files", tags=["tus"], responses=_doc(401, 412), default_response_class=Response)


class _UploadLocks:
    """One lock per upload id, held by every request that changes it; dropped when nobody waits.

    Dropping a lock while another request still waits on it (as a plain ``dict.pop`` does)
    would let a third request take a fresh lock and write the same upload at the same time.
    Used from the event loop only.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[asyncio.Lock, list[int]]] = {}

    @asynccontextmanager
    async def hold(self, upload_id: str) -> AsyncIterator[None]:
        lock, users = self._entries.setdefault(upload_id, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                yield
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._entries[upload_id]


_locks = _UploadLocks()


def _headers(**extra: str) -> dict[str, str]:
    return {"Tus-Resumable": TUS_VERSION, "Cache-Control": "no-store", **extra}


def _http_date(moment: dt.datetime) -> str:
    return email.utils.format_datetime(moment.astimezone(dt.UTC), usegmt=True)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _whole_number(text: str | None) -> int | None:
    """A header's non-negative integer (digits only: no sign, spaces or underscores), else None."""
    return int(text) if text is not None and _DIGITS.fullmatch(text) else None


def _check_version(request: Request) -> None:
    if request.headers.get("tus-resumable") != TUS_VERSION:
        raise problem(412, "tus_version", "上传协议版本不符", {"Tus-Version": TUS_VERSION})


def parse_metadata(raw: str) -> dict[str, str]:
    """``Upload-Metadata``: comma-separated ``key base64(value)`` pairs."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        key, _, value = part.partition(" ")
        if not key or " " in value.strip():
            raise problem(400, "bad_metadata", "上传信息格式错误", _headers())
        try:
            out[key] = base64.b64decode(value.strip(), validate=True).decode() if value else ""
        except (binascii.Error, UnicodeDecodeError):
            raise problem(400, "bad_metadata", "上传信息格式错误", _headers()) from None
    return out


@router.options("", include_in_schema=False)
def options(platform: PlatformDep) -> Response:
    return Response(status_code=204, headers=_headers(
        **{"Tus-Version": TUS_VERSION, "Tus-Extension": EXTENSIONS, "Tus-Max-Size": str(platform.config.max_blob),
           "Tus-Checksum-Algorithm": ",".join(CHECKSUMS)}))


@router.post("", status_code=201, summary="Create an upload (tus creation)", openapi_extra=_CREATE_DOC,
             responses={201: {"description": "created; Location names the upload"}, **_doc(400, 403, 413, 460)})
def create(request: Request, platform: PlatformDep, user: UserDep) -> Response:
    """``Upload-Metadata`` may carry ``sha256`` (hex, base64-encoded as tus wants): the upload
    becomes a blob only if the whole file has that hash."""
    _check_version(request)
    refusal = why_not_granted(user.role, Permission.UPLOAD_MATERIALS)
    if refusal:
        raise problem(403, "forbidden", refusal, _headers())
    length = _whole_number(request.headers.get("upload-length"))
    if length is None:
        raise problem(400, "bad_length", "缺少或错误的文件大小（Upload-Length）", _headers())
    if length > platform.config.max_blob:
        raise problem(413, "too_large", "文件过大，平台不接收", _headers())
    raw = request.headers.get("upload-metadata", "")
    meta = parse_metadata(raw)
    sha = meta.get("sha256", "").lower() or None
    if sha is not None and not is_sha256(sha):
        raise problem(400, "bad_metadata", "文件校验值格式错误", _headers())
    upload_id = secrets.token_hex(16)
    expires = utcnow() + dt.timedelta(seconds=platform.config.upload_ttl)
    _drop_expired(platform)
    with platform.db.writing() as session:
        session.add(Upload(id=upload_id, username=user.username, length=length, offset=0, sha256=sha,
                           metadata_raw=raw[:2000], expires_at=expires))
    platform.blobs.upload_path(upload_id).touch()
    location = str(request.url_for("tus_head", upload_id=upload_id))
    if length == 0:
        _finish(platform, upload_id)
    return Response(status_code=201, headers=_headers(**{"Location": location, "Upload-Expires": _http_date(expires)}))


def _drop_expired(platform: Platform) -> None:
    """Forget expired uploads, and free the disk their partial files took."""
    with platform.db.writing() as session:
        expired = list(session.scalars(select(Upload.id).where(Upload.expires_at < utcnow())))
        if expired:
            session.execute(delete(Upload).where(Upload.id.in_(expired)))
    for upload_id in expired:
        platform.blobs.upload_path(upload_id).unlink(missing_ok=True)
    if expired:
        log.info("dropped %d expired uploads", len(expired))


def _load(platform: Platform, upload_id: str, username: str) -> Upload:
    row = None
    if _UPLOAD_ID.fullmatch(upload_id):  # anything else names no upload (and must not reach the database)
        with platform.db.session() as session:
            row = session.get(Upload, upload_id)
    if row is None or row.username != username:
        raise problem(404, "no_upload", "找不到该上传，请重新上传", _headers())
    if _aware(row.expires_at) <= utcnow():
        raise problem(410, "expired", "该上传已过期，请重新上传", _headers())
    return row


def _finished(platform: Platform, row: Upload) -> bool:
    """True once the upload is a blob (its file moved into the store)."""
    return row.offset == row.length and not platform.blobs.upload_path(row.id).exists()


@router.head("/{upload_id}", name="tus_head", summary="Where an upload stands (tus core)",
             openapi_extra=_VERSION_DOC, responses=_doc(404, 410))
async def head(upload_id: str, request: Request, platform: PlatformDep, user: UserDep) -> Response:
    """A finished upload answers Upload-Offset = Upload-Length (tus 1.0): a client that lost
    the last PATCH's reply learns it is done instead of uploading the file again."""
    _check_version(request)
    # A PATCH cut off a moment ago may still be saving what it received: wait for it, or
    # the client would resume at a stale offset and send those bytes again.
    async with _locks.hold(upload_id):
        row = await run_in_threadpool(_load, platform, upload_id, user.username)
        if row.offset == row.length and not _finished(platform, row):
            # All bytes arrived but the check did not run (the process stopped in between): run it now.
            try:
                await run_in_threadpool(_finish, platform, upload_id)
            except HTTPException:  # the file did not match its hash: the upload is gone, start again
                raise problem(404, "no_upload", "找不到该上传，请重新上传", _headers()) from None
    return Response(status_code=200, headers=_headers(**{
        "Upload-Offset": str(row.offset), "Upload-Length": str(row.length),
        "Upload-Expires": _http_date(_aware(row.expires_at))}))


@router.delete("/{upload_id}", status_code=204, summary="Abandon an upload (tus termination)",
               openapi_extra=_VERSION_DOC, responses=_doc(404, 410))
async def terminate(upload_id: str, request: Request, platform: PlatformDep, user: UserDep) -> Response:
    _check_version(request)
    async with _locks.hold(upload_id):  # never while a PATCH is writing the upload
        await run_in_threadpool(_load, platform, upload_id, user.username)
        await run_in_threadpool(_forget, platform, upload_id)
    return Response(status_code=204, headers=_headers())


def _forget(platform: Platform, upload_id: str) -> None:
    with platform.db.writing() as session:
        session.execute(delete(Upload).where(Upload.id == upload_id))
    platform.blobs.upload_path(upload_id).unlink(missing_ok=True)


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


@router.patch("/{upload_id}", status_code=204, summary="Append bytes at the offset (tus core)",
              openapi_extra=_PATCH_DOC, responses=_doc(400, 404, 409, 410, 413, 415, 460))
async def patch(upload_id: str, request: Request, platform: PlatformDep, user: UserDep) -> Response:
    """``Upload-Checksum: <sha1|sha256|md5> <base64 digest>`` checks this chunk (460 if it differs)."""
    _check_version(request)
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/offset+octet-stream":
        raise problem(415, "bad_content_type", "上传内容类型应为 application/offset+octet-stream", _headers())
    claimed = _whole_number(request.headers.get("upload-offset"))
    if claimed is None:
        raise problem(400, "bad_offset", "缺少或错误的上传位置（Upload-Offset）", _headers())
    checksum = _parse_checksum(request.headers.get("upload-checksum"))
    async with _locks.hold(upload_id):
        row = await run_in_threadpool(_load, platform, upload_id, user.username)
        if claimed != row.offset:
            raise problem(409, "offset_mismatch", "上传位置与平台不一致，请先查询位置",
                          _headers(**{"Upload-Offset": str(row.offset)}))
        if _finished(platform, row):
            # Nothing more can be appended; an empty PATCH at the end is answered as done.
            if request.headers.get("content-length", "0") not in ("", "0"):
                raise problem(413, "beyond_length", "上传内容超出声明的文件大小", _headers())
            return Response(status_code=204, headers=_headers(**{
                "Upload-Offset": str(row.offset), "Upload-Expires": _http_date(_aware(row.expires_at))}))
        written, complete, hasher = 0, False, (CHECKSUMS[checksum[0]]() if checksum else None)
        path = platform.blobs.upload_path(upload_id)
        with path.open("r+b") as f:
            f.seek(row.offset)
            f.truncate()
            try:
                async for block in _blocks(request, platform.config.upload_idle_timeout):
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


async def _blocks(request: Request, idle: float) -> AsyncIterator[bytes]:
    """The body block by block; a link silent for ``idle`` seconds counts as cut off.

    A link that dies without a FIN or RST (a pulled cable, a sleeping 4G router) would keep
    the PATCH waiting for bytes forever, holding the upload's lock: the client's resume
    (HEAD, then PATCH) would wait behind it and the upload never finish.
    """
    stream = request.stream()
    try:
        while True:
            try:
                block = await asyncio.wait_for(anext(stream), idle)
            except StopAsyncIteration:
                return
            except TimeoutError:
                log.info("no bytes for %.0f s: treating the link as cut", idle)
                raise ClientDisconnect() from None
            yield block
    finally:
        await stream.aclose()


def _save_offset(platform: Platform, upload_id: str, offset: int) -> None:
    with platform.db.writing() as session:
        row = session.get(Upload, upload_id)
        if row is not None:
            row.offset = offset


def _finish(platform: Platform, upload_id: str) -> str:
    """Check the whole file's size and hash; make it a blob held by the uploader's unit.

    Raises 460 on a mismatch (and forgets the upload). A blob already stored (another unit
    uploaded it) is kept as it is: each hash is stored once, and this unit now holds it too.
    The upload itself is kept, finished, so HEAD can say so.
    """
    with platform.db.session() as session:
        row = session.get(Upload, upload_id)
        user = session.get(User, row.username) if row is not None else None
    if row is None or user is None:
        raise problem(404, "no_upload", "找不到该上传，请重新上传", _headers())
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
        if session.get(Blob, actual) is None or not platform.blobs.has(actual):
            platform.blobs.adopt(upload_id, actual)
        else:
            path.unlink()
        if session.get(Blob, actual) is None:
            session.add(Blob(sha256=actual, size=size))
            session.flush()
        if session.get(BlobHolder, (actual, user.unit)) is None:
            session.add(BlobHolder(sha256=actual, unit=user.unit))
        finished = session.get(Upload, upload_id)
        if finished is not None:
            finished.offset, finished.sha256 = size, actual
    log.info("blob %s accepted from %s (%d bytes)", actual[:12], user.unit, size)
    return actual

