"""Storage faults are user errors: a full disk, a read-only or vanished folder, a lock held by another
program. Each is real (a small tmpfs, a read-only bind mount, a second process holding the lock),
and each must give exit 2 with a Chinese message that says what to do, no traceback, nothing
half-written — and once the fault is gone, the same command succeeds.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from app.cli import main as cli_main
from app.core.lifecycle import ActionType
from app.services import intake
from app.services.case_actions import perform
from app.store import database, faults, sqlite
from app.store.migrations import LATEST, migrate
from tests.conftest import ORG, snapshot
from tests.support import cases, folders
from tests.support.faults import fill, read_only, tmpfs
from tests.support.schema import drop_later_columns_and_indexes

REPO = Path(__file__).resolve().parents[1]
FULL = "磁盘空间不足，本次操作没有保存"
READ_ONLY = "无法写入：磁盘是只读的，或本账户没有写入权限"
BUSY = "本地数据库正被其他程序占用，本次操作没有保存"
#: room for the database's shared-memory index (32 KiB) on a nearly full disk
SHM = 32 * 1024


def run_app(data: Path, *argv: str) -> tuple[int, str, str]:
    """``python -m app --data DATA …`` as a real process (its stderr is what the clerk would see)."""
    done = subprocess.run([sys.executable, "-m", "app", "--data", str(data), *argv], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


def cli(data: Path, *argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli_main(["--data", str(data), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_whole(data: Path) -> None:
    """Nothing half-written: the database checks out, no temporary blob is left, every record's file is there."""
    conn = folders.connect(data)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for (case_id,) in conn.execute("SELECT id FROM cases").fetchall():
            assert conn.execute("SELECT COUNT(*) FROM actions WHERE case_id = ?", [case_id]).fetchone()[0] >= 1
            assert conn.execute("SELECT COUNT(*) FROM materials WHERE case_id = ?", [case_id]).fetchone()[0] >= 1
        named = [r[0] for r in conn.execute("SELECT sha256 FROM blobs")]
    finally:
        conn.close()
    assert list((data / "blobs" / "tmp").iterdir()) == []
    for digest in named:
        assert (data / "blobs" / digest[:2] / digest[2:]).is_file()


def user_message_only(err: str, expected: str) -> None:
    assert expected in err, err
    assert "Traceback" not in err and "Error" not in err, err


