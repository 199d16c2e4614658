"""The text message (短信) an applicant would get when the result is issued (出件) or delivered (送达).

The reference platform only records it in ``sms_log`` (:class:`SmsRecord`) and logs it with the phone
masked; a real deployment would hand the row to its SMS gateway. The text names the case number, the
result, and for a delivery the method with its tracking number or pick-up code; an applicant without
a phone number gets no record (the log says so). Units read their own records through the API
(``GET /api/v1/sms``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.lifecycle import Action, ActionType, CaseState
from app.core.masking import mask_phone
from city_platform.models import Case, SmsRecord, Unit

log = logging.getLogger("platform.sms")

#: the most records one listing returns, newest first
MAX_LISTED = 1000


def applicant_phone(envelope: Mapping[str, Any]) -> str:
    """The phone of the case's applicant: the person's own, or an organisation's legal representative's."""
    applicant = envelope.get("applicant") or {}
    person = applicant.get("legal_rep") if applicant.get("kind") == "org" else applicant
    phone = person.get("phone") if isinstance(person, Mapping) else None
    return phone.strip() if isinstance(phone, str) else ""


def message_text(unit_name: str, case_no: str, item_name: str, action: Action, state: CaseState) -> str:
    """The message for an issue or delivery action on a case now in ``state``."""
    head = f"【{unit_name}】您申请的“{item_name}”（受理编号：{case_no}）"
    p = action.payload
    if action.type is ActionType.ISSUE:
        licence = p.get("licence") if isinstance(p.get("licence"), Mapping) else None
        made = f"，已出具《{licence['name']}》" if licence and isinstance(licence.get("name"), str) else ""
        return f"{head}已办结，办理结果：准予{made}。送达前我们将另行短信告知领取方式。"
    method = str(p.get("method") or "")
    if method == "邮寄":
        how = f"已通过邮寄送达，邮寄单号：{str(p.get('tracking') or '').strip()}，请注意查收"
    elif method == "自助终端":
        how = f"已放入自助终端，取件码：{str(p.get('pickup_code') or '').strip()}，请凭取件码领取"
    else:
        how = "已在窗口领取（窗口自取）"
    return f"{head}办理结果：准予。办理结果{how}。"


def record(session: Session, unit: Unit, case: Case, action: Action, state: CaseState) -> SmsRecord | None:
    """Record the message an accepted issue or delivery action would send; None when there is none to send."""
    if action.type not in (ActionType.ISSUE, ActionType.DELIVER):
        return None
    envelope = json.loads(case.envelope)
    phone = applicant_phone(envelope)
    if not phone:
        log.info("case %s: %s, no phone for a text message", case.case_no, action.type)
        return None
    text = message_text(unit.name, case.case_no, str(envelope.get("item_name") or case.item_code), action, state)
    row = SmsRecord(case_id=case.id, case_no=case.case_no, unit=unit.code, action_id=action.id,
                    kind=str(action.type), phone=phone, text=text)
    session.add(row)
    session.flush()
    log.info("case %s: text message to %s recorded (not sent): %s", case.case_no, mask_phone(phone), action.type)
    return row


def records_of(session: Session, unit: str, case_no: str | None = None) -> list[SmsRecord]:
    """The unit's records (those its own actions made), newest first, at most :data:`MAX_LISTED`."""
    query = select(SmsRecord).where(SmsRecord.unit == unit)
    if case_no is not None:
        query = query.where(SmsRecord.case_no == case_no)
    return list(session.scalars(query.order_by(SmsRecord.id.desc()).limit(MAX_LISTED)))
