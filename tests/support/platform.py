"""The city platform as a real process on 127.0.0.1, for end-to-end tests (plain http, or HTTPS)."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

PASSWORD = "chuangkou-demo"
TOWNSHIP = "12450403MB1904102K"  # 万秀区城东镇便民服务中心
TOWNSHIP_2 = "12450403MB1904103N"  # 万秀区夏郢镇 (same county)
COUNTY = "12450403MB1904031X"  # 万秀区政务服务中心
OTHER_COUNTY = "12450405MB1904051W"  # 长洲区
CITY = "12450400MB1904001F"
TOWNSHIP_3 = "12450405MB19045001"  # 长洲区倒水镇 (under the other county)
#: the city departments (进驻部门) a joint review asks: 发展改革委, 住房城乡建设局, 自然资源局, 生态环境局
FGW, ZJJ, ZRJ, STJ = "11450400MB1904701A", "11450400MB1904702D", "11450400MB1904703G", "11450400MB1904704K"
#: the demo seed's division of each unit: its users are ``<role>-<division>``
DIVISIONS = {CITY: "450400", COUNTY: "450403", OTHER_COUNTY: "450405", TOWNSHIP: "450403102",
             TOWNSHIP_2: "450403103", TOWNSHIP_3: "450405100", FGW: "450400701", ZJJ: "450400702",
             ZRJ: "450400703", STJ: "450400704"}
#: the user each unit signs in as by default: the window at a township, the reviewer above
USERS = {TOWNSHIP: "clerk-450403102", TOWNSHIP_2: "clerk-450403103", COUNTY: "reviewer-450403",
         OTHER_COUNTY: "reviewer-450405", CITY: "reviewer-450400", TOWNSHIP_3: "clerk-450405100"}
#: the window numbers the demo seed allocates (its case numbers carry them)
WINDOWS = {CITY: 11, COUNTY: 21, OTHER_COUNTY: 31, TOWNSHIP: 41, TOWNSHIP_2: 51, TOWNSHIP_3: 61}


def user_of(unit: str, role: str | None = None) -> str:
    """The demo user of ``unit`` in ``role`` (clerk, clerk2 for the B post, reviewer, approver,
    supervisor, archivist, admin); the unit's default user (:data:`USERS`) when None."""
    return USERS[unit] if role is None else f"{role}-{DIVISIONS[unit]}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class ServerTLS:
    """What the platform serves HTTPS with, and the CA that the tests' own requests trust."""

    certfile: Path
    keyfile: Path
    ca_file: Path


class PlatformProcess:
    """``python -m city_platform serve`` with the demo seed, stopped by :meth:`stop` or at exit.

    With ``tls`` it serves HTTPS (``url`` is ``https://127.0.0.1:PORT``) and the helpers here
    verify it against ``tls.ca_file``.
    """

    def __init__(self, folder: Path, db_url: str | None = None, *, access_ttl: int = 900,
                 port: int | None = None, tls: ServerTLS | None = None) -> None:
        self.folder = folder
        self.db_url = db_url or f"sqlite:///{folder / 'platform.sqlite3'}"
        self.port = port or free_port()
        self.tls = tls
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=str(tls.ca_file)) if tls else True
        self.access_ttl = access_ttl
        #: more ``serve`` arguments (e.g. ``--seal-cert-days``)
        self.extra_args: list[str] = []
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = folder / "platform.log"
        #: the platform's CA folder (made at the first start: ``serve --demo``)
        self.pki = folder / "pki"

    def seed(self) -> dict[str, Any]:
        out = subprocess.run(
            [sys.executable, "-m", "city_platform", "seed", "--db", self.db_url, "--demo", "--json"],
            check=True, capture_output=True, timeout=120)
        result: dict[str, Any] = json.loads(out.stdout)
        return result

    def start(self) -> PlatformProcess:
        self.folder.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "city_platform", "serve", "--db", self.db_url, "--blobs",
             str(self.folder / "blobs"), "--host", "127.0.0.1", "--port", str(self.port), "--demo",
             "--test-faults", "--access-ttl", str(self.access_ttl), "--pki", str(self.pki),
             *self.extra_args,
             *(["--ssl-certfile", str(self.tls.certfile), "--ssl-keyfile", str(self.tls.keyfile)] if self.tls else [])],
            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"platform exited: {self.log_path.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/api/v1/health", timeout=1, verify=self.verify).status_code == 200:
                    return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"platform did not start: {self.log_path.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def __enter__(self) -> PlatformProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def token(self, unit: str, role: str | None = None) -> str:
        r = httpx.post(f"{self.url}/api/v1/auth/login",
                       json={"username": user_of(unit, role), "password": PASSWORD}, timeout=10, verify=self.verify)
        r.raise_for_status()
        return str(r.json()["access_token"])

    def fault(self, status: int | None, *, count: int = 1, path_prefix: str = "/api", delay: float | None = None,
              retry_after: float | None = None, after: bool = False) -> None:
        httpx.post(f"{self.url}/_test/faults", json={"status": status, "count": count, "path_prefix": path_prefix,
                                                      "delay": delay, "retry_after": retry_after, "after": after},
                   timeout=10, verify=self.verify).raise_for_status()

    def clear_faults(self) -> None:
        httpx.delete(f"{self.url}/_test/faults", timeout=10, verify=self.verify).raise_for_status()
