"""`sync --once` against a platform that answers in hostile ways: it ends, in Chinese, and loses nothing.

A :class:`~tests.support.hostile.HostileFront` stands between the client and a real platform process and
answers one kind of request badly in each test. The client runs as the clerk would run it, ``python -m app
sync --once`` in a subprocess, from a copy of one township's data folder with two cases waiting. Each test
checks what a clerk and an auditor would: the run ends well within 60 s with exit 0 or 2, a Chinese message
and no traceback, it sends at most a few hundred requests, and the cases, actions, materials and blobs are
exactly as before (only sync bookkeeping may change).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from app.cli import main as cli_main
from app.core.lifecycle import ActionType
from app.core.settings import DECLARED
from app.services import sync_run
from app.services.case_actions import perform
from app.services.context import init_data_dir
from app.services.demo import render_page
from app.services.intake import MaterialInput, new_case
from app.sync.budget import RunBudget
from app.sync.credentials import MemoryTokens
from tests.conftest import PERSON
from tests.support import cases, folders
from tests.support.hostile import Exchange, HostileFront
from tests.support.platform import COUNTY, PASSWORD, TOWNSHIP, TOWNSHIP_2, USERS, PlatformProcess

pytestmark = pytest.mark.slow

#: the must-hold bound; the tests' runs are given a shorter budget (RUN_SECONDS) so the file stays quick
MUST_END_WITHIN = 60.0
RUN_SECONDS = 8
MAX_REQUESTS = 300


@dataclass
class Township:
    template: Path
    front: HostileFront
    platform: PlatformProcess


@pytest.fixture(scope="module")
def township(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Township]:
    root = tmp_path_factory.mktemp("hostile")
    with PlatformProcess(root / "platform") as platform, HostileFront(platform.port) as front:
        folder = root / "template"
        init_data_dir(folder, TOWNSHIP, front.url)
        ctx = folders.online(folder, USERS[TOWNSHIP], tokens=MemoryTokens())
        try:
            page = root / "申请表.png"
            page.write_bytes(render_page("申请表", ["申请人：韦秀英", "事项：城乡居民基本养老保险参保登记"]))
            for _ in range(2):
                new_case(ctx, "GG00231000", PERSON, [MaterialInput("申请表", (page,))])
        finally:
            ctx.close()
        subprocess.run([sys.executable, "-m", "app", "--data", str(folder), "config", "set", "sync.run_seconds",
                        str(RUN_SECONDS)], check=True, capture_output=True, timeout=60)
        yield Township(folder, front, platform)


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float
    requests: int
    folder: Path


def _state(folder: Path) -> dict[str, object]:
    """What sync must never change: cases, actions, applicants, materials, pages, and the blobs' bytes."""
    conn = folders.connect(folder)
    try:
        tables = {
            "cases": "SELECT id, case_no, org, applicant_id, item_code, received_at FROM cases ORDER BY id",
            "actions": "SELECT * FROM actions ORDER BY case_id, seq",
            "applicants": "SELECT * FROM applicants ORDER BY id",
            "materials": "SELECT * FROM materials ORDER BY case_id, seq",
            "pages": "SELECT * FROM pages ORDER BY material_id, seq",
            "blobs": "SELECT sha256, size FROM blobs ORDER BY sha256",
        }
        state: dict[str, object] = {name: conn.execute(sql).fetchall() for name, sql in tables.items()}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    state["blob_files"] = sorted(
        (p.name, hashlib.sha256(folders.blob_bytes(folder, p.parent.name + p.name)).hexdigest())
        for p in (folder / "blobs").glob("??/*") if p.is_file())
    return state


