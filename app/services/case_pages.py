"""A received case's page images for the window: thumbnails, and one page at full size.

A case's pages are blobs. A case forwarded here from another unit has its rows before its page
files (they download later, lazily), so a page may be missing on this PC: that is a user error
that says so, never a crash. Looking at a page at full size is a view of personal data and is
recorded (:func:`app.services.audit.view_page`); the thumbnails are part of opening the case,
which is recorded once.
"""

from __future__ import annotations

from collections.abc import Callable

from app.core.errors import UserError
from app.imaging.arrays import Image
from app.imaging.thumbnail import preview
from app.services import audit
from app.services.context import AppContext
from app.store.crypto import WrongKey


def _missing(sha256: str, e: Exception) -> UserError:
    return UserError("这一页的图像尚未从平台下载到本机，同步后即可查看",
                     log=f"case page {sha256[:12]} not on this PC: {e}")


def _unreadable(sha256: str, e: Exception) -> UserError:
    return UserError("这一页的图像无法读取，请联系技术支持核查数据文件", log=f"case page {sha256[:12]} unreadable: {e}")


def _shown(sha256: str, rotation: int, side: int, read: Callable[[], bytes]) -> Image:
    """The page ``read`` gives, fitting ``side`` and turned; a missing or unreadable file is said so."""
    try:
        data = read()
    except FileNotFoundError as e:
        raise _missing(sha256, e) from e
    except WrongKey as e:
        raise _unreadable(sha256, e) from e
    try:
        return preview(data, side, rotation)
    except ValueError as e:
        raise _unreadable(sha256, e) from e


def thumbnail(ctx: AppContext, sha256: str, rotation: int, side: int) -> Image:
    """Stored page ``sha256`` as RGB pixels fitting ``side``, turned as it is shown."""
    return _shown(sha256, rotation, side, lambda: ctx.store.blobs.read(sha256))


def view(ctx: AppContext, case_id: str, material: str, page_no: int, sha256: str, rotation: int,
         side: int) -> Image:
    """Page ``page_no`` (from 1) of ``material`` at up to ``side`` pixels, the look recorded first."""
    return _shown(sha256, rotation, side, lambda: audit.view_page(ctx, case_id, material, page_no, sha256))
