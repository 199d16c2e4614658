"""Read-side use cases: one case in full, filtered lists, and rows for the window's table."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core import permissions
from app.core.case_list import DEFAULT_SORT, CaseFilter, Sort
from app.core.deadlines import Light, traffic_light
from app.core.errors import NotFound
from app.core.lifecycle import OPEN_STATES, Action, ActionType, CaseState, Status
from app.core.masking import mask_id_number, mask_phone
from app.core.session import ROLE_LABELS
from app.services.case_actions import current_state, deadline_of
from app.services.context import AppContext
from app.services.evaluation import evaluation_view
from app.services.fees import fees_view
from app.services.joint_desk import panel_of, panel_view
from app.services.notice_records import fold_notices
from app.store import actions, case_list, cases, sync_state
from app.store.notices import notice_actions


@dataclass(frozen=True, slots=True)
class CaseRow:
    """What the case list shows for one case."""

    id: str
    case_no: str
    applicant: str
    item_name: str
    status: Status
    received_at: dt.datetime
    due: dt.date | None
    provisional: bool
    light: Light | None
    #: the opinion text when a higher unit returned the case (退回) and this unit holds it again, open
    returned: str | None = None
    #: the unit that returned it (its name when known)
    returned_by: str = ""
    #: 待联审: this unit is asked in the case's open joint review and has not answered yet
    joint_waiting: bool = False
    #: a 挂号督办 on it waits for its answer (督办回复)
    supervised: bool = False
    #: the unit that sent (上报) the case to the unit holding it now, by name ("" if never forwarded)
    sent_by: str = ""


@dataclass(frozen=True, slots=True)
class LightCounts:
    """Among the listed cases: close to their limit (临近), overdue (超期), returned (退回)."""

    yellow: int
    red: int
    returned: int = 0


def _light(ctx: AppContext, status: Status, due: dt.date | None) -> Light | None:
    # A suspended case's clock is paused: it cannot turn yellow or red until resumed.
    if due is None or not status.shows_light:
        return None
    return traffic_light(ctx.calendar, due, ctx.today(), ctx.settings.get("deadline.yellow_days"))


def _row(ctx: AppContext, r: dict[str, Any]) -> CaseRow:
    status = Status(r["status"])
    due = dt.date.fromisoformat(r["due_on"]) if r["due_on"] else None
    return CaseRow(
        id=r["id"], case_no=r["case_no"], applicant=r["applicant_name"], item_name=r["item_name"],
        status=status, received_at=dt.datetime.fromisoformat(r["received_at"]), due=due,
        provisional=bool(r["due_provisional"]), light=_light(ctx, status, due),
        returned=r["last_opinion_text"] if r["returned"] else None,
        returned_by=r["last_opinion_unit_name"] if r["returned"] else "",
        joint_waiting=bool(r["joint_waiting"]),
        supervised=bool(r["supervised"]),
        # a case this unit sent up itself names no sender here
        sent_by=r["sent_by_name"] if r["sent_by"] and r["sent_by"] != ctx.settings.get("unit.org") else "",
    )


#: the roles that review what lower units forward
REVIEW_ROLES = frozenset({"reviewer", "approver"})


def opens_on_queue(ctx: AppContext) -> bool:
    """Whether the signed-in person's list starts on 待我审查: a reviewer or approver of a unit that
    lower units report to (as the platform's unit list says; a township's has none)."""
    if ctx.session.role not in REVIEW_ROLES:
        return False
    return sync_state.has_children(ctx.store.reader(), ctx.settings.get("unit.org"))


def viewpoint(ctx: AppContext) -> case_list.Viewpoint:
    """The signed-in person's day, account and unit, as the list's relative filters need them."""
    today = ctx.today()
    # Yellow means at most N working days left, so it ends before the (N+1)-th working day.
    yellow_before, _ = ctx.calendar.add_workdays(today, ctx.settings.get("deadline.yellow_days") + 1)
    return case_list.Viewpoint(today=today, yellow_before=yellow_before, actor=ctx.session.user,
                               unit=ctx.settings.get("unit.org"))


def _filter(where: CaseFilter | None, status: str | None, search: str | None) -> CaseFilter:
    where = where or CaseFilter()
    if status is not None:
        where = dataclasses.replace(where, status=status)
    if search is not None:
        where = dataclasses.replace(where, search=search)
    return dataclasses.replace(where, search=where.search or None, status=where.status or None)


def case_ids(ctx: AppContext, where: CaseFilter | None = None, order: Sort = DEFAULT_SORT, *,
             status: str | None = None, search: str | None = None, among: Sequence[str] | None = None) -> list[str]:
    """Ids of the matching cases in ``order`` (newest first by default): the list model keeps only these.

    ``status`` and ``search`` override those of ``where``; ``among`` keeps only these ids (which
    of some changed cases the list would show).
    """
    return case_list.case_ids(ctx.store.reader(), _filter(where, status, search), order, viewpoint(ctx), among)


def light_counts(ctx: AppContext, where: CaseFilter | None = None, *, status: str | None = None,
                 search: str | None = None) -> LightCounts:
    """Yellow, red and returned among the cases ``case_ids`` would list, counted in SQL."""
    db, f, vp = ctx.store.reader(), _filter(where, status, search), viewpoint(ctx)
    yellow, red = case_list.count_due(db, f, vp)
    return LightCounts(yellow, red, case_list.count_returned(db, f, vp))


def listed_items(ctx: AppContext) -> list[tuple[str, str, int]]:
    """(code, name, cases) of the items the cases are for, the most cases first (the item filter)."""
    return case_list.items_listed(ctx.store.reader())


def case_rows(ctx: AppContext, ids: Iterable[str]) -> dict[str, CaseRow]:
    """Rows for the given ids (a screenful at a time)."""
    rows = case_list.case_rows(ctx.store.reader(), ids, ctx.settings.get("unit.org"))
    return {i: _row(ctx, r) for i, r in rows.items()}


def list_cases(ctx: AppContext, *, status: str | None = None, search: str | None = None) -> list[dict[str, Any]]:
    """The command line's ``case list``."""
    ids = case_ids(ctx, status=status, search=search)
    rows = case_rows(ctx, ids)
    return [
        {"id": r.id, "case_no": r.case_no, "status": str(r.status), "light": r.light and str(r.light),
         "applicant": r.applicant, "item_name": r.item_name, "due": r.due and r.due.isoformat()}
        for r in (rows[i] for i in ids)
    ]