def _sync(township: Township, tmp_path: Path, *, run_seconds: int | None = None,
          prepare: Callable[[Path], None] | None = None, subprocess_: bool = False) -> Run:
    """One ``sync --once`` from a copy of the township; in this process unless ``subprocess_`` (slower)."""
    folder = tmp_path / "township"
    if not folder.exists():
        shutil.copytree(township.template, folder)
    if prepare is not None:
        prepare(folder)
    if run_seconds is not None:
        subprocess.run([sys.executable, "-m", "app", "--data", str(folder), "config", "set", "sync.run_seconds",
                        str(run_seconds)], check=True, capture_output=True, timeout=60)
    before = _state(folder)
    township.front.requests.clear()
    start = time.monotonic()
    p = _cli(folder, "sync", "--once", timeout=MUST_END_WITHIN + 30, subprocess_=subprocess_)
    run = Run(p.returncode, p.stdout, p.stderr, time.monotonic() - start, township.front.total, folder)
    township.front.clear()
    assert run.seconds < MUST_END_WITHIN, run
    if run_seconds is None:  # the run ended by its budget (a few seconds' slack for a loaded machine)
        assert run.seconds < RUN_SECONDS + 10, run
    assert run.code in (0, 2), run
    assert "Traceback" not in run.err and "Error" not in run.err, run.err
    assert run.requests <= MAX_REQUESTS, (run.requests, township.front.requests)
    after = _state(folder)
    assert after == before
    return run


