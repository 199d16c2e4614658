"""Is the platform answering? One short, unauthenticated look at its health endpoint.

The window asks every few seconds, apart from sync runs (which can spend minutes retrying), so
the status bar says 离线 within seconds of the link going down and 在线 as soon as it is back.
Anything but a well-formed ``{"status": "ok"}`` in time counts as not answering.
"""

from __future__ import annotations

import logging

import httpx

from app.sync.tls import ssl_context

log = logging.getLogger("sync.probe")
HEALTH_PATH = "/api/v1/health"
#: longer than a healthy platform takes on a slow township link; short enough to say 离线 soon
TIMEOUT_SECONDS = 5.0
MAX_BYTES = 4096


def platform_answers(url: str, ca_bundle: str = "", timeout: float = TIMEOUT_SECONDS) -> bool:
    """True when the platform at ``url`` answers its health check in ``timeout`` seconds."""
    try:
        client = httpx.Client(verify=ssl_context(ca_bundle) if url.startswith("https:") else True,
                              timeout=timeout, follow_redirects=False, trust_env=False)
        with client, client.stream("GET", url.rstrip("/") + HEALTH_PATH) as reply:
            if reply.status_code != 200:
                return False
            body = b""
            for chunk in reply.iter_bytes():
                body += chunk
                if len(body) > MAX_BYTES:
                    return False
        data = httpx.Response(200, content=body).json()
        return isinstance(data, dict) and data.get("status") == "ok"
    except (httpx.HTTPError, ValueError, OSError) as e:
        log.info("platform at %s not answering: %s", url, type(e).__name__)
        return False
