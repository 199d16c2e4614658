"""Which addresses the city platform may have: https, or plain http only to this machine.

Cases carry residents' ID numbers, phones and scanned ID cards; over plain http anyone on the
way (the township's router, the county's switch room) could read or change them, and the
bearer token with them. Plain http stays allowed to loopback only, where nothing leaves the
PC: the demo platform, the tests, an engineer's own bench.

Pure rules: the client (:mod:`app.sync.client`) applies them before it sends a byte, and the
settings (:mod:`app.core.settings`) when a new address is typed.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from app.core.errors import N_, UserError

INSECURE = (N_("平台地址必须使用 https://（仅本机测试可用 http://），而现在是“{url}”：办件和个人信息不能在网络上明文传输。"
            "请联系技术人员核对平台地址。"))
INVALID = N_("平台地址“{url}”无效，应形如 https://平台域名。请联系技术人员核对平台地址。")


class UnsafePlatformAddress(UserError):
    """The platform's address is not one the client may send cases to."""


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` (a name, or an address with or without brackets) is this machine.

    Only ``localhost`` and literal loopback addresses count: another name could resolve
    anywhere, and a resolver is not asked (asking would already leave the PC).
    """
    host = host.strip().strip("[]").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def check_address(url: str, scheme: str, host: str) -> None:
    """Refuse ``url`` given its scheme and host as some URL parser read them."""
    shown = url[:200]
    if scheme.lower() not in ("http", "https") or not host:
        raise UnsafePlatformAddress(INVALID.format(url=shown), log=f"platform address {shown!r} is not an http(s) URL")
    if scheme.lower() == "http" and not is_loopback_host(host):
        raise UnsafePlatformAddress(INSECURE.format(url=shown),
                                    log=f"plain http refused for platform host {host!r} (not loopback): use https")


def check_platform_url(url: str) -> None:
    """Raise :class:`UnsafePlatformAddress` unless ``url`` may be the platform's; empty means offline."""
    if not url:
        return
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        _ = parts.port  # a port that is not a number is refused here, not at the first sync
    except ValueError:
        raise UnsafePlatformAddress(INVALID.format(url=url[:200]),
                                    log=f"platform address {url[:200]!r} does not parse") from None
    check_address(url, parts.scheme, host)
