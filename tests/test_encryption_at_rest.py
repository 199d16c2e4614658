"""Personal data at rest: nothing readable in the data folder, no folder open without a person.

Real parts only: a platform process on 127.0.0.1, the command line in process, SQLCipher and the
sealed blob store as the window uses them, and a byte search over every file of the folders.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from app.core.ids import resident_id_check_char
from app.services import intake, signin
from app.services.context import init_data_dir
from app.store import database, keyslots, sqlite
from app.store.crypto import is_sealed
from app.store.database import DB_NAME
from app.store.kill_points import ENV
from tests.conftest import PERSON
from tests.support import cases, folders
from tests.support.platform import COUNTY, PASSWORD, TOWNSHIP, USERS, PlatformProcess
from tests.test_sync_e2e import Window

pytestmark = pytest.mark.slow
SURNAMES = "韦覃蒙黄陆莫梁"
GIVEN = "秀英桂兰志强海燕建华丽娟德明"
ROADS = ("新兴二路", "大塘街", "西江四路", "红岭路", "富民三路")


def random_person(rng: random.Random) -> dict[str, str]:
    """Someone this text does not name: a valid resident ID, a phone, an address."""
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 50))
    first17 = f"450403{born:%Y%m%d}{rng.randrange(1000):03d}"
    return {"kind": "person", "name": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
            "id_type": "resident_id", "id_number": first17 + resident_id_check_char(first17),
            "phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
            "address": f"梧州市万秀区{rng.choice(ROADS)}{rng.randrange(1, 300)}号{rng.randrange(1, 30)}栋"}




def _needles(person: dict[str, str]) -> dict[str, bytes]:
    out = {}
    for field in ("id_number", "name", "phone", "address"):
        for codec in ("utf-8", "utf-16-le", "utf-16-be"):
            out[f"{field}/{codec}"] = person[field].encode(codec)
    return out


def _plain_runs(data: bytes, disk: bytes, block: int = 32, run: int = 64) -> bool:
    """Whether ``disk`` holds any ``run``-byte stretch of ``data``: every such stretch contains a whole
    aligned ``block``, so each hit of one is extended both ways to see if it reaches ``run`` bytes."""
    blocks: dict[bytes, int] = {}
    for k in range(0, len(data) - block + 1, block):
        piece = data[k:k + block]
        if len(set(piece)) >= 8:  # runs of one or two byte values are in any file
            blocks.setdefault(piece, k)
    for j in range(len(disk) - block + 1):
        k = blocks.get(disk[j:j + block])
        if k is None:
            continue
        left = 0
        while left < run and j - left > 0 and k - left > 0 and disk[j - left - 1] == data[k - left - 1]:
            left += 1
        right = 0
        while right < run and j + block + right < len(disk) and k + block + right < len(data) \
                and disk[j + block + right] == data[k + block + right]:
            right += 1
        if left + block + right >= run:
            return True
    return False


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def _assert_nothing_readable(folder: Path, people: list[dict[str, str]], pages: list[bytes]) -> None:
    found = []
    for path in _files(folder):
        raw = path.read_bytes()
        for person in people:
            found += [f"{path.relative_to(folder)}: {what}" for what, needle in _needles(person).items()
                      if needle in raw]
        found += [f"{path.relative_to(folder)}: a page's plaintext" for page in pages if _plain_runs(page, raw)]
    assert found == []


def _stored_pages(window: Window, case_no: str) -> list[bytes]:
    """The encoded bytes of every stored page image of a case (the PDFs embed these same streams)."""
    shown = window.ok("case", "show", case_no)
    hashes = [p["sha256"] for m in shown["materials"] for p in m["pages"]]
    return [folders.blob_bytes(window.folder, h) for h in hashes]


def test_nothing_personal_is_readable_in_the_folders_after_a_whole_case(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        pages: dict[str, Path]) -> None:
    rng = random.Random(os.urandom(8))
    people: list[dict[str, str]] = []
    for _ in range(100):  # given names apart: the search below finds one by its given name
        person = random_person(rng)
        if all(person["name"][1:] != p["name"][1:] for p in people):
            people.append(person)
        if len(people) == 3:
            break
    with PlatformProcess(tmp_path / "platform") as platform:
        township, county = Window(tmp_path / "township", capsys), Window(tmp_path / "county", capsys)
        monkeypatch.setenv("CHUANGKOU_PASSWORD", PASSWORD)
        for window, unit in ((township, TOWNSHIP), (county, COUNTY)):
            window.ok("init", "--org", unit, "--platform", platform.url)
            window.ok("login", "--user", USERS[unit])
        made = []
        for i, person in enumerate(people):
            applicant = tmp_path / f"applicant{i}.json"
            applicant.write_text(json.dumps(person, ensure_ascii=False), encoding="utf-8")
            made.append(township.ok("case", "new", "--item", cases.ITEM, "--applicant", str(applicant),
                                    *cases.material_args(pages["text"], (pages["photo"], pages["alpha"]),
                                                         without=[cases.HOUSEHOLD])))
        township.ok("case", "amend", made[0]["case_no"], "--edit", "add", cases.HOUSEHOLD, str(pages["photo"]))
        township.ok("case", "accept", made[0]["case_no"])
        township.ok("case", "forward", made[0]["case_no"], "--to", COUNTY, "--text", "拟同意")
        township.ok("sync", "--once")
        county.ok("sync", "--once")  # the forwarded case and its materials come down
        seen = county.ok("case", "show", made[0]["case_no"])
        assert seen["status"] == "forwarded"
        # Every step names the person who took it (the platform's name for them), on both sides.
        for shown in (township.ok("case", "show", made[0]["case_no"]), seen):
            assert {(a["actor"], a["actor_label"]) for a in shown["actions"]} == {
                (USERS[TOWNSHIP], "万秀区城东镇便民服务中心窗口受理员（窗口受理·A岗）")}
        plain = [p for m in made for p in _stored_pages(township, m["case_no"])]
        plain += _stored_pages(county, made[0]["case_no"])
        # A crash: an intake killed after its second page file was written, before the case was.
        crashed = tmp_path / "applicant-crash.json"
        crashed.write_text(json.dumps(people[2], ensure_ascii=False), encoding="utf-8")
        fresh = []
        for n in range(3):  # pages not stored yet, so each is written (a stored one is not written twice)
            fresh.append(tmp_path / f"fresh{n}.png")
            Image.effect_noise((500, 700), 40 + n).convert("L").save(fresh[-1])
        killed = subprocess.run(
            [sys.executable, "-m", "app", "--data", str(township.folder), "case", "new", "--item", "GG00231000",
             "--applicant", str(crashed), "--accept-warnings", "测试用噪声页",
             "--material", "申请表=" + ",".join(map(str, fresh))],
            env={**os.environ, ENV: "blob.stored#2"}, capture_output=True, timeout=120)
        assert killed.returncode == -signal.SIGKILL
    # The search and the case list still work on the encrypted database.
    listed = township.ok("case", "list", "--search", people[1]["name"][1:])
    assert [c["case_no"] for c in listed] == [made[1]["case_no"]]
    assert township.ok("case", "list", "--search", made[0]["case_no"])[0]["case_no"] == made[0]["case_no"]
    _assert_nothing_readable(township.folder, people, plain)
    _assert_nothing_readable(county.folder, people[:1], plain)


def test_the_search_reads_an_unencrypted_copy(tmp_path: Path, pages: dict[str, Path], cli, data_dir) -> None:  # type: ignore[no-untyped-def]
    """The byte search is not blind: the export (plaintext, as asked) is found by it."""
    rng = random.Random(7)
    person = random_person(rng)
    applicant = tmp_path / "p.json"
    applicant.write_text(json.dumps(person, ensure_ascii=False), encoding="utf-8")
    code, out, err = cli("--json", "case", "new", "--item", "GG00231000", "--applicant", str(applicant),
                         "--material", f"申请表={pages['text']}")
    assert code == 0, err
    case_no = json.loads(out)["case_no"]
    code, out, err = cli("case", "export", case_no, "--out", str(tmp_path / "export"))
    assert code == 0 and "未加密" in out
    page = folders.blob_bytes(data_dir, json.loads(cli("--json", "case", "show", case_no)[1])["materials"][0]
                              ["pdf_sha256"])
    with pytest.raises(AssertionError):
        _assert_nothing_readable(tmp_path / "export", [person], [page])


def test_no_folder_opens_without_a_person_and_a_wrong_password_reads_nothing(
        cli, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("CHUANGKOU_PASSWORD")
    code, _, err = cli("case", "list")
    assert code == 2 and "请先登录" in err
    monkeypatch.setenv("CHUANGKOU_PASSWORD", "not-the-password")
    code, _, err = cli("case", "list")
    assert code == 2 and "用户名或口令错误" in err
    keys = keyslots.load(data_dir)
    slot = keys.user_slot(folders.USER)
    assert slot is not None
    with pytest.raises(Exception):  # noqa: B017 - whatever the wrong key meets, it is not a row
        conn = folders.sqlite.open_keyed(data_dir / "chuangkou.sqlite3", folders.DataKey.new())
        conn.execute("SELECT COUNT(*) FROM cases").fetchone()


def test_five_wrong_passwords_lock_the_person_out_for_the_set_time(data_dir: Path) -> None:
    now = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    for i in range(4):
        with pytest.raises(signin.SignInRefused, match=f"再错 {4 - i} 次"):
            signin.sign_in(data_dir, folders.USER, "wrong", clock=lambda: now, prefer_online=False)
    with pytest.raises(signin.SignInRefused, match="锁定 15 分钟"):
        signin.sign_in(data_dir, folders.USER, "wrong", clock=lambda: now, prefer_online=False)
    with pytest.raises(signin.SignInRefused, match="已锁定"):  # the right password does not help now
        signin.sign_in(data_dir, folders.USER, folders.PASSWORD, clock=lambda: now, prefer_online=False)
    later = now + dt.timedelta(minutes=16)
    unlocked = signin.sign_in(data_dir, folders.USER, folders.PASSWORD, clock=lambda: later, prefer_online=False)
    assert unlocked.session.user == folders.USER and not unlocked.session.online


def test_offline_sign_in_works_with_the_platform_down_and_ends_after_the_offline_period(
        tmp_path: Path) -> None:
    folder = tmp_path / "township"
    with PlatformProcess(tmp_path / "platform") as platform:
        init_data_dir(folder, TOWNSHIP, platform.url)
        folders.online(folder, USERS[TOWNSHIP]).close()
    # The platform is gone now.
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=29)
    unlocked = signin.sign_in(folder, USERS[TOWNSHIP], PASSWORD, clock=lambda: soon)
    assert not unlocked.session.online and unlocked.session.role == "clerk"
    assert unlocked.session.name != USERS[TOWNSHIP]  # the platform's name for the person, kept offline
    late = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    with pytest.raises(signin.SignInRefused, match="超过 30 天"):
        signin.sign_in(folder, USERS[TOWNSHIP], PASSWORD, clock=lambda: late)
    with pytest.raises(signin.SignInRefused, match="首次在本机登录需要连接市级平台"):
        signin.sign_in(folder, USERS[COUNTY], PASSWORD, clock=lambda: soon)


def test_editing_the_slot_does_not_stretch_the_offline_period(tmp_path: Path) -> None:
    folder = tmp_path / "township"
    with PlatformProcess(tmp_path / "platform") as platform:
        init_data_dir(folder, TOWNSHIP, platform.url)
        folders.online(folder, USERS[TOWNSHIP]).close()
    raw = json.loads((folder / "keys.json").read_text())
    for slot in raw["slots"]:
        if slot["kind"] == "user":
            slot["online_at"] = (dt.datetime.now(dt.UTC) + dt.timedelta(days=300)).isoformat()
    (folder / "keys.json").write_text(json.dumps(raw))
    with pytest.raises(signin.SignInRefused, match="用户名或口令错误"):
        signin.sign_in(folder, USERS[TOWNSHIP], PASSWORD, clock=lambda: dt.datetime.now(dt.UTC))


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_folder_is_private_to_its_account(cli, data_dir: Path, pages: dict[str, Path],  # type: ignore[no-untyped-def]
                                              person_file: Path) -> None:
    code, _, err = cli("case", "new", "--item", "GG00231000", "--applicant", str(person_file),
                       "--material", f"申请表={pages['text']}")
    assert code == 0, err
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    loose = [str(p.relative_to(data_dir)) for p in data_dir.rglob("*")
             if stat.S_IMODE(p.stat().st_mode) & 0o077]
    assert loose == []


# -- a folder from before encryption -------------------------------------------------------------------
def _plaintext_folder(root: Path, url: str, pages: dict[str, Path]) -> tuple[Path, list[str]]:
    """A township folder as the version before encryption left it: plain database, plain page files."""
    folder = root / "township"
    init_data_dir(folder, TOWNSHIP, url)
    folders.enrol(folder, USERS[TOWNSHIP])
    ctx = folders.open_signed_in(folder)
    try:
        made = [intake.new_case(ctx, "GG00231000", {**PERSON, "name": name},
                                [intake.MaterialInput("申请表", (pages["text"], pages["photo"])),
                                 intake.MaterialInput("身份证", (pages["alpha"],))]).case_no
                for name in ("韦秀英", "覃桂兰", "黄志强")]
        key = ctx.store.key
    finally:
        ctx.close()
    for blob in (folder / "blobs").glob("??/*"):
        blob.write_bytes(key.open_blob(blob.parent.name + blob.name, blob.read_bytes()))
    conn = sqlite.open_keyed(folder / DB_NAME, key)
    plain = folder / "plain.sqlite3"
    conn.execute("ATTACH DATABASE ? AS plain KEY ''", [str(plain)])
    conn.execute("SELECT sqlcipher_export('plain')")
    conn.execute(f"PRAGMA plain.user_version = {conn.execute('PRAGMA user_version').fetchone()[0]}")
    conn.execute("DETACH DATABASE plain")
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(str(folder / DB_NAME) + suffix).unlink(missing_ok=True)
    os.replace(plain, folder / DB_NAME)
    (folder / "keys.json").unlink()
    (folder / "logs").mkdir(exist_ok=True)
    with (folder / "logs" / "chuangkou.log").open("a", encoding="utf-8") as log:  # as older versions wrote it
        log.write(f"2026-01-01 09:00:00 WARNING services: bad applicant {PERSON['id_number']} {PERSON['phone']}\n")
    return folder, made


def _whole_in_either_form(folder: Path, cases: int) -> str:
    """Every page file is whole (plain, or sealed under the key keys.json holds) and the database is
    whole in one form; returns which form the database is in."""
    db = folder / DB_NAME
    key = None
    if (folder / "keys.json").exists():
        keys = keyslots.load(folder)
        key = keyslots.enrolment_key(keys) or folders.key_of(folder)
    for blob in (folder / "blobs").glob("??/*"):
        name, data = blob.parent.name + blob.name, blob.read_bytes()
        plain = data if hashlib.sha256(data).hexdigest() == name else None
        if plain is None:
            assert key is not None, f"{name} neither plain nor openable"
            plain = key.open_blob(name, data)
        assert hashlib.sha256(plain).hexdigest() == name
    if database.is_plaintext(db):
        conn = sqlite.connect(db)
        form = "plain"
    else:
        assert key is not None
        conn = sqlite.open_keyed(db, key)
        form = "encrypted"
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == cases
    finally:
        conn.close()
    return form


@pytest.mark.parametrize("point", ["encrypt.blob_sealed#1", "blob.tmp_written#3", "encrypt.db_exported",
                                   "encrypt.wal_removed"])
def test_a_plain_folder_is_encrypted_in_place_and_a_kill_inside_loses_nothing(
        tmp_path: Path, pages: dict[str, Path], point: str) -> None:
    with PlatformProcess(tmp_path / "platform") as platform:
        folder, made = _plaintext_folder(tmp_path, platform.url, pages)
        env = {**os.environ, ENV: point, "CHUANGKOU_PASSWORD": PASSWORD}
        login = [sys.executable, "-m", "app", "--data", str(folder), "--json", "login", "--user", USERS[TOWNSHIP]]
        killed = subprocess.run(login, env=env, capture_output=True, text=True, timeout=120)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        _whole_in_either_form(folder, len(made))
        again = subprocess.run(login, env={**env, ENV: ""}, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr
    assert _whole_in_either_form(folder, len(made)) == "encrypted"
    assert all(is_sealed(b.read_bytes()) for b in (folder / "blobs").glob("??/*"))
    logs = b"".join(f.read_bytes() for f in (folder / "logs").glob("*"))
    assert PERSON["id_number"].encode() not in logs and PERSON["phone"].encode() not in logs
    shown = subprocess.run([sys.executable, "-m", "app", "--data", str(folder), "--json", "case", "list"],
                           env={**os.environ, "CHUANGKOU_PASSWORD": PASSWORD}, capture_output=True, text=True,
                           timeout=120)
    assert sorted(c["case_no"] for c in json.loads(shown.stdout)) == sorted(made)


@pytest.mark.parametrize("point", [None, "encrypt.blob_sealed#2", "encrypt.db_exported"])
def test_rekey_rotates_the_data_key_and_a_kill_inside_loses_nothing(
        data_dir: Path, pages: dict[str, Path], person_file: Path, point: str | None) -> None:
    ctx = folders.open_signed_in(data_dir)
    try:
        made = [intake.new_case(ctx, "GG00231000", PERSON, [intake.MaterialInput(name, (pages[kind],))]).case_no
                for name, kind in (("申请表", "text"), ("身份证", "photo"), ("现场照片", "alpha"))]
        old = ctx.store.key
    finally:
        ctx.close()
    rekey = [sys.executable, "-m", "app", "--data", str(data_dir), "--json", "rekey"]
    env = {**os.environ, "CHUANGKOU_PASSWORD": folders.PASSWORD}
    if point:
        killed = subprocess.run(rekey, env={**env, ENV: point}, capture_output=True, text=True, timeout=120)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        # Whatever was cut short, the next sign-in (any command) finishes it.
        listed = subprocess.run([*rekey[:-1], "case", "list"], env=env, capture_output=True, text=True, timeout=120)
        assert listed.returncode == 0, listed.stderr
    else:
        done = subprocess.run(rekey, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and json.loads(done.stdout)["rekeyed"], done.stderr
    new = folders.key_of(data_dir)
    assert new.key_id != old.key_id
    assert {b.read_bytes()[4:8] for b in (data_dir / "blobs").glob("??/*")} == {new.key_id}
    with pytest.raises(sqlite.DatabaseError):
        sqlite.open_keyed(data_dir / DB_NAME, old).execute("SELECT COUNT(*) FROM cases").fetchone()
    ctx = folders.open_signed_in(data_dir)
    try:
        from app.services import queries
        assert sorted(queries.show_case(ctx, n)["case_no"] for n in made) == sorted(made)
        for n in made:
            for m in queries.show_case(ctx, n)["materials"]:
                assert ctx.store.blobs.verify(m["pdf_sha256"])
    finally:
        ctx.close()
    assert [s.kind for s in keyslots.load(data_dir).slots] in (["user"], ["user", "keyring"])
