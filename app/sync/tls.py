"""Whom the client trusts for the platform's HTTPS, and how a refused certificate reads.

Verification is always on: there is no setting to turn it off. Trust comes from one of two
places:

* ``platform.ca_bundle`` set: the unit's own CA certificates (government intranets run private
  CAs), and only those — a certificate from any other CA, public ones included, is refused.
* empty: the operating system's trust store, through :func:`ssl.create_default_context`. On
  Windows that loads the machine's ROOT and CA stores, where a unit's IT department deploys its
  CA by group policy; on UOS/Kylin it reads ``/etc/ssl/certs``, which ``update-ca-certificates``
  keeps. httpx's default, certifi's copy of Mozilla's list, would ignore a CA installed
  either way. (``truststore`` would add Windows' own chain building and revocation checks; it is
  not a dependency yet, and the standard library covers where the CA is put.)

The bundle is read here, not by OpenSSL: OpenSSL's own file opening fails on Windows for a path
with Chinese characters, and reading it ourselves lets a PEM file carry comments in any
encoding and a DER file (what Windows exports as ``.cer``) work too.
"""

from __future__ import annotations

import logging
import os
import re
import ssl
import sys
from pathlib import Path

from app.core.errors import N_, UserError

log = logging.getLogger("sync.tls")

#: a bundle of every public root is ~250 KB; a file far larger is not a CA bundle
MAX_BUNDLE = 8 << 20
_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----\s.*?-----END CERTIFICATE-----", re.DOTALL)
# Where Linux distributions keep the system bundle, for an OpenSSL (a packaged build's own)
# whose compiled-in default folder does not exist on this machine.
_LINUX_BUNDLES = ("/etc/ssl/certs/ca-certificates.crt",  # Debian, UOS, Kylin, Ubuntu
                  "/etc/pki/tls/certs/ca-bundle.crt",  # Fedora, RHEL, openEuler
                  "/etc/ssl/ca-bundle.pem", "/etc/ssl/cert.pem")
ASK = N_("请联系技术人员核对设置 platform.ca_bundle。")


class UnusableCABundle(UserError):
    """The unit's CA bundle file is missing, unreadable or holds no certificate."""


class CertificateRefused(UserError):
    """The platform's certificate did not verify: nothing more is sent to it."""


def ssl_context(ca_bundle: str = "") -> ssl.SSLContext:
    """A verifying client context trusting ``ca_bundle``'s certificates, or the system's if empty."""
    context = _bundle_context(ca_bundle) if ca_bundle else _system_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _system_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    paths = ssl.get_default_verify_paths()
    if sys.platform.startswith("linux") and not (paths.cafile or paths.capath):
        for candidate in _LINUX_BUNDLES:
            if os.path.isfile(candidate):
                context.load_verify_locations(cafile=candidate)
                break
        else:
            log.warning("no system CA bundle found; every platform certificate will be refused")
    return context


def _bundle_context(ca_bundle: str) -> ssl.SSLContext:
    path = Path(ca_bundle)
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BUNDLE + 1)
    except FileNotFoundError:
        raise UnusableCABundle("找不到单位 CA 证书文件“{path}”。{ask}",
                               path=path, ask=ASK, log=f"CA bundle {path} not found") from None
    except OSError as e:
        raise UnusableCABundle("无法读取单位 CA 证书文件“{path}”（{reason}）。{ask}",
                               path=path, reason=e.strerror or e, ask=ASK,
                               log=f"CA bundle {path} unreadable: {e!r}") from None
    invalid = UnusableCABundle("单位 CA 证书文件“{path}”中没有可用的证书（应为 PEM 或 DER 格式的 CA 证书）。{ask}",
                               path=path, ask=ASK,
                               log=f"CA bundle {path} ({len(data)} bytes) holds no usable certificate")
    if not data or len(data) > MAX_BUNDLE:
        raise invalid
    blocks = _PEM.findall(data)
    # PEM text goes in as ASCII text; anything else is tried as one DER certificate.
    cadata: str | bytes = b"\n".join(blocks).decode("ascii", "replace") if blocks else data
    try:
        return ssl.create_default_context(cadata=cadata)
    except (ssl.SSLError, ValueError) as e:
        raise UnusableCABundle(invalid.message, log=f"{invalid.log}: {e}") from None


def certificate_failure(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate verification error behind ``exc`` (httpx wraps it twice), if that is its cause."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None


def certificate_refused(error: ssl.SSLCertVerificationError, host: str, ca_bundle: str) -> CertificateRefused:
    trust = f"CA bundle {ca_bundle}" if ca_bundle else "the system trust store"
    where = f"platform.ca_bundle：{ca_bundle}" if ca_bundle else "platform.ca_bundle"
    return CertificateRefused(
        "无法验证平台的安全证书，已停止同步。办件仍保存在本机，不会丢失。"
        "请联系技术人员核对平台地址和本机的单位 CA 证书设置（{where}）。", where=where,
        log=f"TLS certificate of {host} refused: {error.verify_message or error.reason or error} "
            f"(verify code {error.verify_code}; trusting {trust})")
