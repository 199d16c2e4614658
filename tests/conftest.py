"""Shared fixtures: an initialised data folder, applicant files, real page images."""

from __future__ import annotations

import faulthandler
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from PIL import Image, ImageOps

from app.cli import main as cli_main
from app.devices.worker import forget_hung_device_workers
from app.services.context import AppContext, init_data_dir
from app.services.demo import render_page
from tests.support import folders, pagegen, pcscd_fixture
from tests.support.memkeyring import MemoryKeyring
from tests.support.sane import SaneTestBackend

#: pytest-timeout (pyproject) fails a hung test with SIGALRM, whose handler runs only when the
#: main thread runs Python: not while it is blocked in C (pthread_join in a wedged sane_cancel) or
#: another thread holds the GIL (blocked on a lock a cancelled driver thread left taken).
#: faulthandler's watchdog is a C thread: this long after pytest-timeout should have acted, it
#: prints every thread's stack to the real stderr and ends the process (a worker, under xdist:
#: its test is reported failed and a new worker takes the rest).
WATCHDOG_GRACE_S = 60
_watchdog_file: list[io.TextIOWrapper] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    marker = item.get_closest_marker("timeout")
    timeout = float(marker.args[0] if marker and marker.args else item.config.getini("timeout") or 0)
    if timeout <= 0 or not _watchdog_file:
        yield
        return
    faulthandler.dump_traceback_later(timeout + WATCHDOG_GRACE_S, exit=True, file=_watchdog_file[0])
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def pytest_configure(config: pytest.Config) -> None:
    """libsane reads its configuration once per process: every test (and every CLI it starts)
    sees only SANE's ``test`` device, drawing a grid, and never probes the LAN for scanners."""
    folder = Path(tempfile.mkdtemp(prefix="chuangkou-sane-"))
    SaneTestBackend.configure(folder, picture="Grid")
    os.environ["SANE_CONFIG_DIR"] = str(folder)
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    # libpcsclite reads its socket's path once per process: every PC/SC client in the tests
    # (device discovery included) must talk to the tests' private pcscd, never the system's.
    pcscd_fixture.socket_dir()
    # Commands (in process or not, module fixtures' included) sign in as the last person to sign in
    # on their folder, as a script does; a test that wants nobody signed in removes the variable.
    os.environ["CHUANGKOU_PASSWORD"] = folders.PASSWORD
    os.environ.pop("CHUANGKOU_USER", None)
    # The watchdog writes to the real stderr: pytest captures fd 2 during each test.
    if not _watchdog_file:
        _watchdog_file.append(open(os.dup(2), "w", encoding="utf-8"))  # noqa: SIM115 - for the whole run
        config.add_cleanup(lambda: _watchdog_file.pop().close())


ORG = "11450403MB0123456N"
PERSON = {"kind": "person", "name": "韦秀英", "id_type": "resident_id", "id_number": "11010519491231002X",
          "phone": "13807740001", "address": "梧州市长洲区大塘街道新兴二路12号"}


def make_data_folder(root: Path, fill: Callable[[AppContext, Path], object] | None = None) -> Path:
    """An initialised data folder ``root/data`` where ``clerk01`` has signed in, filled by ``fill(ctx, root)``."""
    init_data_dir(root / "data", ORG)
    folders.enrol(root / "data")
    folders.enrol_staff(root / "data")
    if fill is not None:
        ctx = folders.open_signed_in(root / "data")
        try:
            fill(ctx, root)
        finally:
            ctx.close()
    return root / "data"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return make_data_folder(tmp_path)


@pytest.fixture
def ctx(data_dir: Path) -> Iterator[AppContext]:
    context = folders.open_signed_in(data_dir)
    yield context
    context.close()




@pytest.fixture
def person_file(tmp_path: Path) -> Path:
    path = tmp_path / "applicant.json"
    path.write_text(json.dumps(PERSON, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def pages(tmp_path: Path) -> dict[str, Path]:
    """Pages as windows receive them: a text page (PNG, 100 dpi), a certificate with a photo and a
    red seal (JPEG, 150 dpi) and a screenshot of a form with a transparent background (RGBA PNG)."""
    folder = tmp_path / "pages"
    folder.mkdir()
    text = folder / "申请表.png"
    text.write_bytes(render_page("申请表", ["申请人：韦秀英", "事项：城乡居民基本养老保险参保登记"]))
    photo = folder / "photo.jpg"
    Image.fromarray(pagegen.mixed_page(seed=3, dpi=150)).save(photo, "JPEG", quality=85, dpi=(150, 150))
    alpha = folder / "screenshot.png"
    form = Image.open(io.BytesIO(render_page("居民身份证", ["姓名：韦秀英", "公民身份号码：11010519491231002X"])))
    screenshot = Image.new("RGBA", form.size, (0, 0, 0, 0))
    screenshot.putalpha(ImageOps.invert(form.convert("L")))  # ink opaque, paper transparent
    screenshot.save(alpha)
    return {"text": text, "photo": photo, "alpha": alpha}


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], data_dir: Path):  # type: ignore[no-untyped-def]
    """Run ``python -m app`` in-process: returns (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = cli_main(["--data", str(data_dir), *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def snapshot(data_dir: Path) -> tuple[list[str], list[str]]:
    """Everything a use case could have written: every row, and every blob file."""
    conn = folders.connect(data_dir)
    try:
        rows = [f"{kind} {name}: {sql}" for kind, name, sql in conn.execute(
            "SELECT type, name, sql FROM sqlite_master ORDER BY type, name")]
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall():
            rows += sorted(f"{table}: {row!r}" for row in conn.execute(f'SELECT * FROM "{table}"'))
    finally:
        conn.close()
    blobs = sorted(str(p.relative_to(data_dir)) for p in (data_dir / "blobs").rglob("*") if p.is_file())
    return rows, blobs


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets an empty in-memory keyring; the machine's own is never touched."""
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def no_hung_devices() -> Iterator[None]:
    """A device a test left stuck in its driver (on purpose) must not refuse the next test's calls."""
    yield
    forget_hung_device_workers()
