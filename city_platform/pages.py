"""The platform's public HTML pages (no sign-in): one plain skeleton, no scripts, never cached or indexed."""

from __future__ import annotations

import html
from collections.abc import Mapping

from fastapi.responses import HTMLResponse

_SKELETON = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body style="font-family: sans-serif; max-width: {width}; margin: 2em auto; padding: 0 1em">
<h1 style="font-size: 1.4em">{title}</h1>
{body}
</body></html>
"""


def public_page(title: str, body: str, *, status: int = 200, width: str = "32em",
                headers: Mapping[str, str] | None = None) -> HTMLResponse:
    """``body`` (HTML its caller escaped) under ``title`` (escaped here)."""
    page = _SKELETON.format(title=html.escape(title), width=width, body=body)
    return HTMLResponse(page, status_code=status,
                        headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex", **(headers or {})})