def _for_role(ctx: AppContext, applicant: dict[str, Any]) -> dict[str, Any]:
    """The applicant as the signed-in person may see them: a role without personal data (the
    supervisor, who watches deadlines) sees the name, and the numbers and address masked."""
    if permissions.granted(permissions.parse_role(ctx.session.role), permissions.Permission.READ_PERSONAL_DATA):
        return applicant
    out = dict(applicant)
    if isinstance(out.get("id_number"), str):
        out["id_number"] = mask_id_number(out["id_number"])
    if isinstance(out.get("phone"), str):
        out["phone"] = mask_phone(out["phone"])
    if "address" in out:
        out["address"] = "（已隐藏）"
    if isinstance(out.get("legal_rep"), dict):
        out["legal_rep"] = _for_role(ctx, out["legal_rep"])
    return out


def _by(actor: str, payload: Mapping[str, Any]) -> dict[str, str]:
    """Who took an action, as people name them: 「韦秀英（窗口受理·A岗）」; the account for older actions."""
    by = payload.get("by")
    if not isinstance(by, Mapping):
        return {"actor_name": actor, "actor_label": actor, "role": "", "post": ""}
    name, role, post = str(by.get("name") or actor), str(by.get("role") or ""), str(by.get("post") or "")
    what = "·".join(x for x in (ROLE_LABELS.get(role, role), f"{post}岗" if post else "") if x)
    return {"actor_name": name, "actor_label": f"{name}（{what}）" if what else name, "role": role, "post": post}


def _page_no(page: Mapping[str, Any]) -> int:
    n = page.get("page")
    return n if isinstance(n, int) and not isinstance(n, bool) else 0


