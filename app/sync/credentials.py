"""Platform tokens in the OS keyring (Windows Credential Manager, Secret Service on UOS/Kylin).

Tokens are the only secret the client keeps, and never in the database or a config file.
Where no keyring works, signing in still works for one run: set ``CHUANGKOU_PASSWORD`` and
every sync signs in afresh, keeping the tokens in memory only.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from typing import Protocol

import keyring
import keyring.errors

from app.core.errors import N_, UserError

log = logging.getLogger("sync.credentials")
SERVICE = "chuangkou"

NO_KEYRING = (
    N_("本机没有可用的系统密钥环（Windows 凭据管理器或 GNOME 密钥环），无法保存登录状态。"
    "请联系技术人员开启密钥环；临时办法：设置环境变量 CHUANGKOU_PASSWORD 为本人口令，"
    "每次同步时自动登录，口令和令牌都不写入磁盘。")
)


@dataclass(frozen=True, slots=True)
class Tokens:
    """An access/refresh token pair and who it belongs to."""

    user: str
    access: str
    refresh: str


class TokenStore(Protocol):
    """Where a signed-in window keeps its tokens."""

    def load(self) -> Tokens | None: ...
    def save(self, tokens: Tokens) -> None: ...
    def clear(self) -> None: ...


class KeyringUnavailable(UserError):
    """No OS keyring works on this machine."""


class KeyringTokens:
    """Tokens of one person of one unit at one platform in the OS keyring (each person who signs
    in on a PC keeps their own: a PC's steps go up under the token of whoever took them)."""

    def __init__(self, platform_url: str, org: str, user: str) -> None:
        self.account = f"{platform_url.rstrip('/')}#{org}#{user}"

    def load(self) -> Tokens | None:
        try:
            raw = keyring.get_password(SERVICE, self.account)
        except keyring.errors.KeyringError as e:
            raise KeyringUnavailable(NO_KEYRING, log=f"keyring read failed: {type(e).__name__}: {e}") from None
        if not raw:
            return None
        try:
            return Tokens(**json.loads(raw))
        except (ValueError, TypeError):
            log.warning("unreadable tokens in keyring for %s; signing in again", self.account)
            return None

    def save(self, tokens: Tokens) -> None:
        try:
            keyring.set_password(SERVICE, self.account, json.dumps(asdict(tokens)))
        except keyring.errors.KeyringError as e:
            raise KeyringUnavailable(NO_KEYRING, log=f"keyring write failed: {type(e).__name__}: {e}") from None

    def clear(self) -> None:
        try:
            keyring.delete_password(SERVICE, self.account)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as e:
            raise KeyringUnavailable(NO_KEYRING, log=f"keyring delete failed: {e}") from None


class MemoryTokens:
    """Tokens for this process only: the documented fallback where no keyring works."""

    def __init__(self) -> None:
        self._tokens: Tokens | None = None

    def load(self) -> Tokens | None:
        return self._tokens

    def save(self, tokens: Tokens) -> None:
        self._tokens = tokens

    def clear(self) -> None:
        self._tokens = None
