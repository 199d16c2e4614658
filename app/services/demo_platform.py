"""A throwaway city platform for demo mode: seeded, on 127.0.0.1, gone when the window closes.

Demo mode shows the whole loop — cases waiting, uploading, synced — so it runs the
reference platform (``python -m city_platform``) as a child process when its optional
dependencies are installed, and falls back to an offline demo when they are not.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import json
import logging
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

log = logging.getLogger("services.demo")

#: seconds the platform may take to answer its first health check
START_TIMEOUT = 30.0


def available() -> bool:
    """True if the platform's optional dependencies (``chuangkou[platform]``) are installed."""
    return all(importlib.util.find_spec(m) is not None for m in ("fastapi", "uvicorn", "sqlalchemy"))


@dataclass
class DemoPlatform:
    """A running platform process and what its demo seed created."""

    url: str
    units: list[dict[str, Any]]
    users: list[dict[str, Any]]
    process: subprocess.Popen[bytes]

    def township(self) -> dict[str, Any]:
        """The first township unit: the demo window works as its clerk."""
        return next(u for u in self.units if u["tier"] == "township")

    def clerk_of(self, unit: str) -> dict[str, Any]:
        return self.user_of(unit, "clerk")

    def user_of(self, unit: str, role: str) -> dict[str, Any]:
        """The demo account of ``role`` at ``unit`` (the A-post one, for a clerk)."""
        return next(u for u in self.users if u["unit"] == unit and u["role"] == role
                    and u["username"].startswith(f"{role}-"))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    # Linux: the platform goes when the window's process goes, even if it is killed.
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start(folder: Path) -> DemoPlatform:
    """Seed a platform database in ``folder`` and serve it; raises RuntimeError if it won't start."""
    folder.mkdir(parents=True, exist_ok=True)
    db = f"sqlite:///{folder / 'platform.sqlite3'}"
    seeded = subprocess.run([sys.executable, "-m", "city_platform", "seed", "--db", db, "--demo", "--json"],
                            capture_output=True, text=True, timeout=120, check=False)
    if seeded.returncode != 0:
        raise RuntimeError(f"seeding the demo platform failed: {seeded.stderr.strip()[-500:]}")
    info = json.loads(seeded.stdout)
    port = _free_port()
    log_file = (folder / "platform.log").open("ab")
    if not (folder / "pki").exists():  # the demo's own CA: the window can ask for a seal certificate
        subprocess.run([sys.executable, "-m", "city_platform", "ca", "init", "--pki", str(folder / "pki")],
                       capture_output=True, timeout=120, check=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "city_platform", "serve", "--db", db, "--blobs", str(folder / "blobs"),
         "--host", "127.0.0.1", "--port", str(port), "--pki", str(folder / "pki")],
        stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
    log_file.close()
    platform = DemoPlatform(f"http://127.0.0.1:{port}", info["units"], info["users"], process)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the demo platform exited with {process.returncode}; see {folder / 'platform.log'}")
        try:
            if httpx.get(f"{platform.url}/api/v1/health", timeout=1).status_code == 200:
                log.info("demo platform up at %s", platform.url)
                return platform
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    platform.stop()
    raise RuntimeError(f"the demo platform did not answer within {START_TIMEOUT:.0f} s")