def _cli(folder: Path, *args: str, timeout: float = 60,
         subprocess_: bool = True) -> subprocess.CompletedProcess[str]:
    """``python -m app`` as the clerk runs it, the password in the documented variable.

    In a subprocess there is no keyring at all; in this process (a second faster, and the front's
    threads are the same) the tests' in-memory keyring holds the tokens, and a bug raises here.
    """
    argv = ["--data", str(folder), *args]
    if not subprocess_:
        out, err = io.StringIO(), io.StringIO()
        before = os.environ.get("CHUANGKOU_PASSWORD")
        os.environ["CHUANGKOU_PASSWORD"] = PASSWORD
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = cli_main(argv)
        finally:
            if before is None:
                del os.environ["CHUANGKOU_PASSWORD"]
            else:
                os.environ["CHUANGKOU_PASSWORD"] = before
        return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())
    env = {**os.environ, "CHUANGKOU_PASSWORD": PASSWORD, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    return subprocess.run([sys.executable, "-m", "app", *argv], capture_output=True, text=True, env=env,
                          timeout=timeout)


def _new_case(folder: Path) -> str:
    ctx = folders.open_signed_in(folder)
    try:
        page = folder.parent / "page.png"
        page.write_bytes(render_page("申请表", ["申请人：韦秀英"]))
        return new_case(ctx, cases.ITEM, PERSON, cases.materials(page)).id  # complete: it may be accepted
    finally:
        ctx.close()


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _ended_with(run: Run, *words: str) -> None:
    said = run.err if run.code == 2 else run.out
    assert _chinese(said), run
    for w in words:
        assert w in said, (w, run)


# -- traps ---------------------------------------------------------------------------------------------------------

def html(x: Exchange) -> None:
    x.reply(200, "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>", content_type="text/html")


def truncated_json(x: Exchange) -> None:
    body = json.dumps(x.forward().json()).encode()
    x.raw(Exchange.status_line(200, {"Content-Type": "application/json", "Content-Length": str(len(body))})
          + body[: len(body) // 2])
    x.hang_up()


def rewritten(change: Callable[[object, Exchange], object]) -> Callable[[Exchange], None]:
    """Forward, then change the platform's JSON reply before the client sees it."""
    def trap(x: Exchange) -> None:
        up = x.forward()
        x.reply(up.status, change(up.json(), x))
    return trap


def _after(x: Exchange) -> int:
    return int(parse_qs(urlsplit(x.path).query).get("after", ["0"])[0])


def gzip_bomb(x: Exchange) -> None:
    x.reply(200, BOMB, headers={"Content-Encoding": "gzip"})


def drip_body(x: Exchange) -> None:
    body = json.dumps(x.forward().json()).encode()
    x.raw(Exchange.status_line(200, {"Content-Type": "application/json", "Content-Length": str(len(body))}))
    x.drip(body, 0.2)


def drip_head(x: Exchange) -> None:
    x.drip(Exchange.status_line(200, {"Content-Type": "application/json", "X-Pad": "y" * 400}), 0.2)


def status(code: int, headers: dict[str, str] | None = None, body: object = None) -> Callable[[Exchange], None]:
    return lambda x: x.reply(code, body if body is not None else {"detail": "nope"}, headers=headers)


def offset_stays(x: Exchange) -> None:
    x.reply(204, b"", headers={"Tus-Resumable": "1.0.0", "Upload-Offset": x.headers.get("upload-offset", "0")})


def offset_garbage(x: Exchange) -> None:
    x.reply(204, b"", headers={"Tus-Resumable": "1.0.0", "Upload-Offset": "12abc"})


def deep_nesting(x: Exchange) -> None:
    x.reply(200, "[" * 200_000 + "]" * 200_000)


def _feed_entries(kind_body: list[tuple[str, object]]) -> Callable[[Exchange], None]:
    def trap(x: Exchange) -> None:
        page = x.forward().json()
        seq = page["cursor"]
        extra = []
        for kind, body in kind_body:
            seq += 1
            extra.append({"seq": seq, "kind": kind, "body": body})
        page["entries"] += extra
        page["cursor"] = seq
        x.reply(200, page)
    return trap


BOMB = gzip.compress(b"\0" * (64 << 20), compresslevel=9)  # 64 MiB of zeros in about 64 KiB

ACTIONS, FEED, MISSING, FILES, LOGIN = "/api/v1/actions", "/api/v1/feed", "/api/v1/blobs/missing", "/files", \
    "/api/v1/auth/login"

#: (name, method, path prefix, trap, words the clerk must see); every one ends the run with 0 or 2
CASES: list[tuple[str, str | None, str, Callable[[Exchange], None], tuple[str, ...]]] = [
    ("html instead of JSON", "POST", ACTIONS, html, ("无法识别",)),
    ("truncated JSON", "GET", FEED, truncated_json, ()),
    ("array where an object belongs", "POST", ACTIONS, rewritten(lambda body, x: [body]), ("无法识别",)),
    ("missing fields", "GET", FEED, rewritten(lambda body, x: {}), ("无法识别",)),
    ("renamed fields", "POST", ACTIONS,
     rewritten(lambda body, x: {"items": body["results"]}),  # type: ignore[index]
     ("无法识别",)),
    ("a cursor that is not a number", "GET", FEED,
     rewritten(lambda body, x: {**body, "cursor": "abc"}),  # type: ignore[dict-item]
     ("无法识别",)),
    ("a cursor beyond any number", "GET", FEED, lambda x: x.reply(200, b'{"entries": [], "cursor": 1e400, '
                                                                   b'"more": false}'), ("无法识别",)),
    ("a cursor that is NaN", "GET", FEED, lambda x: x.reply(200, b'{"entries": [], "cursor": NaN, "more": false}'),
     ("无法识别",)),
    ("a non-numeric Upload-Offset", "PATCH", FILES, offset_garbage, ()),
    ("answers for actions never sent", "POST", ACTIONS,
     rewritten(lambda body, x: {"results": [{**r, "id": str(uuid.uuid4())} for r in body["results"]]}),  # type: ignore[index]
     ()),
    ("a seq that is a string", "POST", ACTIONS,
     rewritten(lambda body, x: {"results": [{**r, "seq": str(r.get("seq"))} for r in body["results"]]}),  # type: ignore[index]
     ("无法识别",)),
    ("a gzip bomb", "GET", FEED, gzip_bomb, ("无法识别",)),
    ("a reply dripped a byte at a time", "GET", FEED, drip_body, ()),
    ("headers dripped a byte at a time", "POST", ACTIONS, drip_head, ()),
    ("503 with Retry-After: 290", "POST", ACTIONS, status(503, {"Retry-After": "290"}), ("平台繁忙", "自动重试")),
    ("a feed that always says there is more", "GET", FEED,
     lambda x: x.reply(200, {"entries": [], "cursor": _after(x) + 1, "more": True}), ()),
    ("more, but the cursor stands still", "GET", FEED,
     lambda x: x.reply(200, {"entries": [], "cursor": _after(x), "more": True}), ("无法识别",)),
    ("a tus offset that never moves", "PATCH", FILES, offset_stays, ()),
    ("tus PATCH answered 404", "PATCH", FILES, status(404), ()),
    ("tus PATCH answered 460", "PATCH", FILES, status(460, body={"detail": {"code": "checksum_mismatch",
                                                                             "message": "数据块校验不符"}}), ()),
    ("500 for ever", "GET", FEED, status(500), ("无法连接",)),
    ("the connection closed without an answer", "POST", ACTIONS, lambda x: x.hang_up(), ("无法连接",)),
    ("a redirect to another host", "POST", ACTIONS,
     status(302, {"Location": "http://198.51.100.7/api/v1/actions"}), ("无法识别",)),
    ("a body far over its cap", "POST", MISSING, lambda x: x.reply(200, b" " * (8 << 20) + b"{}"), ("无法识别",)),
    ("JSON nested 200 000 deep", "GET", FEED, deep_nesting, ("无法识别",)),
    ("bytes that are not UTF-8", "GET", FEED, lambda x: x.reply(200, b'{"entries": "\xff\xfe"}'), ("无法识别",)),
    ("a sign-in reply without tokens", "POST", LOGIN, lambda x: x.reply(200, {"access_token": 5}), ("无法识别",)),
    ("401 for ever", "POST", ACTIONS, status(401), ("登录",)),
    ("feed entries out of order", "GET", FEED,
     rewritten(lambda body, x: {**body, "entries": list(reversed(body["entries"]))}  # type: ignore[index]
               if len(body["entries"]) > 1 else {**body, "entries": body["entries"] * 2}),  # type: ignore[index]
     ("无法识别",)),
    ("hashes that were never asked about", "POST", MISSING,
     rewritten(lambda body, x: {"missing": [*body["missing"], "0" * 64, "not a hash"]}),  # type: ignore[index]
     ("无法识别",)),
]


@pytest.mark.parametrize(("name", "method", "prefix", "trap", "words"), CASES, ids=[c[0] for c in CASES])
def test_a_hostile_answer_ends_the_run_in_chinese_and_changes_nothing(
        township: Township, tmp_path: Path, name: str, method: str | None, prefix: str,
        trap: Callable[[Exchange], None], words: tuple[str, ...]) -> None:
    township.front.trap(method, prefix, trap)
    run = _sync(township, tmp_path)
    _ended_with(run, *words)


def test_the_shipped_budget_ends_every_run_within_a_minute() -> None:
    """Every run ends by its ``sync.run_seconds`` (the tests above, with a shorter one): the shipped one is < 60 s.

    No request outlives the run either: each is given at most what is left of the run's time.
    """
    shipped = next(s.default for s in DECLARED if s.name == "sync.run_seconds")
    assert isinstance(shipped, int) and shipped + 5 < MUST_END_WITHIN
    assert RunBudget().seconds <= shipped


@pytest.mark.skipif(not os.environ.get("CHUANGKOU_LONG_TESTS"), reason="50 s; set CHUANGKOU_LONG_TESTS=1 to run")
def test_a_dripping_platform_ends_within_a_minute_with_the_default_budget(township: Township, tmp_path: Path) -> None:
    township.front.trap("GET", FEED, drip_body)
    run = _sync(township, tmp_path, run_seconds=50, subprocess_=True)  # the shipped default, as the clerk runs it
    _ended_with(run)


def test_feed_entries_the_client_cannot_apply_are_set_aside_and_the_rest_applied(
        township: Township, tmp_path: Path) -> None:
    bad_person = {**PERSON, "id_number": "110105194912310021"}  # wrong check digit
    township.front.trap("GET", FEED, _feed_entries([
        ("case", {"id": str(uuid.uuid4()), "owner": TOWNSHIP, "envelope": {"applicant": bad_person}, "actions": []}),
        ("action", {"id": str(uuid.uuid4()), "case_id": str(uuid.uuid4()), "type": "accept", "actor": "x",
                    "at": "2026-11-23T09:00:00+08:00", "payload": {}, "seq": 99}),
        ("hologram", {"x": 1}),
        ("case", ["not", "an", "object"]),
    ]), times=1)
    run = _sync(township, tmp_path)
    assert run.code == 0, run
    conn = folders.connect(run.folder)
    try:
        kept = conn.execute("SELECT kind, reason FROM feed_set_aside ORDER BY seq").fetchall()
        catalog = conn.execute("SELECT COUNT(*) FROM catalog").fetchone()[0]
        pushed = conn.execute("SELECT COUNT(*) FROM action_sync WHERE state = 'accepted'").fetchone()[0]
    finally:
        conn.close()
    assert [k for k, _ in kept] == ["case", "action", "hologram", "case"]
    assert all(_chinese(reason) for _, reason in kept)
    assert catalog > 0 and pushed >= 2  # the rest of the feed and the queue went on


def test_the_token_goes_to_no_other_origin(township: Township, tmp_path: Path) -> None:
    """A tus Location on another port of the same host is another origin: nothing may be sent there."""
    seen: list[bytes] = []
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.2)
        port = listener.getsockname()[1]
        stop = threading.Event()

        def accept() -> None:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except OSError:
                    continue
                with conn:
                    conn.settimeout(1)
                    try:
                        seen.append(conn.recv(4096))
                    except OSError:
                        seen.append(b"")

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        township.front.trap("POST", FILES, lambda x: x.reply(
            201, b"", headers={"Location": f"http://127.0.0.1:{port}/files/stolen", "Tus-Resumable": "1.0.0"}))
        run = _sync(township, tmp_path)
        stop.set()
        thread.join(timeout=2)
    assert seen == []
    assert run.code in (0, 2)
    _ended_with(run)


def test_without_a_trap_the_front_passes_everything_and_the_cases_arrive(township: Township, tmp_path: Path) -> None:
    """The control: through the front, untouched, the run pushes both cases and ends with exit 0."""
    folder = tmp_path / "township"
    shutil.copytree(township.template, folder)
    p = _cli(folder, "--json", "sync", "--once")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["pending"] == 0


def test_a_refused_receive_stays_with_its_reason_and_every_later_sync_goes_on(
        township: Township, tmp_path: Path) -> None:
    """A refused receive used to crash every later sync (StopIteration in fold_lenient): nothing behind it moved."""
    made: list[str] = []

    def refuse(x: Exchange) -> None:
        sent = json.loads(x.body)["actions"]
        if made and made[0] in {a["case_id"] for a in sent} and len(made) == 1:
            made.append("refused")  # once: what the platform refused stays refused, nothing sends it again
            x.reply(200, {"results": [{"id": a["id"], "result": "refused", "reason": "受理编号已被其他窗口使用"}
                                      for a in sent]})
            return
        up = x.forward()
        x.reply(up.status, up.body)

    township.front.trap("POST", ACTIONS, refuse)
    run = _sync(township, tmp_path, prepare=lambda folder: made.append(_new_case(folder)))
    assert run.code == 0 and "受理编号已被其他窗口使用" in run.out, run
    accept = _cli(run.folder, "case", "accept", made[0])
    assert accept.returncode in (0, 2), accept.stderr  # the clerk may act on it; refused or kept, never a crash
    later = _new_case(run.folder)
    township.front.trap("POST", ACTIONS, refuse)
    for _ in range(2):
        again = _cli(run.folder, "--json", "sync", "--once")
        assert again.returncode == 0, again.stderr
    shown = json.loads(_cli(run.folder, "--json", "case", "show", made[0]).stdout)
    assert shown["status"] in ("received", "accepted")
    conn = folders.connect(run.folder)
    try:
        states = dict(conn.execute("SELECT a.case_id, group_concat(s.state) FROM actions a JOIN action_sync s"
                                   " ON s.action_id = a.id GROUP BY a.case_id").fetchall())
        reasons = [r for (r,) in conn.execute("SELECT reason FROM action_sync WHERE state = 'refused'")]
    finally:
        conn.close()
    assert states[later] == "accepted"  # a case made after the refusal reached the platform
    assert "受理编号已被其他窗口使用" in reasons
    status = _cli(run.folder, "--json", "sync", "--once")
    assert status.returncode == 0


# -- downloads: a county fetching a forwarded case's materials from a hostile platform -----------------------------

@pytest.fixture(scope="module")
def county(township: Township, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A county data folder, not synced yet, with one case of another township forwarded to it."""
    root = tmp_path_factory.mktemp("county")
    sender = root / "township2"
    init_data_dir(sender, TOWNSHIP_2, township.front.url)
    ctx = folders.online(sender, USERS[TOWNSHIP_2], tokens=MemoryTokens())
    try:
        page = root / "申请表.png"
        page.write_bytes(render_page("申请表", ["申请人：韦秀英", "上报县级审核"]))
        made = new_case(ctx, cases.ITEM, PERSON, cases.materials(page))
        perform(ctx, made.id, ActionType.ACCEPT)
        perform(ctx, made.id, ActionType.FORWARD, {"to": COUNTY, "text": "拟同意"})
        assert sync_run.sync_once(ctx).pending == 0
    finally:
        ctx.close()
    folder = root / "county"
    init_data_dir(folder, COUNTY, township.front.url)
    folders.online(folder, USERS[COUNTY], tokens=MemoryTokens()).close()
    assert _cli(folder, "config", "set", "sync.run_seconds", str(RUN_SECONDS)).returncode == 0
    return folder


def endless(x: Exchange) -> None:
    x.raw(Exchange.status_line(200, {"Content-Type": "application/octet-stream", "Connection": "close"}))
    for _ in range(800):  # 50 MiB at most, far beyond any blob of the case
        if x.stopped:
            return
        x.raw(b"\0" * 65536)


def wrong_bytes(x: Exchange) -> None:
    up = x.forward()
    x.reply(up.status, bytes(b ^ 0x55 for b in up.body), content_type="application/octet-stream")


DOWNLOADS: list[tuple[str, Callable[[Exchange], None], tuple[str, ...]]] = [
    ("a body that never ends", endless, ()),
    ("the right length of the wrong bytes", wrong_bytes, ("校验不符",)),
    ("206 from another offset", lambda x: x.reply(206, b"\0" * 10, headers={"Content-Range": "bytes 99-108/500"},
                                                  content_type="application/octet-stream"), ()),
    ("a body dripped a byte at a time", lambda x: (x.raw(Exchange.status_line(200, {"Content-Length": "5000"})),
                                                    x.drip(b"\0" * 5000, 0.2)), ()),
    ("404", status(404, body={"detail": {"code": "no_blob", "message": "找不到该材料"}}), ("找不到该材料",)),
    ("a redirect to another host", status(302, {"Location": "http://198.51.100.7/steal"}), ()),
]


@pytest.mark.parametrize(("name", "trap", "words"), DOWNLOADS, ids=[d[0] for d in DOWNLOADS])
def test_a_hostile_download_ends_in_chinese_and_stores_nothing_false(
        township: Township, county: Path, tmp_path: Path, name: str, trap: Callable[[Exchange], None],
        words: tuple[str, ...]) -> None:
    folder = tmp_path / "county"
    shutil.copytree(county, folder)
    township.front.trap("GET", "/api/v1/blobs/", trap)
    township.front.requests.clear()
    start = time.monotonic()
    p = _cli(folder, "sync", "--once", subprocess_=False)
    seconds, requests = time.monotonic() - start, township.front.total
    township.front.clear()
    assert seconds < MUST_END_WITHIN and p.returncode in (0, 2), p
    assert requests <= MAX_REQUESTS
    said = p.stderr if p.returncode == 2 else p.stdout
    assert _chinese(said) and all(w in said for w in words), said
    conn = folders.connect(folder)
    try:
        forwarded = conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
        present = [r[0] for r in conn.execute("SELECT sha256 FROM blobs WHERE present = 1")]
        absent = conn.execute("SELECT COUNT(*) FROM blobs WHERE present = 0").fetchone()[0]
    finally:
        conn.close()
    assert forwarded == 1 and absent > 0  # the case arrived; its materials wait for a platform that behaves
    for path in (folder / "blobs").glob("??/*"):
        assert hashlib.sha256(folders.blob_bytes(folder, path.parent.name + path.name)).hexdigest() \
            == path.parent.name + path.name
    assert all((folder / "blobs" / h[:2] / h[2:]).is_file() for h in present)
    healed = _cli(folder, "--json", "sync", "--once", subprocess_=False)
    assert healed.returncode == 0, healed.stderr
    conn = folders.connect(folder)
    try:
        assert conn.execute("SELECT COUNT(*) FROM blobs WHERE present = 0").fetchone()[0] == 0
    finally:
        conn.close()
