"""Real scans from SANE's ``test`` backend (the virtual "frontend-tester" scanner) via ``scanimage``.

The system's ``/etc/sane.d`` is left alone: :meth:`SaneTestBackend.configure` writes a config
folder of its own (a ``dll.conf`` naming only ``test``, and a ``test.conf`` whose scan area
reaches A4) and every ``scanimage`` runs with ``SANE_CONFIG_DIR`` pointing at it. With no
network backends loaded, nothing probes the LAN and a scan of an A4 page takes milliseconds.

The backend draws one of four pictures over the whole scan area: ``Solid white``, ``Solid
black``, ``Grid`` (10 mm black and white squares) and ``Color pattern``. ``--mode`` is Gray or
Color; line-art is Gray at ``--depth 1``. Its feeder ("Automatic Document Feeder") holds ten
sheets, after which it reports itself empty.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal, NoReturn

import pytest

Picture = Literal["Solid white", "Solid black", "Grid", "Color pattern"]
Mode = Literal["Gray", "Color"]
Format = Literal["tiff", "png", "pnm"]

SYSTEM_TEST_CONF = Path("/etc/sane.d/test.conf")
#: Settings of the system's test.conf replaced here: the default scan area is at most 200 mm. With
#: ``select-fd`` the device offers its pipe, as most real backends do: a read that fails at once
#: waits on it for the reader thread to get going before cancelling (app/devices/sane_scanner.py).
_OVERRIDES = {"geometry_max": "300.0", "number_of_devices": "1", "select-fd": "true"}
A4_MM = (210, 297)
log = logging.getLogger("tests.sane")
#: One scan of an A4 page takes milliseconds. Once in many hundred runs the test backend's reader
#: wedges (seen in CI: a 300 dpi colour scan still running after 60 s); a wedged scan is killed
#: and taken again, as a clerk would press 扫描 again.
TIMEOUT_S = 20.0
ATTEMPTS = 3


def unavailable() -> str | None:
    """Why the SANE test scanner cannot be used here, or None when it can."""
    if shutil.which("scanimage") is None:
        return "scanimage not found: install sane-utils and libsane1 (bash tools/sysdeps.sh)"
    return None


def skip_or_fail(reason: str) -> NoReturn:
    """Skip on a developer's machine, fail in CI (``CI`` set), which installs SANE itself."""
    if os.environ.get("CI"):
        pytest.fail(f"SANE test scanner required in CI: {reason}", pytrace=False)
    pytest.skip(f"SANE test scanner unavailable: {reason}")


@dataclass(frozen=True, slots=True)
class SaneTestBackend:
    """``scanimage -d test`` with a private SANE configuration folder."""

    config_dir: Path

    @classmethod
    def configure(cls, config_dir: Path, picture: Picture | None = None) -> SaneTestBackend:
        """Write ``dll.conf`` and ``test.conf`` into ``config_dir`` (created if needed);
        ``picture`` is what the device draws unless a frontend asks for another."""
        config_dir.mkdir(parents=True, exist_ok=True)
        (config_dir / "dll.conf").write_text("test\n", encoding="ascii")
        overrides = {**_OVERRIDES, **({"test-picture": f'"{picture}"'} if picture else {})}
        base = SYSTEM_TEST_CONF.read_text(encoding="latin-1") if SYSTEM_TEST_CONF.is_file() else ""
        kept = [line for line in base.splitlines() if (line.split() or [""])[0] not in overrides]
        ours = ["# Chuangkou tests: one device whose scan area holds an A4 sheet"]
        ours += [f"{key} {value}" for key, value in overrides.items()]
        (config_dir / "test.conf").write_text("\n".join([*kept, *ours, ""]), encoding="latin-1")
        return cls(config_dir)

    def env(self) -> dict[str, str]:
        """The environment ``scanimage`` runs in: only this folder's configuration."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("SANE_")}
        env["SANE_CONFIG_DIR"] = str(self.config_dir)  # no trailing ":": /etc/sane.d is not read
        return env

    def run(self, *args: str, stdout: int | IO[bytes] = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
        """``scanimage ARGS``; AssertionError with its message when it fails."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                done = subprocess.run(["scanimage", *args], env=self.env(), stdout=stdout, stderr=subprocess.PIPE,
                                      timeout=TIMEOUT_S, check=False)
                break
            except subprocess.TimeoutExpired:
                if attempt == ATTEMPTS:
                    raise
                log.warning("scanimage %s wedged after %.0f s; scanning again", " ".join(args), TIMEOUT_S)
                if not isinstance(stdout, int):
                    stdout.seek(0)
                    stdout.truncate()
        if done.returncode != 0:
            raise AssertionError(f"scanimage {' '.join(args)} exited {done.returncode}: "
                                 f"{done.stderr.decode(errors='replace').strip()}")
        return done

    def problem(self) -> str | None:
        """Why the ``test`` device is not listed (the backend not installed), or None."""
        try:
            listed = self.run("-L").stdout.decode(errors="replace")
        except (AssertionError, OSError, subprocess.TimeoutExpired) as e:
            return f"scanimage -L failed: {e}"
        return None if "test:0" in listed else f"no test device listed: {listed.strip()!r}"

    @staticmethod
    def _options(picture: Picture, mode: Mode, depth: int, resolution: int, fmt: Format) -> list[str]:
        return ["-d", "test", "--mode", mode, "--depth", str(depth), "--resolution", str(resolution),
                "--test-picture", picture, "-l", "0", "-t", "0", "-x", str(A4_MM[0]), "-y", str(A4_MM[1]),
                f"--format={fmt}"]

    def scan(self, out: Path, picture: Picture, *, mode: Mode = "Gray", depth: int = 8, resolution: int = 150,
             fmt: Format = "tiff") -> Path:
        """One A4 flatbed scan of ``picture`` written to ``out``; returns ``out``."""
        with out.open("wb") as fh:  # stdout rather than -o: older scanimage has no -o
            self.run(*self._options(picture, mode, depth, resolution, fmt), stdout=fh)
        return out

    def scan_feeder(self, folder: Path, count: int, picture: Picture, *, mode: Mode = "Gray", depth: int = 8,
                    resolution: int = 150, fmt: Format = "tiff") -> list[Path]:
        """``count`` A4 sheets through the document feeder (``--batch``), one file per sheet
        (``folder/page1.tiff``, ``page2.tiff``…) in feeding order."""
        folder.mkdir(parents=True, exist_ok=True)
        pattern = folder / f"page%d.{fmt}"
        self.run(*self._options(picture, mode, depth, resolution, fmt), "--source", "Automatic Document Feeder",
                 f"--batch={pattern}", f"--batch-count={count}")
        return [folder / f"page{n}.{fmt}" for n in range(1, count + 1)]
