"""``main.py`` as the clerk starts it: the demo with a screenshot, and a folder not yet set up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.ui.qt import QImage

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.ui, pytest.mark.slow]


def run_main(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_DATA_HOME": str(tmp_path / "share")}
    env.pop("CHUANGKOU_DATA", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_demo_screenshot(tmp_path: Path) -> None:
    shot = tmp_path / "out.png"
    result = run_main(tmp_path, "--demo", "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    assert "演示数据目录" in result.stdout
    assert shot.stat().st_size > 20_000
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1280, 720)
    assert "Traceback" not in result.stderr


def test_english_demo_screenshot(tmp_path: Path) -> None:
    shot = tmp_path / "en.png"
    result = run_main(tmp_path, "--demo", "--lang", "en", "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    assert shot.stat().st_size > 20_000
    assert list((tmp_path / "cache").rglob("chuangkou_en.qm"))


def test_uninitialised_folder_is_a_clear_message_not_a_crash(tmp_path: Path) -> None:
    result = run_main(tmp_path, "--data", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    # a folder that is not there may be a USB disk not plugged in, or a first start: both are said
    assert "找不到数据目录" in result.stderr and "init --org" in result.stderr
    assert "Traceback" not in result.stderr
    (tmp_path / "empty").mkdir()
    result = run_main(tmp_path, "--data", str(tmp_path / "empty"))
    assert result.returncode == 2 and "尚未初始化" in result.stderr
    assert "Traceback" not in result.stderr