def _overrides(history: Iterable[Action], by: Mapping[str, dict[str, str]]) -> list[dict[str, Any]]:
    """The quality-gate overrides of a case: each receive or amendment that took flagged pages
    on the clerk's reason, with who, when, and which page of which material was flagged for what."""
    from app.services.intake import page_message  # the page pipeline's import stays off the CLI's start-up

    out = []
    for a in history:
        override = a.payload.get("quality_override")
        if a.type not in (ActionType.RECEIVE, ActionType.AMEND_MATERIALS) or not isinstance(override, Mapping):
            continue
        # Another unit's receive reaches this window through the feed: its override is data, read warily.
        pages = [p for p in override.get("pages", ()) if isinstance(p, Mapping)] \
            if isinstance(override.get("pages"), list) else []
        out.append({
            "action_id": a.id, "type": str(a.type), "at": a.at.isoformat(), "actor_label": by[a.id]["actor_label"],
            "reason": str(override.get("reason", "")),
            "pages": [{"material": str(p.get("material", "")), "page": _page_no(p), "code": str(p.get("code", "")),
                       "message": page_message(str(p.get("code", "")), _page_no(p))} for p in pages],
        })
    return out


def show_case(ctx: AppContext, ref: str) -> dict[str, Any]:
    """One case in full, in the shape of DESIGN §9 ``case show --json`` (and more: keys are only added).

    Besides the documented keys: each action's standing with the platform (``sync``: pending,
    accepted with the platform's receipt time, refused with its reason); the names of the units
    it mentions (``units``, code → name, as far as the feed has told this window); opinions with
    ``unit_name``; the forwarding units' own opinions (``forwards``); the quality-gate overrides
    (``overrides``); and whether each page's image is on this PC (``present``: a case forwarded
    here fetches its pages later).
    """
    db = ctx.store.reader()
    row = cases.find_case(db, ref)
    if row is None:
        raise NotFound("找不到办件“{ref}”，请核对受理编号", ref=ref, log=f"no case {ref!r}")
    history = actions.load(db, row["id"])
    state = current_state(db, row["id"])
    deadline = deadline_of(ctx, state)
    standing = sync_state.standing_of(db, row["id"])
    absent = {b["sha256"] for b in sync_state.case_blobs(db, row["id"]) if not b["present"]}
    by = {a.id: _by(a.actor, a.payload) for a in history}
    holder = state.holder_or(row["org"])
    forwards = [a for a in history if a.type is ActionType.FORWARD
                and standing.get(a.id, {}).get("state") != "refused"]
    codes = {row["org"], holder, *(o.unit for o in state.opinions)}
    for a in history:
        codes.update(str(a.payload[k]) for k in ("unit", "to") if isinstance(a.payload.get(k), str))
    names = sync_state.unit_names(db, codes)
    here, here_name = ctx.settings.get("unit.org"), ctx.settings.get("unit.name")
    if here in codes and here not in names and here_name:  # before the first sync has brought the units
        names[here] = here_name
    return {
        "id": row["id"], "case_no": row["case_no"], "status": str(state.status),
        "status_label": state.status.label, "item_code": row["item_code"], "item_name": row["item_name"],
        "org": row["org"], "applicant": _for_role(ctx, cases.applicant_of(db, row["applicant_id"])),
        "received_at": row["received_at"],
        "deadline": deadline and {
            "date": deadline.due.isoformat(), "provisional": deadline.provisional,
            "light": (light := _light(ctx, state.status, deadline.due)) and str(light),
        },
        "missing": list(state.missing), "reason": state.reason,
        "materials": [
            {"name": m["name"], "pdf_sha256": m["pdf_sha256"],
             "pages": [{**p, "present": p["sha256"] not in absent} for p in m["pages"]],
             **({"licence_id": m["licence_id"], "present": m["pdf_sha256"] not in absent}
                if m.get("licence_id") else {})}
            for m in cases.materials_of(db, row["id"])
        ],
        "actions": [
            {"id": a.id, "type": str(a.type), "label": a.type.label, "actor": a.actor, **by[a.id],
             "at": a.at.isoformat(),
             "payload": {k: v for k, v in a.payload.items() if k not in ("applicant", "materials", "by")},
             "sync": standing.get(a.id, {"state": "pending", "platform_seq": None, "received_at": None,
                                         "reason": ""})}
            for a in history
        ],
        "refused": [
            {"id": r["id"], "type": r["type"], "label": ActionType(r["type"]).label, "at": r["at"],
             "reason": r["reason"]} for r in sync_state.refused_actions(db, row["id"])
        ],
        "holder": holder,
        "holder_name": names.get(holder, ""),
        "units": names,
        "opinions": [
            {"unit": o.unit, "unit_name": names.get(o.unit, ""), "result": o.result, "text": o.text,
             "at": o.at.isoformat(), "returns": [{"material": r.material, "what": r.what} for r in o.returns]}
            for o in state.opinions
        ],
        # the open 退回: per material, what the window is to correct before forwarding again
        "returns": [{"material": r.material, "what": r.what} for r in state.returns],
        "forwards": [
            {"action_id": a.id, "unit": str(a.payload.get("unit", "")),
             "unit_name": names.get(str(a.payload.get("unit", "")), ""),
             "to": str(a.payload.get("to", "")), "to_name": names.get(str(a.payload.get("to", "")), ""),
             "text": str(a.payload.get("text") or ""), "at": a.at.isoformat(), "actor_label": by[a.id]["actor_label"]}
            for a in forwards
        ],
        "overrides": _overrides(history, by),
        "evaluation": evaluation_view(ctx, state),
        "fees": fees_view(state),
        "notices": [n.to_dict() for n in fold_notices(notice_actions(db, row["id"]))],
        "licence_id": state.licence_id,
        "licence_revoked": state.licence_revoked,
        "paper_check": _paper_check_view(ctx, state, names),
        # 网上联审: each department asked, its due date, late or not (today), what it said
        "joint": panel_view(panel_of(state, ctx.today())),
        "supervisions": [
            {"id": s.id, "unit": s.unit, "unit_name": names.get(s.unit, ""), "to": s.to,
             "to_name": names.get(s.to, ""), "text": s.text, "answer_due": s.answer_due.isoformat(),
             "at": s.at.isoformat(), "answered": s.answered, "late": s.late(ctx.today()), "reply_text": s.reply_text,
             "reply_at": s.reply_at.isoformat() if s.reply_at else None} for s in state.supervisions
        ],
    }


