"""SIGKILLs that land *inside* the writing phase of intake, amend and sync, at the program's named kill points.

Each kill runs the real command (``python -m app …``) with ``CHUANGKOU_TEST_ONLY_KILL_AT`` naming a point in
the writing code (``app/store/kill_points.py``) and the how-manieth time it is reached; the process must die
there (exit -9: the kill landed where it was aimed), and then: ``integrity_check`` is ok, every case is whole
or absent, every blob file's SHA-256 is its name, ``verify`` passes, and after a final sync every case is on
the platform exactly once, with nothing uploaded twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils
from PIL import Image

from app.services.context import init_data_dir
from app.store import actions
from app.store.kill_points import ENV, PAUSE_FILE_ENV, POINTS
from app.store.notices import NOTICE_BLOBS
from app.sync.credentials import MemoryTokens
from tests.support import cases, folders, forked_cli
from tests.support.hostile import HostileFront
from tests.support.platform import COUNTY, PASSWORD, TOWNSHIP, USERS, PlatformProcess

pytestmark = pytest.mark.slow
KILLED = -signal.SIGKILL
PAGES_PER_MATERIAL = 2


def _app(folder: Path, *args: str, kill: str | None = None, extra_env: dict[str, str] | None = None,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHUANGKOU_PASSWORD": PASSWORD, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
           **(extra_env or {})}
    env.pop(ENV, None)
    if kill:
        env[ENV] = kill
    return subprocess.run([sys.executable, "-m", "app", "--data", str(folder), *args], capture_output=True,
                          text=True, env=env, timeout=timeout)


def _killed(folder: Path, point: str, *args: str) -> None:
    """Run the command in a process of its own (forked: see tests/support/forked_cli.py), to die at ``point``."""
    code = forked_cli.run(["--data", str(folder), *args], kill_at=point, env={"CHUANGKOU_PASSWORD": PASSWORD})
    if code != KILLED:  # say why: run it again as a plain process, to see its output
        p = _app(folder, *args)
        raise AssertionError(f"{point} was not reached by {args}: exit {code}; again: {p.returncode}\n{p.stderr}")


def _pages(root: Path, tag: str, n: int) -> list[str]:
    out = []
    for i in range(n):
        path = root / f"{tag}-{i}.png"
        Image.effect_noise((500, 700), 40 + 7 * i + len(tag)).convert("L").save(path)
        out.append(str(path))
    return out


def _intake_args(root: Path, person: Path, tag: str, *, complete: bool = False) -> list[str]:
    """``case new`` with 申请表 and 户口簿; ``complete``: under the checklist's names and with the ID card
    (the form's first page again, no new page blob), so the case may be accepted."""
    form, book = _pages(root, f"{tag}a", PAGES_PER_MATERIAL), _pages(root, f"{tag}b", PAGES_PER_MATERIAL)
    materials = (cases.material_args([Path(f) for f in form], Path(form[0]), [Path(b) for b in book]) if complete
                 else ["--material", "申请表=" + ",".join(form), "--material", "户口簿=" + ",".join(book)])
    return ["case", "new", "--item", cases.ITEM, "--applicant", str(person), "--accept-warnings", "测试用噪声页",
            *materials]


def _check(folder: Path) -> dict[str, list[tuple[str, int]]]:
    """The invariants after any kill; returns each case's materials as (pdf hash, page count)."""
    conn = folders.connect(folder)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        whole: dict[str, list[tuple[str, int]]] = {}
        for case_id, head_seq in conn.execute("SELECT id, head_seq FROM cases").fetchall():
            materials = conn.execute(
                "SELECT m.pdf_sha256, COUNT(p.seq) FROM materials m LEFT JOIN pages p ON p.material_id = m.id"
                " WHERE m.case_id = ? GROUP BY m.id ORDER BY m.seq", [case_id]).fetchall()
            assert materials and all(n > 0 for _, n in materials), case_id
            assert conn.execute("SELECT COUNT(*) FROM actions WHERE case_id = ?", [case_id]).fetchone()[0] == head_seq
            whole[case_id] = [(h, n) for h, n in materials]
        referenced = {r[0] for r in conn.execute(  # the materials, and the notices (a forward's review sheet)
            "SELECT pdf_sha256 FROM materials UNION SELECT sha256 FROM pages UNION SELECT sha256 FROM ("
            + NOTICE_BLOBS.format(actions="actions") + ")")}
        present = {r[0] for r in conn.execute("SELECT sha256 FROM blobs WHERE present = 1")}
    finally:
        conn.close()
    on_disk = {}
    for path in (folder / "blobs").glob("??/*"):
        digest = path.parent.name + path.name
        assert hashlib.sha256(folders.blob_bytes(folder, digest)).hexdigest() == digest, f"blob {digest} not whole"
        on_disk[digest] = path
    # Every blob recorded as here is here (a file not yet recorded, downloaded just before a kill, is adopted
    # by the next sync after its hash is checked).
    assert present <= set(on_disk), "a blob the records name is missing"
    assert referenced >= present
    conn = folders.connect(folder)
    try:
        assert actions.verify(sqlite_utils.Database(conn)) == []  # `verify`, without a process start
    finally:
        conn.close()
    return whole


@pytest.fixture(scope="module")
def person(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("person") / "person.json"
    path.write_text(json.dumps({"kind": "person", "name": "韦秀英", "id_type": "resident_id",
                                "id_number": "11010519491231002X", "phone": "13807740001",
                                "address": "梧州市长洲区大塘街道新兴二路12号"}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[tuple[PlatformProcess, HostileFront]]:
    """A platform of its own per test (the same window numbering cases in two tests would collide)."""
    with PlatformProcess(tmp_path / "platform") as p, HostileFront(p.port) as front:
        yield p, front


def _unit(folder: Path, org: str, url: str) -> Path:
    init_data_dir(folder, org, url)
    folders.online(folder, USERS[org], tokens=MemoryTokens()).close()
    return folder


def _platform_cases(p: PlatformProcess) -> list[tuple[str, int]]:
    conn = sqlite3.connect(p.folder / "platform.sqlite3")
    try:
        return conn.execute("SELECT c.id, (SELECT COUNT(*) FROM actions a WHERE a.case_id = c.id AND a.type ="
                            " 'receive') FROM cases c").fetchall()
    finally:
        conn.close()


def test_a_kill_at_every_point_inside_intake_then_one_sync(tmp_path: Path, person: Path,
                                                            platform: tuple[PlatformProcess, HostileFront]) -> None:
    p, front = platform
    folder = _unit(tmp_path / "township", TOWNSHIP, front.url)
    blobs = 2 * PAGES_PER_MATERIAL + 2
    # Each point once (it was thirty kills, each point twice): the first kill lands just after a
    # commit, so every later one meets a case already whole, and the debris of the kills before it.
    points = (["db.committed#1"] + [f"blob.tmp_written#{i}" for i in range(1, blobs + 1)]
              + [f"blob.stored#{i}" for i in range(1, blobs + 1)] + ["db.before_commit#1"])
    committed = 0
    for n, point in enumerate(points):
        _killed(folder, point, *_intake_args(tmp_path, person, f"k{n}"))
        committed += point == "db.committed#1"
        assert len(_check(folder)) == committed, point
    done = _app(folder, "case", "new", *_intake_args(tmp_path, person, "last")[2:])
    assert done.returncode == 0, done.stderr
    local = _check(folder)
    assert len(local) == committed + 1
    assert _app(folder, "gc").returncode == 0
    front.requests.clear()
    synced = _app(folder, "--json", "sync", "--once")
    assert synced.returncode == 0 and json.loads(synced.stdout)["pending"] == 0, synced.stderr
    on_platform = dict(_platform_cases(p))
    assert {c: on_platform.get(c) for c in local} == dict.fromkeys(local, 1)
    for digest in {h for materials in local.values() for h, _ in materials}:
        stored = p.folder / "blobs" / digest[:2] / digest[2:]
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == digest


def test_ten_kills_inside_amend(tmp_path: Path, person: Path) -> None:
    folder = tmp_path / "unit"
    init_data_dir(folder, TOWNSHIP)
    folders.enrol(folder)
    made = _app(folder, "--json", *_intake_args(tmp_path, person, "base"))
    assert made.returncode == 0, made.stderr
    case_id = json.loads(made.stdout)["id"]
    before = _check(folder)[case_id]
    points = [f"blob.tmp_written#{i}" for i in (1, 2, 3, 4)] + [f"blob.stored#{i}" for i in (1, 2, 3, 4)] + [
        "db.before_commit#1", "db.committed#1"]
    after = None
    for n, point in enumerate(points):
        # new pages each time: a blob stored by an earlier killed run would not be written again
        edits = ["--edit", "rescan", "申请表", "2", *_pages(tmp_path, f"re{n}", 1),
                 "--edit", "insert", "户口簿", "1", *_pages(tmp_path, f"ins{n}", 2),
                 "--accept-warnings", "测试用噪声页"]
        _killed(folder, point, "case", "amend", case_id, *edits)
        state = _check(folder)[case_id]
        if point == "db.committed#1":
            after = state
        else:
            assert state == before, point  # the amendment is all there, or not at all
    assert after is not None and after != before
    assert [n for _, n in after] == [PAGES_PER_MATERIAL, PAGES_PER_MATERIAL + 2]


def test_fifteen_kills_inside_sync_both_ways(tmp_path: Path, person: Path,
                                              platform: tuple[PlatformProcess, HostileFront]) -> None:
    p, front = platform
    township = _unit(tmp_path / "township", TOWNSHIP, front.url)
    ids = []
    for n in range(3):
        made = _app(township, "--json", *_intake_args(tmp_path, person, f"s{n}", complete=True))
        assert made.returncode == 0, made.stderr
        ids.append(json.loads(made.stdout)["id"])
    for case_id in ids[:2]:
        assert _app(township, "case", "accept", case_id).returncode == 0
        fwd = _app(township, "case", "forward", case_id, "--to", COUNTY, "--text", "拟同意")
        assert fwd.returncode == 0, fwd.stderr
    local = _check(township)
    distinct = {h for r in folders.connect(township).execute("SELECT sha256 FROM blobs")
                for h in r}
    front.requests.clear()
    # Push: kills between a blob's upload and its record, a batch accepted and its answer recorded, mid-chunk,
    # and inside the bookkeeping transactions.
    for point in ["upload.chunk_sent#1", "sync.blob_uploaded#1", "sync.blob_uploaded#3", "db.before_commit#2",
                  "sync.batch_answered#1", "db.committed#3", "sync.batch_answered#1", "upload.chunk_sent#2",
                  "feed.page_applied#1", "db.before_commit#1"]:
        _killed(township, point, "sync", "--once")
        assert _check(township) == local, point
    final = _app(township, "--json", "sync", "--once")
    assert final.returncode == 0 and json.loads(final.stdout)["pending"] == 0, final.stderr
    assert _check(township) == local
    on_platform = dict(_platform_cases(p))
    assert {c: on_platform.get(c) for c in ids} == dict.fromkeys(ids, 1)
    # Nothing the platform already had was uploaded again: each blob's bytes went up once (the blobs are
    # one chunk each). An upload created but killed before its address was saved is created again, empty.
    patches = sum(n for name, n in front.requests.items() if name.startswith("PATCH /files/"))
    assert patches == len(distinct), front.requests
    assert len(distinct) <= front.requests["POST /files"] <= len(distinct) + 1
    # Pull: the county downloads the forwarded cases' materials; kills mid-way through that.
    county = _unit(tmp_path / "county", COUNTY, front.url)
    front.requests.clear()
    for point in ["feed.page_applied#1", "download.part_written#1", "download.moved#2", "db.committed#4",
                  "download.part_written#3"]:
        _killed(county, point, "sync", "--once")
        _check(county)
    final = _app(county, "--json", "sync", "--once")
    assert final.returncode == 0, final.stderr
    got = _check(county)
    assert {c: got[c] for c in ids[:2]} == {c: local[c] for c in ids[:2]}
    # A blob downloaded whole before a kill is not downloaded again.
    forwarded = {h for c in ids[:2] for h in _case_blobs(township, c)}
    downloads = sum(n for name, n in front.requests.items() if name.startswith("GET /api/v1/blobs/"))
    assert downloads == len(forwarded), front.requests
    conn = folders.connect(county)
    try:
        assert conn.execute("SELECT COUNT(*) FROM blobs WHERE present = 0").fetchone()[0] == 0
    finally:
        conn.close()


def _case_blobs(folder: Path, case_id: str) -> set[str]:
    """What the unit a case is forwarded to downloads: its materials, and the review sheet it went up with."""
    conn = folders.connect(folder)
    try:
        return {r[0] for r in conn.execute(
            "SELECT pdf_sha256 FROM materials WHERE case_id = ? UNION SELECT p.sha256 FROM pages p"
            " JOIN materials m ON m.id = p.material_id WHERE m.case_id = ?"
            " UNION SELECT json_extract(payload, '$.pdf_sha256') FROM actions WHERE case_id = ? AND type = 'notice'"
            " AND json_extract(payload, '$.kind') = '上报审查表'", [case_id, case_id, case_id])}
    finally:
        conn.close()


def test_gc_while_another_process_is_receiving_keeps_its_blobs(tmp_path: Path, person: Path) -> None:
    folder = tmp_path / "unit"
    init_data_dir(folder, TOWNSHIP)
    folders.enrol(folder)
    marker = tmp_path / "paused"
    env = {**os.environ, ENV: "blob.stored#6!pause", PAUSE_FILE_ENV: str(marker)}
    intake = subprocess.Popen([sys.executable, "-m", "app", "--data", str(folder), "--json",
                               *_intake_args(tmp_path, person, "gc")], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        end = time.monotonic() + 60
        while not marker.exists() and intake.poll() is None and time.monotonic() < end:
            time.sleep(0.02)
        assert marker.exists(), "the intake never reached its sixth blob"
        written = {q.parent.name + q.name for q in (folder / "blobs").glob("??/*")}
        assert len(written) >= 6
        gc = _app(folder, "--json", "gc")  # the blobs are not referenced by any record yet
        assert gc.returncode == 0 and json.loads(gc.stdout)["removed"] == 0
        assert written <= {q.parent.name + q.name for q in (folder / "blobs").glob("??/*")}
    finally:
        marker.unlink(missing_ok=True)
        out, err = intake.communicate(timeout=60)
    assert intake.returncode == 0, err
    case_id = json.loads(out)["id"]
    assert len(_check(folder)[case_id]) == 2


def test_every_kill_point_is_named_and_inert_without_the_variable() -> None:
    assert len(set(POINTS)) == len(POINTS)
    code = ("import app.store.kill_points as k\n"
            "for name in k.POINTS: k.reached(name)\n"
            "print('alive')")
    env = {k: v for k, v in os.environ.items() if k != ENV}
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert p.stdout.strip() == "alive"


def test_a_second_sync_of_one_folder_waits_then_says_one_is_running(
        tmp_path: Path, person: Path, platform: tuple[PlatformProcess, HostileFront]) -> None:
    """The window's engine and ``sync --once`` in a terminal, on one data folder, at the same moment."""
    _, front = platform
    township = _unit(tmp_path / "township", TOWNSHIP, front.url)
    made = _app(township, "--json", *_intake_args(tmp_path, person, "lock"))
    assert made.returncode == 0, made.stderr
    marker = tmp_path / "paused"
    env = {**os.environ, ENV: "sync.batch_answered#1!pause", PAUSE_FILE_ENV: str(marker),
           "CHUANGKOU_PASSWORD": PASSWORD, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    first = subprocess.Popen([sys.executable, "-m", "app", "--data", str(township), "--json", "sync", "--once"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        end = time.monotonic() + 60
        while not marker.exists() and first.poll() is None and time.monotonic() < end:
            time.sleep(0.02)
        assert marker.exists(), "the first sync never reached its batch"
        second = _app(township, "sync", "--once")  # the platform has answered; the first has not recorded it
        assert second.returncode == 2 and "另一个同步正在进行" in second.stderr, second
    finally:
        marker.unlink(missing_ok=True)
        out, err = first.communicate(timeout=60)
    assert first.returncode == 0 and json.loads(out)["pending"] == 0, err
    again = _app(township, "--json", "sync", "--once")  # the lock went with the first process
    assert again.returncode == 0, again.stderr
    assert front.requests["POST /api/v1/actions"] == 1  # the second never sent the batch again
