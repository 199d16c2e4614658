"""SIGKILL in the middle of ``case new`` leaves the whole case or nothing."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import snapshot

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def many_pages(tmp_path: Path) -> list[str]:
    """Three materials of 8 noisy pages each: enough work that a kill lands mid-way."""
    args = []
    for m in range(3):
        files = []
        for p in range(8):
            path = tmp_path / f"m{m}p{p}.png"
            Image.effect_noise((900, 1200), 60 + m * 10 + p).save(path)
            files.append(str(path))
        args += ["--material", f"材料{m + 1}=" + ",".join(files)]
    return args


def _command(data_dir: Path, person_file: Path, many_pages: list[str]) -> list[str]:
    return [sys.executable, "-m", "app", "--data", str(data_dir), "case", "new", "--item", "GG00231000",
            "--applicant", str(person_file), *many_pages]


def _check_all_or_nothing(data_dir: Path) -> int:
    """The invariants after a crash; returns how many cases exist."""
    conn = sqlite3.connect(data_dir / "chuangkou.sqlite3")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        cases = conn.execute("SELECT id FROM cases").fetchall()
        for (case_id,) in cases:
            assert conn.execute("SELECT COUNT(*) FROM materials WHERE case_id = ?", [case_id]).fetchone()[0] == 3
            assert conn.execute(
                "SELECT COUNT(*) FROM pages p JOIN materials m ON m.id = p.material_id WHERE m.case_id = ?",
                [case_id]).fetchone()[0] == 24
            assert conn.execute("SELECT COUNT(*) FROM actions WHERE case_id = ?", [case_id]).fetchone()[0] == 1
        referenced = {r[0] for r in conn.execute("SELECT sha256 FROM blobs")}
    finally:
        conn.close()
    for digest in referenced:  # every blob a record names is there, whole
        assert (data_dir / "blobs" / digest[:2] / digest[2:]).is_file()
    # After the clean-up, no blob is left that no record reaches.
    gc = subprocess.run([sys.executable, "-m", "app", "--data", str(data_dir), "--json", "gc"],
                        cwd=REPO, capture_output=True, text=True, check=True)
    assert json.loads(gc.stdout)["skipped"] is False
    on_disk = {p.parent.name + p.name for p in (data_dir / "blobs").glob("??/*")}
    assert on_disk == referenced
    assert list((data_dir / "blobs" / "tmp").iterdir()) == []
    return len(cases)


def test_kill_as_soon_as_the_first_page_is_stored(data_dir, person_file, many_pages) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(data_dir)
    proc = subprocess.Popen(_command(data_dir, person_file, many_pages), cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if any((data_dir / "blobs").glob("??/*")):
            break
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL, "the intake finished before it could be killed"
    assert _check_all_or_nothing(data_dir) == 0
    assert snapshot(data_dir) == before


@pytest.mark.parametrize("fraction", [0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 0.99])
def test_kill_at_any_moment(data_dir, person_file, many_pages, fraction) -> None:  # type: ignore[no-untyped-def]
    cmd = _command(data_dir, person_file, many_pages)
    started = time.monotonic()
    subprocess.run(cmd, cwd=REPO, check=True, capture_output=True)  # measure a whole intake
    full = time.monotonic() - started
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(full * fraction)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert _check_all_or_nothing(data_dir) in (1, 2)
