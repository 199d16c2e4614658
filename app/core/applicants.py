"""Applicants (申请人): natural persons and organisations, parsed and validated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from app.core.errors import N_, Message, UserError
from app.core.ids import CREDIT_CHARSET, credit_code_problem, phone_problem, resident_id_problem

ID_TYPES = {"resident_id": "居民身份证", "passport": "护照"}
#: ICAO 9303 document numbers: up to 9 characters on the data page, longer ones (TD1) run into
#: the optional field; letters and digits only once the filler '<' is dropped.
PASSPORT_NUMBER_LENGTHS = range(5, 21)


@dataclass(frozen=True, slots=True)
class Person:
    """A natural person (自然人)."""

    name: str
    id_type: str
    id_number: str
    phone: str = ""
    address: str = ""
    kind: Literal["person"] = "person"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "person", "name": self.name, "id_type": self.id_type,
                "id_number": self.id_number, "phone": self.phone, "address": self.address}


@dataclass(frozen=True, slots=True)
class Organisation:
    """A legal person or other organisation (法人和其他组织)."""

    name: str
    credit_code: str
    legal_rep: Person | None = None
    kind: Literal["org"] = "org"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "org", "name": self.name, "credit_code": self.credit_code,
                "legal_rep": self.legal_rep.to_dict() if self.legal_rep else None}


Applicant = Person | Organisation


def _text(data: Mapping[str, Any], key: str, label: str, *, required: bool = True) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise UserError("申请人信息中的“{label}”应为文字", label=label, log=f"applicant field {key!r} is not text")
    value = value.strip()
    if required and not value:
        raise UserError("申请人信息缺少“{label}”，请补充后重试", label=label, log=f"applicant field {key!r} missing")
    return value


def passport_number_problem(number: str) -> str | None:
    """Why ``number`` cannot be a passport number, or None."""
    if len(number) not in PASSPORT_NUMBER_LENGTHS or not (number.isascii() and number.isalnum()):
        return N_("护照号码应为5至20位字母或数字，请核对")
    return None


def parse_person(data: Mapping[str, Any], today: dt.date | None = None) -> Person:
    """Build a :class:`Person` from the applicant-file shape of DESIGN §9."""
    name = _text(data, "name", N_("姓名"))
    id_type = _text(data, "id_type", N_("证件类型"), required=False) or "resident_id"
    if id_type not in ID_TYPES:
        raise UserError("暂不支持证件类型“{id_type}”，请使用居民身份证（resident_id）或护照（passport）",
                        id_type=id_type,
                        log=f"unsupported id type {id_type!r}")
    id_number = _text(data, "id_number", N_("证件号码")).upper()
    problem = resident_id_problem(id_number, today) if id_type == "resident_id" else passport_number_problem(id_number)
    if problem:
        raise UserError("{name}的{problem}",
                        name=name, problem=problem, log=f"{id_type} number ending {id_number[-4:]!r} failed validation")
    phone = _text(data, "phone", N_("联系电话"), required=False)
    problem = phone_problem(phone) if phone else None
    if problem:
        raise UserError("联系电话“{phone}”有误：{problem}", phone=phone, problem=problem, log="invalid phone number")
    return Person(name, id_type, id_number, phone, _text(data, "address", N_("住址"), required=False))


def parse_applicant(data: Any, today: dt.date | None = None) -> Applicant:
    """Validate an applicant file (person or organisation); raise UserError on bad input."""
    if not isinstance(data, Mapping):
        raise UserError("申请人文件应为一个 JSON 对象", log=f"applicant is a {type(data).__name__}, not an object")
    kind = data.get("kind", "person")
    if kind == "person":
        return parse_person(data, today)
    if kind == "org":
        name = _text(data, "name", N_("单位名称"))
        code = _text(data, "credit_code", N_("统一社会信用代码")).upper()
        problem = credit_code_problem(code)
        if problem:
            raise UserError("{name}的{problem}",
                            name=name, problem=problem, log=f"credit code {code!r} failed validation")
        rep = data.get("legal_rep")
        legal_rep = parse_person(rep, today) if isinstance(rep, Mapping) else None
        return Organisation(name, code, legal_rep)
    raise UserError("申请人类型“{kind}”无效，应为 person（个人）或 org（单位）", kind=kind,
                    log=f"unknown applicant kind {kind!r}")


def identifier(applicant: Applicant) -> str:
    """The applicant's identifying number (ID number or credit code)."""
    return applicant.id_number if isinstance(applicant, Person) else applicant.credit_code


def field_problem(field: str, value: str, today: dt.date | None = None, *, complete: bool = True) -> str | None:
    """Why the applicant field ``field`` is wrong as typed so far, or None.

    While the clerk is still typing (``complete`` False) a prefix that can still become valid
    is not a problem; once they leave the field (or the card filled it) the whole value is
    checked. Empty optional fields are fine; required ones are checked when the case is received.
    """
    v = value.strip()
    if not v:
        return None
    if field in ("id_number", "legal_rep_id_number"):
        v = v.upper()
        if not complete and len(v) < 18 and v.isdigit():
            return None
        return resident_id_problem(v, today)
    if field == "phone":
        if not complete:
            allowed = set("0123456789+-()（） 转#")
            return None if all(ch in allowed for ch in v) else N_("联系电话只能包含数字、空格和“-”")
        return phone_problem(v)
    if field == "credit_code":
        v = v.upper()
        if not complete and len(v) < 18:
            bad = [ch for ch in v if ch not in CREDIT_CHARSET]
            if bad:
                return Message("统一社会信用代码含有无效字符「{bad}」（不使用I、O、Z、S、V）", bad=bad[0])
            return N_("统一社会信用代码第3至8位应为行政区划码") if len(v) > 2 and (not v[2:8].isdigit()) else None
        return credit_code_problem(v)
    return None
