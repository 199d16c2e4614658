"""Demo and benchmark data: sample applicants and cases spread over every state.

Used by ``main.py --demo`` (a throwaway data folder) and by ``bench/``. Everything goes
through the same use cases as real work, except :func:`seed_bulk`, which writes many cases
per transaction to make 100 000-case sets quickly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import random
from collections.abc import Callable, Sequence
from pathlib import Path

import sqlite_utils
from PIL import Image, ImageDraw, ImageFont

from app.core import permissions
from app.core.chain import GENESIS
from app.core.ids import resident_id_check_char
from app.core.lifecycle import Action, ActionType, Status, apply, start
from app.core.session import Session
from app.services import intake
from app.services.case_actions import perform, write_action
from app.services.context import AppContext
from app.store import cases
from app.store.bundled import FONT_FILE

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁韦覃莫蒙"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红海燕"
TOWNS = ["长洲区大塘街道", "长洲区兴龙街道", "龙圩区龙圩镇", "龙圩区大坡镇", "万秀区城东镇"]


def sample_person(rng: random.Random) -> dict[str, str]:
    """A made-up applicant with a valid resident ID number."""
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 55))
    body = f"450403{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    return {
        "kind": "person", "name": name, "id_type": "resident_id",
        "id_number": body + resident_id_check_char(body),
        "phone": f"13{rng.randrange(0, 10**9):09d}", "address": f"梧州市{rng.choice(TOWNS)}{rng.randrange(1, 300)}号",
    }


def render_page(title: str, lines: list[str], size: tuple[int, int] = (827, 1169)) -> bytes:
    """A small A4-shaped page image with Chinese text (100 dpi: enough for a demo)."""
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    big, small = ImageFont.truetype(str(FONT_FILE), 40), ImageFont.truetype(str(FONT_FILE), 24)
    draw.text((size[0] // 2, 90), title, font=big, fill=0, anchor="mm")
    for i, line in enumerate(lines):
        draw.text((80, 180 + i * 44), line, font=small, fill=0)
    draw.rectangle((60, 150, size[0] - 60, size[1] - 80), outline=0, width=2)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


# The states a demo case is walked to, with the actions that get it there.
_WALKS: list[list[tuple[ActionType, dict[str, object]]]] = [
    [],
    [(ActionType.NOTIFY_MISSING, {"missing": ["户口簿复印件", "近期免冠照片"]})],
    [(ActionType.ACCEPT, {})],
    [(ActionType.ACCEPT, {}), (ActionType.START_REVIEW, {})],
    [(ActionType.ACCEPT, {}), (ActionType.SUSPEND, {"reason": "现场踏勘"})],
    [(ActionType.ACCEPT, {}), (ActionType.FORWARD, {"to": "450403", "text": "材料齐全，拟同意，请审批"})],
    [(ActionType.ACCEPT, {}), (ActionType.DECIDE, {"result": "准予"})],
    [(ActionType.ACCEPT, {}), (ActionType.DECIDE, {"result": "准予"}), (ActionType.ISSUE, {}),
     (ActionType.DELIVER, {"method": "窗口自取"})],
    [(ActionType.REJECT, {"reason": "不属于本单位受理范围"})],
    [(ActionType.WITHDRAW, {"reason": "申请人主动撤回"})],
]


def make_demo_data(ctx: AppContext, folder: Path, count: int = 60, seed: int = 7,
                   forward_to: str | None = None, staff: Sequence[Session] = ()) -> list[str]:
    """``count`` cases received over the last weeks, in every state; returns their numbers.

    ``forward_to`` is the unit forwarded cases go to (the parent unit, once signed in). Each step
    is taken by the first of ``ctx``'s person and ``staff`` whose role may take it (a clerk
    receives, a reviewer starts the review, an approver decides…).
    """
    people = [ctx.session, *staff]

    def by_whom(kind: ActionType, status: Status) -> AppContext:
        for person in people:
            if permissions.may(permissions.parse_role(person.role), kind, status):
                return dataclasses.replace(ctx, session=person)
        return ctx  # nobody may: the refusal says why
    rng = random.Random(seed)
    items = list(ctx.catalog)
    folder.mkdir(parents=True, exist_ok=True)
    now = ctx.clock()
    made = []
    for n in range(count):
        item = items[n % len(items)]
        applicant = sample_person(rng)
        walk = _WALKS[n % len(_WALKS)]
        if walk and walk[0][0] is ActionType.ACCEPT:
            # Spread open cases over the lights: overdue, close to the limit, comfortable.
            left = (-2, 1, 6, 0, 9, 4)[(n // len(_WALKS)) % 6]
            when = _workdays_before(ctx, now, max(item.promised_days - left, 0))
        else:
            when = now - dt.timedelta(days=rng.randrange(0, 30))
        when = when.replace(hour=8) + dt.timedelta(minutes=rng.randrange(0, 480))
        latest = now - dt.timedelta(minutes=20 * len(walk) + 60)
        if when > latest:  # nothing received in the future, nor walked past now (the platform refuses that)
            when = latest - dt.timedelta(minutes=rng.randrange(0, 540))
        at = dataclasses.replace(ctx, clock=_fixed(when))
        materials = []
        for m, spec in enumerate(s for s in item.materials if s.required):  # complete: it may be accepted
            page = folder / f"{n}-{m}.png"
            page.write_bytes(render_page(spec.name, [f"申请人：{applicant['name']}", f"事项：{item.name}"]))
            materials.append(intake.MaterialInput(spec.name, (page,)))
        case = intake.new_case(at, item.code, applicant, materials)
        status = Status.RECEIVED
        for kind, payload in walk:
            when += dt.timedelta(minutes=20)
            if kind is ActionType.FORWARD and forward_to:
                payload = {**payload, "to": forward_to}
            status = perform(dataclasses.replace(by_whom(kind, status), clock=_fixed(when)), case.id, kind,
                             payload).status
        made.append(case.case_no)
    return made


def _workdays_before(ctx: AppContext, now: dt.datetime, count: int) -> dt.datetime:
    """The moment ``count`` working days before ``now`` (same time of day)."""
    day, seen = now, 0
    while seen < count:
        day -= dt.timedelta(days=1)
        seen += ctx.calendar.is_workday(day.date())
    return day


def _fixed(when: dt.datetime) -> Callable[[], dt.datetime]:
    return lambda: when


def seed_bulk(ctx: AppContext, count: int, *, batch: int = 5000, seed: int = 1) -> None:
    """Write ``count`` accepted cases quickly (one shared material) for benchmarks."""
    rng = random.Random(seed)
    pdf_page = ctx.store.blobs.put(render_page("申请表", ["样例"]))
    material = cases.MaterialRecord(id="", name="申请表", pdf_sha256=pdf_page, pdf_bytes=0,
                                    pages=(cases.PageRecord(pdf_page, 0, "gray"),))
    items = list(ctx.catalog)
    base = ctx.clock() - dt.timedelta(days=60)
    for first in range(0, count, batch):
        def write(db: sqlite_utils.Database, first: int = first) -> None:
            for n in range(first, min(first + batch, count)):
                item, person = items[n % len(items)], sample_person(rng)
                case_id = ctx.new_id()
                at = base + dt.timedelta(seconds=n * 50)
                cases.insert_case(
                    db, case_id=case_id, case_no=f"450403{at:%Y%m%d}99{n:06d}", item_code=item.code,
                    item_name=item.name, org="bench", applicant_id=f"person:{person['id_number']}",
                    applicant=person, identifier=person["id_number"], received_at=at,
                    materials=[dataclasses.replace(material, id=ctx.new_id())],
                )
                receive = Action(ctx.new_id(), case_id, ActionType.RECEIVE, "bench", at, {"item_code": item.code})
                state = start(receive)
                head = write_action(ctx, db, receive, state, 0, GENESIS)
                accept = Action(ctx.new_id(), case_id, ActionType.ACCEPT, "bench", at,
                                {"promised_days": item.promised_days})
                write_action(ctx, db, accept, apply(state, accept), *head)

        ctx.store.write(write)