def _paper_check_view(ctx: AppContext, state: CaseState, names: dict[str, str]) -> dict[str, Any] | None:
    """告知承诺: the paper check the approval opened (due day, light while open, result), or None."""
    check = state.paper_check
    if check is None:
        return None
    light = None if not check.open else traffic_light(ctx.calendar, check.due, ctx.today(),
                                                     int(ctx.settings.get("deadline.yellow_days")))
    return {"due": check.due.isoformat(), "unit": check.unit, "unit_name": names.get(check.unit, ""),
            "open": check.open, "light": str(light) if light else None, "result": check.result, "text": check.text,
            "at": check.at.isoformat() if check.at else None,
            "revoke_owed": check.untrue and not state.licence_revoked}


def open_cases_of(ctx: AppContext, kind: str, number: str, item_code: str) -> list[dict[str, str]]:
    """The applicant's cases of ``item_code`` still open here (an intake of the same thing again
    is usually a mistake, or a 补正 that belongs to the open case)."""
    open_states = [str(s) for s in OPEN_STATES]
    marks = ",".join("?" * len(open_states))
    rows = ctx.store.reader().execute(
        f"SELECT id, case_no, status FROM cases WHERE applicant_id = ? AND item_code = ? AND status IN ({marks})"
        " ORDER BY received_at DESC LIMIT 5", [f"{kind}:{number.strip().upper()}", item_code, *open_states])
    return [{"id": r[0], "case_no": r[1], "status": Status(r[2]).label} for r in rows.fetchall()]
