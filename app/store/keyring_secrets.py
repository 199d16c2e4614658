"""Secrets of a data folder in the OS keyring: the keyring slot's secret and the command line's session.

Where no keyring works (these build machines; a counter PC whose Secret Service is not running)
every call answers None or False and the caller goes on without: a sign-in with a password
still opens the folder through the user's own slot.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
from typing import Any

import keyring
import keyring.errors

log = logging.getLogger("store.keyring")
SLOT_SERVICE = "chuangkou-data"
SESSION_SERVICE = "chuangkou-session"


def _get(service: str, account: str) -> str | None:
    try:
        return keyring.get_password(service, account)
    except keyring.errors.KeyringError as e:
        log.info("no keyring (%s): %s", type(e).__name__, e)
        return None


def _set(service: str, account: str, value: str) -> bool:
    try:
        keyring.set_password(service, account, value)
        return True
    except keyring.errors.KeyringError as e:
        log.info("no keyring (%s): %s", type(e).__name__, e)
        return False


def _delete(service: str, account: str) -> None:
    with contextlib.suppress(keyring.errors.KeyringError):  # not there, or no keyring: nothing to delete
        keyring.delete_password(service, account)


def slot_secret(folder: str) -> bytes | None:
    raw = _get(SLOT_SERVICE, folder)
    try:
        return base64.b64decode(raw, validate=True) if raw else None
    except ValueError:
        log.warning("unreadable keyring slot secret for folder %s", folder)
        return None


def new_slot_secret(folder: str) -> bytes | None:
    """A fresh secret kept in the keyring for ``folder``; None if no keyring works."""
    secret = os.urandom(32)
    return secret if _set(SLOT_SERVICE, folder, base64.b64encode(secret).decode()) else None


def forget_slot_secret(folder: str) -> None:
    _delete(SLOT_SERVICE, folder)


def session(folder: str) -> dict[str, Any] | None:
    raw = _get(SESSION_SERVICE, folder)
    try:
        value = json.loads(raw) if raw else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def keep_session(folder: str, value: dict[str, Any]) -> bool:
    return _set(SESSION_SERVICE, folder, json.dumps(value))


def end_session(folder: str) -> None:
    _delete(SESSION_SERVICE, folder)
