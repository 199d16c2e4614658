"""A hostile township against the platform (real process): what it tries, and that nobody else notices.

夏郢镇 (TOWNSHIP_2) plays the hostile unit; 城东镇 (TOWNSHIP), its neighbour under the same
county, the victim. They share the county's 6-digit division, so only the window number tells
their case numbers apart. Every attack goes through the HTTP API as a modified client would
send it; at the end the victim and the county sync with the real client, and nothing of theirs
is refused, lost or set aside.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.exc import IntegrityError

from app.core.ids import credit_code_check_char
from app.core.lifecycle import ActionType
from app.services import sync_run
from app.services.case_actions import perform
from app.services.context import AppContext, init_data_dir
from app.services.intake import MaterialInput, new_case
from app.services.queries import show_case
from app.sync.retry import RetryPolicy
from tests.conftest import PERSON
from tests.platform_fixture import platform  # noqa: F401
from tests.support import cases, folders
from tests.support.platform import (
    COUNTY,
    OTHER_COUNTY,
    TOWNSHIP,
    TOWNSHIP_2,
    USERS,
    WINDOWS,
    PlatformProcess,
)
from tests.support.platform_api import (
    APPLICANT,
    RECEIVED,
    NewCase,
    bearer,
    case_number,
    create_upload,
    feed,
    login,
    missing,
    patch,
    push_one,
    sha256,
    token,
    upload,
)

CHINESE = re.compile(r"[\u4e00-\u9fff]")
HOSTILE, VICTIM = TOWNSHIP_2, TOWNSHIP
CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def client(platform: PlatformProcess) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=10) as c:
        yield c


@pytest.fixture
def tokens(client: httpx.Client) -> dict[str, str]:
    """The window clerk of each unit (a county's clerk receives cases under the county's numbers)."""
    return {unit: token(client, unit, "clerk") for unit in (TOWNSHIP, TOWNSHIP_2, COUNTY, OTHER_COUNTY)}


def _result(result: dict[str, Any], expected: str, *fragments: str) -> None:
    assert result["result"] == expected, result
    if expected == "refused":
        assert CHINESE.search(result["reason"]), result
    for fragment in fragments:
        assert fragment in result["reason"], result


def _received(client: httpx.Client, tok: str, case: NewCase, at: str = RECEIVED) -> None:
    case.upload_blobs(client, tok)
    _result(push_one(client, tok, case.receive(at)), "accepted")


def _entries_of(client: httpx.Client, tok: str, case_id: str) -> list[dict[str, Any]]:
    return [e for e in feed(client, tok) if e["case_id"] == case_id]


def _now() -> dt.datetime:
    return dt.datetime.now(CST)


# -- case numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("owner", "number", "fragment"), [
    (VICTIM, lambda: case_number(VICTIM), "窗口号"),  # the neighbour's window
    (COUNTY, lambda: case_number(COUNTY), "窗口号"),  # the county shares the division
    (OTHER_COUNTY, lambda: case_number(OTHER_COUNTY), "行政区划码"),
    (None, lambda: case_number(HOSTILE, day="2026-11-24"), "日期"),  # own window, another day than the receipt
    (None, lambda: "45040320261123510A01", "20位数字"),
    (None, lambda: "45040320261323510001", "日期无效"),
])
def test_a_case_number_must_be_one_the_sending_window_makes(client: httpx.Client, tokens: dict[str, str],
                                                           owner: str | None, number: Any, fragment: str) -> None:
    squatted = number()
    squat = NewCase(case_no=squatted)
    squat.upload_blobs(client, tokens[HOSTILE])
    _result(push_one(client, tokens[HOSTILE], squat.receive()), "refused", fragment)
    assert not _entries_of(client, tokens[HOSTILE], squat.case_id)
    if owner is not None:  # the number is still free for the unit it belongs to
        _received(client, tokens[owner], NewCase(case_no=squatted))


def test_numbers_of_the_unassigned_window_are_first_come_first_served(client: httpx.Client,
                                                                     tokens: dict[str, str]) -> None:
    """A window numbers with window 01 until its first sign-in (the offline-first flow): no unit
    owns 01, so any unit of the division may use it, but a number is still taken only once."""
    number = f"{VICTIM[2:8]}2026112301{uuid.uuid4().int % 9999 + 1:04d}"
    _received(client, tokens[VICTIM], NewCase(case_no=number))
    again = NewCase(case_no=number)
    again.upload_blobs(client, tokens[HOSTILE])
    _result(push_one(client, tokens[HOSTILE], again.receive()), "refused", "已被其他窗口使用")
    elsewhere = NewCase(case_no=f"{OTHER_COUNTY[2:8]}{number[6:]}")
    elsewhere.upload_blobs(client, tokens[HOSTILE])
    _result(push_one(client, tokens[HOSTILE], elsewhere.receive()), "refused", "行政区划码")


def test_each_unit_signs_in_with_its_own_window(client: httpx.Client) -> None:
    for unit, window in WINDOWS.items():
        assert login(client, unit)["unit"]["window_no"] == window


def test_window_numbers_are_unique_within_a_division(tmp_path: Path) -> None:
    from city_platform.database import Database
    from city_platform.models import Unit
    from city_platform.seed import seed_demo
    from city_platform.windows import UNASSIGNED_WINDOW, allocate_window, windows_in_division

    def code(division: str, serial: str) -> str:
        body = f"12{division}{serial}"
        return body + credit_code_check_char(body)

    db = Database(f"sqlite:///{tmp_path / 'p.sqlite3'}")
    try:
        seed_demo(db)
        new_township = code("450403", "MB1904109")  # 万秀区 again: county and townships share 450403
        with db.writing() as session:
            assert windows_in_division(session, new_township) == {
                WINDOWS[COUNTY]: COUNTY, WINDOWS[TOWNSHIP]: TOWNSHIP, WINDOWS[TOWNSHIP_2]: TOWNSHIP_2}
            with pytest.raises(ValueError, match="belongs to"):
                allocate_window(session, new_township, WINDOWS[COUNTY])
            with pytest.raises(ValueError):
                allocate_window(session, new_township, UNASSIGNED_WINDOW)
            assert allocate_window(session, new_township) == 2  # the lowest free one, never 01
            # In another division the same number is free.
            assert allocate_window(session, code("450405", "MB1904109"), WINDOWS[COUNTY]) == WINDOWS[COUNTY]
        # The database holds the rule too, whoever adds a unit.
        with pytest.raises(IntegrityError), db.writing() as session:
            session.add(Unit(code=new_township, name="某镇", tier="township", parent=COUNTY, division="450403109",
                             window_no=WINDOWS[TOWNSHIP]))
    finally:
        db.dispose()


# -- envelopes ------------------------------------------------------------------------------------


def _without(d: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k != key}


def _envelope_edits() -> list[tuple[str, Any, str]]:
    """(name, edit of the receive action, fragment of the reason)."""
    def applicant(value: Any) -> Any:
        def edit(receive: dict[str, Any]) -> None:
            receive["case"]["applicant"] = receive["payload"]["applicant"] = value
        return edit

    def material(**changes: Any) -> Any:
        def edit(receive: dict[str, Any]) -> None:
            receive["case"]["materials"][0].update(changes)
        return edit

    def envelope(**changes: Any) -> Any:
        def edit(receive: dict[str, Any]) -> None:
            receive["case"].update(changes)
        return edit

    def twice(receive: dict[str, Any]) -> None:
        receive["case"]["materials"].append({**receive["case"]["materials"][0], "id": str(uuid.uuid4())})

    def no_envelope(receive: dict[str, Any]) -> None:
        del receive["case"]

    def payload_applicant(receive: dict[str, Any]) -> None:
        receive["payload"]["applicant"] = {**APPLICANT, "id_number": "450403195603120027"}

    return [
        ("no ID number", applicant(_without(APPLICANT, "id_number")), "证件号码"),
        ("bad check digit", applicant({**APPLICANT, "id_number": "450403195603120027"}), "校验位"),
        ("birth date to come", applicant({**APPLICANT, "id_number": "450403209901010014"}), "出生日期"),
        ("bad credit code", applicant({"kind": "org", "name": "某公司", "credit_code": "91450400MA5KXXXXX1"}),
         "统一社会信用代码"),
        ("applicant not an object", applicant(["覃桂兰"]), "申请人"),
        ("item code", envelope(item_code="XK123"), "事项编码"),
        ("item type", envelope(item_code="ZZ00231000"), "类型字母"),
        ("pdf hash not hex", material(pdf_sha256="z" * 64), "材料清单"),
        ("page hash in capitals", material(pages=[{"sha256": "A" * 64, "bytes": 1, "kind": "photo"}]), "材料清单"),
        ("no pages", material(pages=[]), "材料清单"),
        ("blank name", material(name="  "), "材料清单"),
        ("same material twice", twice, "多次"),
        ("no envelope", no_envelope, "缺少办件信息"),
        ("receive payload names another applicant", payload_applicant, "校验位"),
    ]


@pytest.mark.parametrize(("edit", "fragment"), [(e, f) for _, e, f in _envelope_edits()],
                         ids=[n for n, _, _ in _envelope_edits()])
def test_an_invalid_envelope_is_refused_and_never_reaches_a_feed(client: httpx.Client, tokens: dict[str, str],
                                                                 edit: Any, fragment: str) -> None:
    tok = tokens[HOSTILE]
    case = NewCase(case_no=case_number(HOSTILE))
    case.upload_blobs(client, tok)  # its blobs are there: nothing hides behind a "retry"
    receive = case.receive()
    edit(receive)
    _result(push_one(client, tok, receive), "refused", fragment)
    _result(push_one(client, tok, receive), "refused", fragment)  # the same answer, every time
    for action in (case.action("accept", {"promised_days": 5}),
                   case.action("forward", {"to": COUNTY, "unit": HOSTILE, "text": "拟同意"})):
        _result(push_one(client, tok, action), "retry")  # there is no such case to act on
    for unit in (HOSTILE, COUNTY):
        assert not _entries_of(client, tokens[unit], case.case_id)


def _platform_db(platform: PlatformProcess) -> sqlite3.Connection:  # noqa: F811
    return sqlite3.connect(platform.folder / "platform.sqlite3", timeout=30)


def test_a_case_stored_before_the_checks_is_not_passed_on(client: httpx.Client, tokens: dict[str, str],
                                                         platform: PlatformProcess) -> None:  # noqa: F811
    tok = tokens[HOSTILE]
    case = NewCase(case_no=case_number(HOSTILE))
    _received(client, tok, case)
    _result(push_one(client, tok, case.action("accept", {"promised_days": 5})), "accepted")
    # What an older platform let in: an applicant without an ID number.
    conn = _platform_db(platform)
    try:
        (raw,) = conn.execute("SELECT envelope FROM cases WHERE id = ?", [case.case_id]).fetchone()
        envelope = json.loads(raw)
        del envelope["applicant"]["id_number"]
        with conn:
            conn.execute("UPDATE cases SET envelope = ? WHERE id = ?", [json.dumps(envelope), case.case_id])
    finally:
        conn.close()
    forward = case.action("forward", {"to": COUNTY, "unit": HOSTILE, "text": "拟同意"})
    _result(push_one(client, tok, forward), "refused", "不能上报", "证件号码")
    assert not _entries_of(client, tokens[COUNTY], case.case_id)
    # Its own unit can still close it.
    _result(push_one(client, tok, case.action("withdraw", {"reason": "申请人撤回"})), "accepted")


# -- blobs ----------------------------------------------------------------------------------------


def test_knowing_a_hash_grants_nothing(client: httpx.Client, tokens: dict[str, str],
                                       platform: PlatformProcess) -> None:  # noqa: F811
    victim_case = NewCase(case_no=case_number(VICTIM))
    _received(client, tokens[VICTIM], victim_case)
    theirs = list(victim_case.blobs)
    never = sha256(os.urandom(32))
    hostile = tokens[HOSTILE]

    # Asking tells nothing: another unit's blob is as missing as one nobody has.
    assert missing(client, hostile, [*theirs, never]) == [*theirs, never]
    assert missing(client, tokens[VICTIM], [*theirs, never]) == [never]
    for sha in (*theirs, never):
        r = client.get(f"/api/v1/blobs/{sha}", headers=bearer(hostile))
        assert r.status_code == 404 and r.json()["detail"]["code"] == "no_blob"

    # Naming them in a case of its own takes nothing either: the case waits for uploads that never come.
    copy = NewCase(case_no=case_number(HOSTILE), blobs=victim_case.blobs)
    for _ in range(2):
        _result(push_one(client, hostile, copy.receive()), "retry", "尚未上传")
    assert not _entries_of(client, hostile, copy.case_id)
    own = NewCase(case_no=case_number(HOSTILE))
    _received(client, hostile, own)
    pdf_sha, page_sha = theirs
    amend = own.action("amend_materials", {"materials": [{
        "id": str(uuid.uuid4()), "name": "身份证", "pdf_sha256": pdf_sha, "pdf_bytes": 1,
        "pages": [{"sha256": page_sha, "bytes": 1, "kind": "photo"}]}]})
    _result(push_one(client, hostile, amend), "retry", "尚未上传")
    for sha in theirs:
        assert client.get(f"/api/v1/blobs/{sha}", headers=bearer(hostile)).status_code == 404

    # Holding the bytes is what counts: uploaded by this unit too, the same blob (stored once) is its own.
    pdf = victim_case.blobs[pdf_sha]
    location = create_upload(client, hostile, len(pdf), pdf_sha)
    assert patch(client, hostile, location, 0, pdf).status_code == 204
    assert not (platform.folder / "blobs" / "uploads" / location.rsplit("/", 1)[1]).exists()
    upload(client, hostile, victim_case.blobs[page_sha])
    assert missing(client, hostile, theirs) == []
    _result(push_one(client, hostile, copy.receive()), "accepted")
    _result(push_one(client, hostile, amend), "accepted")
    assert client.get(f"/api/v1/blobs/{pdf_sha}", headers=bearer(hostile)).content == pdf
    assert client.get(f"/api/v1/blobs/{pdf_sha}", headers=bearer(tokens[VICTIM])).content == pdf


def test_a_forwarded_case_opens_its_blobs_to_the_county_only(client: httpx.Client, tokens: dict[str, str]) -> None:
    case = NewCase(case_no=case_number(VICTIM))
    _received(client, tokens[VICTIM], case)
    _result(push_one(client, tokens[VICTIM], case.action("accept", {"promised_days": 5})), "accepted")
    sha = next(iter(case.blobs))
    assert client.get(f"/api/v1/blobs/{sha}", headers=bearer(tokens[COUNTY])).status_code == 404
    forward = case.action("forward", {"to": COUNTY, "unit": VICTIM, "text": "拟同意"})
    _result(push_one(client, tokens[VICTIM], forward), "accepted")
    assert client.get(f"/api/v1/blobs/{sha}", headers=bearer(tokens[COUNTY])).content == case.blobs[sha]
    for unit in (HOSTILE, OTHER_COUNTY):
        assert client.get(f"/api/v1/blobs/{sha}", headers=bearer(tokens[unit])).status_code == 404
    # The county did not upload it: asked, it is missing to the county (it reveals nothing either way).
    assert missing(client, tokens[COUNTY], [sha]) == [sha]


# -- who and when -----------------------------------------------------------------------------------


def test_the_actor_is_the_signed_in_user_and_both_times_are_kept(client: httpx.Client,
                                                                 tokens: dict[str, str]) -> None:
    # An action naming anyone but the signed-in user is refused, whatever else it carries (a client
    # from before sign-in named the OS account). The signed-in user's own are kept with both times.
    tok = tokens[HOSTILE]
    long_ago = _now() - dt.timedelta(days=400)  # a window offline that long is rare, not forbidden
    case = NewCase(case_no=case_number(HOSTILE, day=long_ago.isoformat()))
    case.upload_blobs(client, tok)
    _result(push_one(client, tok, {**case.receive(long_ago.isoformat()), "actor": "县长本人"}), "refused",
            "县长本人")
    me = USERS[HOSTILE]
    receive = {**case.receive(long_ago.isoformat()), "actor": me}
    receive["id"] = str(uuid.uuid4())
    accept = case.action("accept", {"promised_days": 5}, actor=me, at=(long_ago + dt.timedelta(hours=1)).isoformat())
    forward = case.action("forward", {"to": COUNTY, "unit": HOSTILE, "text": "拟同意"}, actor=me,
                          at=(long_ago + dt.timedelta(hours=2)).isoformat())
    sent = {a["id"]: a for a in (receive, accept, forward)}
    for action in sent.values():
        result = push_one(client, tok, action)
        _result(result, "accepted")
        assert abs(dt.datetime.fromisoformat(result["received_at"]) - _now()) < dt.timedelta(minutes=1)

    (given,) = [e for e in _entries_of(client, tokens[COUNTY], case.case_id) if e["kind"] == "case"]
    for body in given["body"]["actions"]:
        assert body["actor"] == USERS[HOSTILE]
        assert body["at"] == sent[body["id"]]["at"]  # the device's time, as the clerk's PC had it
        assert dt.datetime.fromisoformat(body["received_at"]) - dt.datetime.fromisoformat(body["at"]) > \
            dt.timedelta(days=399)
    own = [e["body"] for e in _entries_of(client, tok, case.case_id) if e["kind"] == "action"]
    assert [(a["type"], a["actor"]) for a in own] == [("accept", USERS[HOSTILE]), ("forward", USERS[HOSTILE])]


def test_a_device_time_in_the_future_is_refused(client: httpx.Client, tokens: dict[str, str]) -> None:
    tok = tokens[HOSTILE]
    ahead = _now() + dt.timedelta(hours=1)
    future = NewCase(case_no=case_number(HOSTILE, day=ahead.isoformat()))
    future.upload_blobs(client, tok)
    _result(push_one(client, tok, future.receive(ahead.isoformat())), "refused", "晚于平台当前时间")

    case = NewCase(case_no=case_number(HOSTILE))
    _received(client, tok, case)
    early = case.action("accept", {"promised_days": 5}, at=ahead.isoformat())
    _result(push_one(client, tok, early), "refused", "晚于平台当前时间")
    _result(push_one(client, tok, early), "refused", "晚于平台当前时间")
    # A clock a few minutes fast is within the allowed skew.
    slightly = case.action("accept", {"promised_days": 5}, at=(_now() + dt.timedelta(minutes=5)).isoformat())
    _result(push_one(client, tok, slightly), "accepted")


# -- and then the others sync ---------------------------------------------------------------------


def _window(root: Path, unit: str, platform: PlatformProcess) -> AppContext:  # noqa: F811
    init_data_dir(root / unit, unit, platform.url)
    ctx = folders.online(root / unit, USERS[unit])
    return ctx


def test_after_every_attack_the_others_sync_complete(
    tmp_path: Path, client: httpx.Client, tokens: dict[str, str], platform: PlatformProcess,  # noqa: F811
    pages: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sync_run, "DEFAULT_POLICY", RetryPolicy(attempts=3, base=0.05, cap=0.2))
    victim, county = _window(tmp_path, VICTIM, platform), _window(tmp_path, COUNTY, platform)
    try:
        made = new_case(victim, cases.ITEM, PERSON, cases.materials(pages["text"], pages["photo"]))
        perform(victim, made.id, ActionType.ACCEPT, {"promised_days": 5})
        hostile = tokens[HOSTILE]
        # The neighbour predicts the victim's numbers (the one made and the next) and takes them first…
        for n in (0, 1):
            number = made.case_no[:-4] + f"{int(made.case_no[-4:]) + n:04d}"
            squat = NewCase(case_no=number)
            squat.upload_blobs(client, hostile)
            at = victim.clock().isoformat()
            _result(push_one(client, hostile, squat.receive(at)), "refused", "窗口号")
        later = new_case(victim, "GG00231000", PERSON, [MaterialInput("申请表", (pages["alpha"],))])
        assert later.case_no == number
        # The victim's own sync goes through whole, under its own numbers.
        report = sync_run.sync_once(victim)
        assert (report.pushed, report.refused, report.pending, report.set_aside) == (3, [], 0, 0)

        # Its blobs now on the platform, the neighbour names them in a case of its own…
        shown = show_case(victim, made.id)["materials"]
        copy = NewCase(case_no=case_number(HOSTILE))
        receive = copy.receive()
        receive["case"]["materials"] = [{
            "id": str(uuid.uuid4()), "name": m["name"], "pdf_sha256": m["pdf_sha256"], "pdf_bytes": 1,
            "pages": [{"sha256": p["sha256"], "bytes": 1, "kind": "photo"} for p in m["pages"]]} for m in shown]
        _result(push_one(client, hostile, receive), "retry")
        assert client.get(f"/api/v1/blobs/{shown[0]['pdf_sha256']}", headers=bearer(hostile)).status_code == 404
        # …sends a case without an ID number, and one accepted by "the county head", forwarded from the future.
        bad = NewCase(case_no=case_number(HOSTILE), applicant=_without(APPLICANT, "id_number"))
        bad.upload_blobs(client, hostile)
        _result(push_one(client, hostile, bad.receive()), "refused")
        _result(push_one(client, hostile, bad.action("forward", {"to": COUNTY, "unit": HOSTILE, "text": "急"})),
                "retry")
        forged = NewCase(case_no=case_number(HOSTILE))
        _received(client, hostile, forged)
        _result(push_one(client, hostile, forged.action("accept", {"promised_days": 5}, actor="县长本人")),
                "refused", "县长本人")
        _result(push_one(client, hostile, forged.action("accept", {"promised_days": 5})), "accepted")
        tomorrow = (_now() + dt.timedelta(days=1)).isoformat()
        _result(push_one(client, hostile, forged.action("forward", {"to": COUNTY, "unit": HOSTILE, "text": "急"},
                                                        at=tomorrow)), "refused")
        _result(push_one(client, hostile, forged.action("forward", {"to": COUNTY, "unit": HOSTILE, "text": "急"})),
                "accepted")

        perform(victim, made.id, ActionType.FORWARD, {"to": COUNTY, "text": "材料齐全，拟同意"})
        report = sync_run.sync_once(victim)
        assert (report.pushed, report.refused, report.pending, report.set_aside) == (1, [], 0, 0)

        # The county gets both forwarded cases, every material, and sets nothing aside.
        report = sync_run.sync_once(county)
        assert report.set_aside == 0 and report.refused == []
        seen = show_case(county, made.case_no)
        assert seen["materials"] == show_case(victim, made.id)["materials"]
        assert seen["status"] == "forwarded"
        for m in seen["materials"]:
            for sha in (m["pdf_sha256"], *(p["sha256"] for p in m["pages"])):
                assert county.store.blobs.has(sha)
        theirs = show_case(county, forged.case_no)
        assert {a["actor"] for a in theirs["actions"]} == {USERS[HOSTILE]}
        assert sync_run.sync_once(victim).set_aside == 0
    finally:
        victim.close()
        county.close()
