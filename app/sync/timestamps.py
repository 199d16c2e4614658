"""RFC 3161 timestamps from the platform's TSA (``POST /pki/tsa``), as a pyHanko ``TimeStamper``.

The same address rules and TLS trust as every other call to the platform (https, or plain http
to this machine; :mod:`app.sync.tls`), a short deadline, a capped reply, no redirects. Any
failure raises :class:`TimestampUnavailable`: the sealing code catches it and seals without a
timestamp (PAdES B-B), to be stamped at a later sync.
"""

from __future__ import annotations

import logging

import httpx
from asn1crypto import tsp
from pyhanko.sign.timestamps.api import TimeStamper

from app.core.errors import UserError
from app.core.platform_address import check_platform_url
from app.sync import tls

log = logging.getLogger("sync.tsa")
#: a timestamp reply with its certificate is ~1.5 KB
MAX_REPLY = 64 * 1024
#: seconds: sealing at the window must not hang on a thin link
TIMEOUT = 5.0


class TimestampUnavailable(UserError):
    """The platform's time-stamping service could not be reached or did not grant a timestamp."""


def _unavailable(detail: str) -> TimestampUnavailable:
    return TimestampUnavailable("市级平台的时间戳服务暂时无法使用（{detail}），印章将先不带时间戳，联网同步时补加",
                                detail=detail, log=f"timestamp not obtained: {detail}")


class PlatformTimeStamper(TimeStamper):
    """Timestamps from the platform at ``base_url`` (its ``/pki/tsa``)."""

    def __init__(self, base_url: str, *, ca_bundle: str = "", timeout: float = TIMEOUT, path: str = "/pki/tsa") -> None:
        super().__init__(include_nonce=True)  # type: ignore[no-untyped-call]
        check_platform_url(base_url)
        if not base_url:
            raise _unavailable("未设置市级平台地址")
        self.url = base_url.rstrip("/") + path
        self.ca_bundle = ca_bundle
        self.timeout = timeout

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        try:
            async with httpx.AsyncClient(verify=tls.ssl_context(self.ca_bundle), timeout=self.timeout,
                                         follow_redirects=False) as client, \
                    client.stream("POST", self.url, content=req.dump(),
                                  headers={"Content-Type": "application/timestamp-query"}) as response:
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > MAX_REPLY:
                        raise _unavailable("答复过大")
                status, media = response.status_code, response.headers.get("content-type", "")
        except httpx.TransportError as e:
            failure = tls.certificate_failure(e)
            if failure is not None:
                raise tls.certificate_refused(failure, self.url, self.ca_bundle) from e
            raise _unavailable("网络中断" if not isinstance(e, httpx.TimeoutException) else "连接超时") from e
        if status != 200 or media.split(";")[0].strip() != "application/timestamp-reply":
            raise _unavailable(f"HTTP {status}")
        try:
            reply = tsp.TimeStampResp.load(bytes(body))
            granted = reply["status"]["status"].native in ("granted", "granted_with_mods")
        except (ValueError, TypeError, KeyError):
            # a rejection carries no token, which asn1crypto's TimeStampResp cannot parse
            granted = False
        if not granted:
            raise _unavailable("时间戳服务拒绝了请求")
        log.info("timestamp obtained from %s", self.url)
        return reply
