"""A seeded platform served from a thread of the test process: its app object at hand (its
route table, its config), reached over real HTTP on 127.0.0.1 like the platform process."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from city_platform.app import create_app
from city_platform.config import PlatformConfig
from city_platform.database import Database
from city_platform.seed import seed_demo
from tests.support.platform import free_port


@contextmanager
def served_platform(folder: Path, **config: Any) -> Iterator[tuple[FastAPI, str, dict[str, Any]]]:
    """Seed a platform in ``folder`` and serve it; yields (app, base url, the seed's output).

    ``config``: further :class:`PlatformConfig` fields (``strict_actor=True``…).
    """
    url = f"sqlite:///{folder / 'platform.sqlite3'}"
    db = Database(url)
    try:
        seeded = seed_demo(db)
    finally:
        db.dispose()
    app = create_app(PlatformConfig(db_url=url, blobs_dir=folder / "blobs", **config))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, name="platform", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the in-process platform did not start")
            time.sleep(0.02)
        yield app, f"http://127.0.0.1:{port}", seeded
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.platform.db.dispose()
