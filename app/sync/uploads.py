"""tus 1.0 uploads that resume at the platform's offset, after a cut or a restart.

The upload URL and offset are saved (by the caller, in SQLite) after every chunk, so a
window restarted mid-upload asks the platform where it stands (HEAD) and goes on from there.
A failure after which the platform's offset moved on is not counted against the retry
budget: a link that keeps dropping but makes progress is slow, not down.

The platform's answers are checked: an offset must be a number between the last one and
the file's size, an upload address must be on the platform's own origin, and an upload the
platform keeps losing (404), refusing (4xx) or corrupting (460) gets at most
``policy.attempts`` tries in a run, with backoff between them, before :class:`UploadFailed`
ends that upload for this run.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.core.errors import UserError
from app.store import kill_points
from app.sync import wire
from app.sync.client import LinkDown, PlatformClient, PlatformError, problem_of

log = logging.getLogger("sync.upload")

TUS = {"Tus-Resumable": "1.0.0"}
CHUNK = 4 * 1024 * 1024
_SLICE = 64 * 1024

#: (bytes the platform has, total) while a blob uploads
Progress = Callable[[int, int], None]
#: (upload URL, offset) to remember; URL "" means forget the upload
SavePosition = Callable[[str, int], None]


@dataclass
class UploadStats:
    """Bytes handed to the socket, bytes the platform gained, and cuts survived.

    ``resent`` (handed over but not gained) also counts bytes still in the kernel's send
    buffer when a link was cut, which never reached the platform: the bytes sent again on
    the wire are measured by the proxy in the tests and ``bench/sync.py``.
    """

    sent: int = 0
    gained: int = 0
    cuts: int = 0

    @property
    def resent(self) -> int:
        return max(self.sent - self.gained, 0)


def _metadata(sha256: str, name: str) -> str:
    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    return f"sha256 {b64(sha256)},filename {b64(name)}"


class UploadFailed(UserError):
    """One upload could not be finished in this run; the others go on."""


class TusUploader:
    """Uploads one file at a time through ``client``; see the module docstring."""

    def __init__(self, client: PlatformClient, *, chunk_size: int = CHUNK) -> None:
        self.client, self.chunk_size = client, chunk_size
        self.stats = UploadStats()
        #: the platform's offset after the last chunk it took (where a cut upload stands)
        self._last_offset = 0

    def upload(self, sha256: str, data: bytes, saved: tuple[str, int] | None, save: SavePosition,
               progress: Progress | None = None) -> None:
        """Upload ``data`` (a blob's plaintext: the platform checks it against ``sha256``)."""
        size = len(data)
        url = saved[0] if saved else ""
        failures, known, first, setbacks = 0, -1, -1, 0
        while True:
            if setbacks >= self.client.policy.attempts:
                raise UploadFailed("平台多次拒收该材料的上传，本次同步先跳过此办件，下次同步时再试；材料仍保存在本机",
                                   log=f"upload of {sha256[:12]}: {setbacks} restarts or refusals, giving up this run")
            if not url:
                url = self._create(sha256, size)
                save(url, 0)
                offset = 0
            else:
                found = self._offset(url, size)
                if found is None:  # expired or unknown to the platform: start again
                    url = ""
                    save("", 0)
                    setbacks += 1
                    self._back_off(setbacks)
                    continue
                offset = found
                save(url, offset)
            if first < 0:
                first = offset
            if known >= 0:
                if offset > known:
                    failures = 0
                else:
                    failures += 1
                    if failures >= self.client.policy.attempts:
                        raise LinkDown("上传多次中断且没有进展，请检查网络后重试",
                                       log=f"upload of {sha256[:12]} stuck at {offset}")
                    self.client.wait_before_retry(self.client.policy.delay(failures), None, "上传中断")
            if progress:
                progress(offset, size)
            try:
                self._send_from(url, sha256, data, offset, save, progress)
                self.stats.gained += size - first
                return
            except LinkDown as e:
                self.stats.cuts += 1
                known = self._last_offset
                log.info("upload of %s interrupted near %d/%d: %s", sha256[:12], known, size, e.log)
            except _Restart:
                url = ""
                save("", 0)
                setbacks += 1
                self._back_off(setbacks)
            except _BadChunk:
                setbacks += 1
                self._back_off(setbacks)

    def _back_off(self, setbacks: int) -> None:
        if setbacks < self.client.policy.attempts:
            self.client.wait_before_retry(self.client.policy.delay(setbacks), None, "上传被平台中止")

    def _create(self, sha256: str, size: int) -> str:
        r = self.client.request("POST", "/files", headers={
            **TUS, "Upload-Length": str(size), "Upload-Metadata": _metadata(sha256, sha256[:16])})
        location = str(r.headers.get("location", ""))
        if not location:
            raise PlatformError("tus create without Location")
        return self.client.resolve(location)

    def _offset(self, url: str, size: int) -> int | None:
        r = self.client.request("HEAD", self.client.resolve(url), headers=TUS, ok=(404, 410))
        if r.status in (404, 410):
            return None
        try:
            return wire.header_int(r.headers.get("upload-offset"), "Upload-Offset", hi=size)
        except wire.WireError as e:
            raise PlatformError(f"tus HEAD {url[-40:]}: {e}") from None

    def _send_from(self, url: str, sha256: str, data: bytes, offset: int, save: SavePosition,
                   progress: Progress | None) -> None:
        self._last_offset = offset
        size = len(data)
        while offset < size:
            chunk = data[offset:offset + self.chunk_size]
            digest = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
            r = self.client.request(
                "PATCH", url, content=self._slices(chunk, offset, size, progress), retry=False, deadline=600.0,
                ok=(404, 409, 410, 460),
                headers={**TUS, "Content-Type": "application/offset+octet-stream", "Upload-Offset": str(offset),
                         "Content-Length": str(len(chunk)), "Upload-Checksum": f"sha256 {digest}"})
            if r.status in (404, 410):
                raise _Restart
            if r.status in (409, 460):
                code, message = problem_of(r)
                if code == "hash_mismatch":  # the whole file did not match its name: ours is damaged
                    raise UploadFailed("本机材料文件校验不符，平台拒收：{detail}", detail=message,
                                       log=f"platform refused blob {sha256[:12]}: hash mismatch")
                log.info("chunk at %d answered %d (%s); asking the platform where it stands", offset, r.status, code)
                raise _BadChunk
            try:
                moved = wire.header_int(r.headers.get("upload-offset"), "Upload-Offset", hi=size)
            except wire.WireError as e:
                raise PlatformError(f"tus PATCH {url[-40:]}: {e}") from None
            if not offset < moved <= offset + len(chunk):
                # an offset that stands still or jumps would loop forever or skip bytes
                raise UploadFailed("平台返回的上传进度异常，本次同步先跳过此办件；材料仍保存在本机",
                                   log=f"tus PATCH at {offset} of {len(chunk)} bytes answered offset {moved}")
            offset = self._last_offset = moved
            kill_points.reached("upload.chunk_sent")
            save(url, offset)
            if progress:
                progress(offset, size)

    def _slices(self, chunk: bytes, offset: int, size: int, progress: Progress | None) -> Iterator[bytes]:
        for start in range(0, len(chunk), _SLICE):
            piece = chunk[start:start + _SLICE]
            self.stats.sent += len(piece)
            yield piece
            if progress:
                progress(offset + start + len(piece), size)


class _Restart(Exception):
    """The platform no longer knows the upload (expired): create a new one."""


class _BadChunk(Exception):
    """A chunk the platform did not take (checksum, conflict): ask for the offset again."""