@pytest.fixture
def noise_pages(tmp_path: Path) -> dict[str, Path]:
    """A small page (about 100 KB stored) and a large one (well over 600 KB stored)."""
    small, large = tmp_path / "small.png", tmp_path / "large.png"
    Image.effect_noise((600, 800), 60).save(small)
    Image.effect_noise((1500, 2000), 80).save(large)
    return {"small": small, "large": large}


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 24 MiB file system of its own, with an initialised data folder ``data`` on it."""
    with tmpfs(tmp_path / "disk", "24m") as folder:
        assert cli_main(["--data", str(folder / "data"), "init", "--org", ORG]) == 0
        folders.enrol(folder / "data")
        yield folder


def _new_case(data: Path, person_file: Path, page: Path, *names: str) -> list[str]:
    """``case new`` with ``page`` as each of the materials ``names`` (default: one 申请表)."""
    materials = [a for name in names or ("申请表",) for a in ("--material", f"{name}={page}")]
    # Noise pages may look cut off to the quality gate, by chance: what is tested here is the disk.
    return ["case", "new", "--item", cases.ITEM, "--applicant", str(person_file), *materials,
            "--accept-warnings", "测试用噪声页"]


def _pdf_sizes(data: Path) -> list[int]:
    conn = folders.connect(data)
    try:
        return [r[0] for r in conn.execute("SELECT size FROM blobs WHERE media_type = 'application/pdf'")]
    finally:
        conn.close()


# -- a full disk -----------------------------------------------------------------------------------
def test_full_disk_while_storing_the_pages_of_a_new_case(disk, person_file, noise_pages, capsys) -> None:  # type: ignore[no-untyped-def]
    data = disk / "data"
    assert cli(data, "--json", *_new_case(data, person_file, noise_pages["small"]), capsys=capsys)[0] == 0
    before = snapshot(data)
    filler = fill(disk, leave=200 * 1024)  # room to open the store, not for the large page

    code, out, err = run_app(data, *_new_case(data, person_file, noise_pages["large"]))
    assert code == 2 and out == ""
    user_message_only(err, FULL)
    assert "请清理数据目录所在的磁盘" in err and "已保存的办件不会丢失" in err
    assert snapshot(data) == before
    assert_whole(data)

    filler.unlink()
    code, out, err = cli(data, "--json", *_new_case(data, person_file, noise_pages["large"]), capsys=capsys)
    assert code == 0, err
    assert json.loads(out)["case_no"].endswith("0002")  # the failed attempt took no number
    assert_whole(data)


def test_full_disk_when_the_new_case_is_committed(disk, person_file, noise_pages, capsys, caplog) -> None:  # type: ignore[no-untyped-def]
    """The pages fit, the database's transaction does not: it rolls back, the clean-up takes the page files."""
    data = disk / "data"
    assert cli(data, *_new_case(data, person_file, noise_pages["small"]), capsys=capsys)[0] == 0
    rows_before, _ = snapshot(data)
    # The same page again is already stored; only a new PDF of about the same size is written. The
    # slack covers a page more for it (or for a log line); the transaction's log needs far more.
    pdf = max(_pdf_sizes(data))
    filler = fill(disk, leave=SHM + -(-pdf // 4096) * 4096 + 8192)

    caplog.set_level(logging.WARNING)
    code, out, err = cli(data, *_new_case(data, person_file, noise_pages["small"]), capsys=capsys)
    assert code == 2 and FULL in err
    assert any("SQLITE_FULL" in r.getMessage() for r in caplog.records), "the fault should hit the commit"
    assert snapshot(data)[0] == rows_before
    assert_whole(data)

    filler.unlink()
    assert cli(data, "--json", "gc", capsys=capsys)[0] == 0  # the PDF of the failed attempt is garbage
    assert _blob_files(data) == _blob_rows(data)
    code, out, _ = cli(data, "--json", *_new_case(data, person_file, noise_pages["small"]), capsys=capsys)
    assert code == 0 and json.loads(out)["case_no"].endswith("0002")
    assert_whole(data)


def test_full_disk_during_a_lifecycle_action_and_an_amendment(disk, person_file, noise_pages, capsys) -> None:  # type: ignore[no-untyped-def]
    data = disk / "data"
    # 户口簿 is missing: the amendment adds it, then nothing stands in the way of 受理 but the disk
    new = _new_case(data, person_file, noise_pages["small"], cases.FORM, cases.ID_CARD)
    code, out, _ = cli(data, "--json", *new, capsys=capsys)
    case_no = json.loads(out)["case_no"]
    add = ["case", "amend", case_no, "--edit", "add", cases.HOUSEHOLD, str(noise_pages["large"]),
           "--accept-warnings", "测试用噪声页"]
    before = snapshot(data)

    filler = fill(disk, leave=200 * 1024)
    code, _, err = cli(data, *add, capsys=capsys)
    assert code == 2 and FULL in err
    assert snapshot(data) == before
    assert_whole(data)
    filler.unlink()
    code, out, err = cli(data, "--json", *add, capsys=capsys)
    assert code == 0, err
    before = snapshot(data)

    filler = fill(disk, leave=SHM + 4096)  # the shared-memory index fits, the write-ahead log does not
    code, _, err = run_app(data, "case", "accept", case_no)
    assert code == 2
    user_message_only(err, FULL)
    assert snapshot(data) == before
    assert_whole(data)

    filler.unlink()
    assert cli(data, "--json", "case", "accept", case_no, capsys=capsys)[0] == 0
    assert_whole(data)


def test_full_disk_while_the_schema_is_upgraded_at_open(disk, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = disk / "data"
    schema_6 = database.connect(tmp_path / "schema6.sqlite3", folders.key_of(data))
    migrate(schema_6, target=6)
    kept = {name for (name,) in schema_6.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn = folders.connect(data)  # back to schema 6: without the tables, columns and indexes of later migrations
    later = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
             if name not in kept]
    assert later, "no migration after 6: the test upgrades nothing"
    drop_later_columns_and_indexes(conn, schema_6)
    schema_6.close()
    conn.executescript("".join(f"DROP TABLE {name};" for name in later) + "PRAGMA user_version = 6;")
    conn.close()
    filler = fill(disk, leave=SHM + 4096)

    code, out, err = run_app(data, "case", "list")
    assert code == 2 and out == ""
    user_message_only(err, FULL)

    filler.unlink()
    conn = folders.connect(data)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 6  # the upgrade rolled back whole
    conn.close()
    assert cli(data, "case", "list", capsys=capsys)[0] == 0
    conn = folders.connect(data)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    conn.close()
    assert_whole(data)


def _blob_files(data: Path) -> set[str]:
    return {p.parent.name + p.name for p in (data / "blobs").glob("??/*")}


def _blob_rows(data: Path) -> set[str]:
    conn = folders.connect(data)
    try:
        return {r[0] for r in conn.execute("SELECT sha256 FROM blobs")}
    finally:
        conn.close()


# -- a read-only or vanished folder -----------------------------------------------------------------
def test_read_only_data_folder(data_dir, person_file, pages, capsys) -> None:  # type: ignore[no-untyped-def]
    new = ["case", "new", "--item", "GG00231000", "--applicant", str(person_file), "--material",
           f"申请表={pages['text']}"]
    assert cli(data_dir, *new, capsys=capsys)[0] == 0
    before = snapshot(data_dir)
    with read_only(data_dir):
        code, out, err = run_app(data_dir, *new)
        assert code == 2 and out == ""
        user_message_only(err, READ_ONLY)
        assert str(data_dir) in err
    assert snapshot(data_dir) == before
    code, out, _ = cli(data_dir, "--json", *new, capsys=capsys)
    assert code == 0 and json.loads(out)["case_no"].endswith("0002")
    assert_whole(data_dir)


def test_init_on_a_read_only_disk(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "usb"
    folder.mkdir()
    with read_only(folder):
        code, _, err = cli(folder / "data", "init", "--org", ORG, capsys=capsys)
        assert code == 2 and READ_ONLY in err
    assert cli(folder / "data", "init", "--org", ORG, capsys=capsys)[0] == 0


def test_a_data_folder_that_is_not_there(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_app(tmp_path / "unplugged", "case", "list")
    assert code == 2
    user_message_only(err, "找不到数据目录")
    assert "请连接好后重试" in err and "init --org" in err


def test_a_data_folder_that_vanishes_mid_session(tmp_path, person_file, pages) -> None:  # type: ignore[no-untyped-def]
    """A USB disk pulled out while the window is open: the intake is refused in words, and works once it is back."""
    data = tmp_path / "usb" / "data"
    cli_main(["--data", str(data), "init", "--org", ORG])
    folders.enrol(data)
    ctx = folders.open_signed_in(data)
    try:
        material = intake.MaterialInput("申请表", (pages["text"],))
        applicant = json.loads(person_file.read_text(encoding="utf-8"))
        (tmp_path / "usb").rename(tmp_path / "elsewhere")
        with pytest.raises(faults.FolderMissing, match="找不到数据目录"):
            intake.new_case(ctx, "GG00231000", applicant, [material])
        (tmp_path / "elsewhere").rename(tmp_path / "usb")
        made = intake.new_case(ctx, "GG00231000", applicant, [material])
        assert made.case_no.endswith("0001")
    finally:
        ctx.close()
    assert_whole(data)


# -- the database locked by another program ---------------------------------------------------------
@pytest.fixture
def lock_holder(data_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """Another program holding the database's write lock (BEGIN EXCLUSIVE) until the test lets it go."""
    script = ("import sys, time\n"
              "import sqlcipher3.dbapi2 as sqlite3\n"
              "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
              "c.execute('PRAGMA key = ' + sys.argv[2])\n"
              "c.execute('BEGIN EXCLUSIVE')\n"
              "print('locked', flush=True)\n"
              "sys.stdin.read()\n"  # until the test closes our stdin; killed at the end of the test at the latest
              "c.execute('ROLLBACK')\n")
    key = folders.key_of(data_dir).sqlcipher_pragma
    with subprocess.Popen([sys.executable, "-c", script, str(data_dir / database.DB_NAME), key], text=True,
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE) as proc:  # closes the pipes at the end
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.kill()


def test_a_lock_held_by_another_program(data_dir, person_file, pages, lock_holder, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    new = ["case", "new", "--item", "GG00231000", "--applicant", str(person_file), "--material",
           f"申请表={pages['text']}"]
    monkeypatch.setattr(database, "BUSY_TIMEOUT", 1.0)  # the window waits 30 s; the test need not
    before = snapshot(data_dir)
    started = time.monotonic()
    code, out, err = cli(data_dir, *new, capsys=capsys)
    assert code == 2 and out == ""
    user_message_only(err, BUSY)
    assert "请关闭同时使用本数据目录的其他程序" in err
    assert 1.0 <= time.monotonic() - started < 20
    assert cli(data_dir, "case", "list", capsys=capsys)[0] == 0  # reading goes on beside the lock (WAL)

    assert lock_holder.stdin is not None
    lock_holder.stdin.close()  # the other program lets go
    lock_holder.wait(10)
    assert snapshot(data_dir)[0] == before[0]
    code, out, err = cli(data_dir, "--json", *new, capsys=capsys)
    assert code == 0, err
    assert json.loads(out)["case_no"].endswith("0001")
    assert_whole(data_dir)


def test_a_lock_during_a_lifecycle_action_in_a_running_window(ctx, pages, person_file, lock_holder, monkeypatch,
                                                             ) -> None:  # type: ignore[no-untyped-def]
    """The store's writer thread meets the lock: a user error, and the next write works on a fresh connection."""
    monkeypatch.setattr(database, "BUSY_TIMEOUT", 0.5)
    with pytest.raises(faults.DatabaseBusy):
        intake.new_case(ctx, "GG00231000", json.loads(person_file.read_text(encoding="utf-8")),
                        [intake.MaterialInput("申请表", (pages["text"],))])
    assert lock_holder.stdin is not None
    lock_holder.stdin.close()
    lock_holder.wait(10)
    made = intake.new_case(ctx, cases.ITEM, json.loads(person_file.read_text(encoding="utf-8")),
                           cases.materials(pages["text"]))
    assert perform(ctx, made.id, ActionType.ACCEPT).status == "accepted"


def test_classify_leaves_bugs_alone() -> None:
    assert faults.classify(sqlite.OperationalError("no such table: casez")) is None
    assert faults.classify(FileNotFoundError(2, "No such file", "/tmp")) is None  # the folder is there: a bug
    assert faults.classify(KeyError("x")) is None
    assert isinstance(faults.classify(OSError(28, "No space left on device")), faults.DiskFull)
    assert isinstance(faults.classify(OSError(30, "Read-only file system")), faults.FolderReadOnly)
