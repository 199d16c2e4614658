"""The service-item catalogue (事项目录): model and parser.

The platform distributes the catalogue as JSON; :func:`parse_catalog` validates the
already-loaded mapping and builds immutable :class:`CatalogItem` records, and
:func:`catalog_to_dict` turns a :class:`Catalog` back into the same shape. Every
problem raises :class:`CatalogError` with a plain Chinese message naming the item
and the field. Keys the parser does not know are ignored, so the platform may add
fields later.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.core.errors import Message
from app.core.ids import credit_code_problem
from app.core.joint_review import JOINT_RULES
from app.core.licence_ids import TYPE_CODE_RE

TYPE_PREFIXES: Mapping[str, str] = {
    "XK": "行政许可",
    "JF": "行政给付",
    "QR": "行政确认",
    "ZS": "行政征收",
    "CJ": "行政裁决",
    "JL": "行政奖励",
    "QT": "其他行政权力",
    "GG": "公共服务",
}
ITEM_TYPES = tuple(TYPE_PREFIXES.values())
MATERIAL_FORMS = ("原件", "复印件", "原件和复印件", "电子")
#: what a licence's template may print besides the holder, the validity and the issuing unit
#: (which every licence carries): key → the label printed beside it
LICENCE_FIELDS: Mapping[str, str] = {
    "id_number": "证件号码",
    "address": "住所",
    "legal_rep": "法定代表人",
    "item": "办理事项",
    "content": "许可内容",
    "case_no": "受理编号",
}
#: the longest validity a licence may state (years)
MAX_VALIDITY_YEARS = 99

_CODE_RE = re.compile(r"[A-Z]{2}[0-9]{5}[0-9]{3}")
_IMPL_TAIL_RE = re.compile(r"[0-9A-Z]{13}")


def item_code_problem(code: str) -> str | None:
    """Why ``code`` is not a 基本编码 (type letters, 5-digit main item, 3-digit sub-item), or None."""
    if not _CODE_RE.fullmatch(code):
        return Message("事项编码“{code}”应为2位大写字母加8位数字（类型+5位主项+3位子项）", code=code[:40])
    if code[:2] not in TYPE_PREFIXES:
        return Message("事项编码“{code}”的类型字母 {prefix} 无效，应为{type_prefixes}之一",
                       code=code, prefix=code[:2], type_prefixes="、".join(TYPE_PREFIXES))
    return None


class Tier(enum.StrEnum):
    """办理层级: the level of government where the decision is made."""

    TOWNSHIP = "township"
    COUNTY = "county"
    CITY = "city"

    @property
    def label(self) -> str:
        return _TIER_LABELS[self]


_TIER_LABELS = {Tier.TOWNSHIP: "乡镇（街道）", Tier.COUNTY: "县（区）", Tier.CITY: "市"}


class CatalogError(ValueError):
    """The catalogue data is invalid; ``str(err)`` names the item and field in Chinese."""


@dataclass(frozen=True, slots=True)
class MaterialSpec:
    """One entry of an item's material checklist (申请材料)."""

    name: str
    required: bool
    form: str
    copies: int
    electronic: bool
    sample: str | None
    note: str = ""
    #: the licence type (证照类型代码) that stands in for this material (免证), if any
    licence_type: str | None = None


@dataclass(frozen=True, slots=True)
class LicenceSpec:
    """What an item issues at 出件 when its result is an e-licence (电子证照), and how it looks."""

    #: 证照类型代码: the defining department's 18-character credit code and a 3-digit sequence
    type_code: str
    name: str
    #: years from the day of issue; None for a licence valid without limit (长期)
    validity_years: int | None
    #: the rows the licence prints (keys of :data:`LICENCE_FIELDS`), in order
    fields: tuple[str, ...]
    #: the licensed content printed under 许可内容 (may be empty)
    content: str = ""


@dataclass(frozen=True, slots=True)
class Fee:
    """Whether an item is charged for (收费), how much, and on what basis."""

    charged: bool
    amount: str
    basis: str


@dataclass(frozen=True, slots=True)
class CatalogItem:
    """One service item (事项) as published in the catalogue."""

    code: str
    impl_code: str
    name: str
    item_type: str
    legal_basis: str
    conditions: str
    materials: tuple[MaterialSpec, ...]
    process: tuple[str, ...]
    legal_days: int
    promised_days: int
    fee: Fee
    tier: Tier
    department: str
    category: str
    result_name: str
    result_sample: str | None
    consult_phone: str
    complaint_phone: str
    #: the e-licence issued at 出件; None for an item that issues a 批文 (approval document)
    licence: LicenceSpec | None = None
    #: 告知承诺: approved on the applicant's written promise, its paper materials checked afterwards
    commitment: bool = False
    #: for an item handled by joint review (网上联审: 投资项目审批, 企业设立 …), the rule its decision
    #: waits for (``app.core.joint_review.JOINT_RULES``); None for an item reviewed by one unit
    joint_rule: str | None = None

    @property
    def required_materials(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.materials if m.required)

    def missing_required(self, present: Iterable[str]) -> tuple[str, ...]:
        """The required materials (in checklist order) that are not among ``present``."""
        have = set(present)
        return tuple(n for n in self.required_materials if n not in have)

    @property
    def immediate(self) -> bool:
        """True for a 即办件 (settled on the spot, promised in 0 working days)."""
        return self.promised_days == 0


@dataclass(frozen=True, slots=True)
class Catalog:
    """A versioned catalogue of service items, looked up by 基本编码."""

    version: str
    items: tuple[CatalogItem, ...]
    _index: dict[str, CatalogItem] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {item.code: item for item in self.items})

    def get(self, code: str) -> CatalogItem | None:
        return self._index.get(code)

    def __iter__(self) -> Iterator[CatalogItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def by_tier(self, tier: Tier) -> tuple[CatalogItem, ...]:
        return tuple(item for item in self.items if item.tier is tier)


_LABELS = {
    "version": "版本号",
    "items": "事项列表",
    "code": "基本编码",
    "impl_code": "实施编码",
    "name": "事项名称",
    "item_type": "事项类型",
    "legal_basis": "设定依据",
    "conditions": "受理条件",
    "materials": "申请材料",
    "process": "办理流程",
    "legal_days": "法定时限",
    "promised_days": "承诺时限",
    "fee": "收费",
    "tier": "办理层级",
    "department": "办理科室",
    "category": "事项分类",
    "result_name": "结果名称",
    "result_sample": "结果样本",
    "consult_phone": "咨询电话",
    "complaint_phone": "投诉电话",
    "required": "是否必需",
    "form": "材料形式",
    "copies": "份数",
    "electronic": "是否接受电子材料",
    "sample": "示范文本",
    "note": "备注",
    "charged": "是否收费",
    "amount": "收费标准",
    "basis": "收费依据",
    "licence": "电子证照",
    "licence_type": "可用电子证照类型",
    "type_code": "证照类型代码",
    "validity_years": "有效期（年）",
    "fields": "证照模板字段",
    "content": "许可内容",
    "commitment": "告知承诺",
    "joint_rule": "联审规则",
}
_MATERIAL_LABELS = {**_LABELS, "name": "材料名称"}
_LICENCE_LABELS = {**_LABELS, "name": "证照名称"}


class _Reader:
    """Typed access to one JSON object, failing with messages that say where."""

    def __init__(self, data: object, where: str, labels: Mapping[str, str] = _LABELS) -> None:
        if not isinstance(data, Mapping):
            raise CatalogError(f"{where}应为对象（键值表）")
        self.data: Mapping[str, Any] = data
        self.where = where
        self.labels = labels

    def error(self, key: str, problem: str) -> CatalogError:
        return CatalogError(f"{self.where}的“{self.labels[key]}”{problem}")

    def get(self, key: str) -> Any:
        if key not in self.data:
            raise CatalogError(f"{self.where}缺少“{self.labels[key]}”")
        return self.data[key]

    def text(self, key: str, *, blank: bool = False) -> str:
        value = self.get(key)
        if not isinstance(value, str):
            raise self.error(key, "应为文字")
        if not blank and not value.strip():
            raise self.error(key, "不能为空")
        return value

    def optional_text(self, key: str) -> str | None:
        value = self.get(key)
        return None if value is None else self.text(key)

    def flag(self, key: str) -> bool:
        value = self.get(key)
        if not isinstance(value, bool):
            raise self.error(key, "应为是或否（true/false）")
        return value

    def number(self, key: str, minimum: int, maximum: int | None = None, problem: str = "") -> int:
        value = self.get(key)
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or value < minimum
            or (maximum is not None and value > maximum)
        ):
            raise self.error(key, problem or f"应为不小于{minimum}的整数")
        return value

    def array(self, key: str) -> list[Any]:
        value = self.get(key)
        if not isinstance(value, list | tuple):
            raise self.error(key, "应为列表")
        return list(value)


def _parse_material(data: object, where: str, index: int) -> MaterialSpec:
    r = _Reader(data, f"{where}的第{index}项材料", _MATERIAL_LABELS)
    name = r.text("name")
    r.where = f"{where}的材料「{name}」"
    form = r.text("form")
    if form not in MATERIAL_FORMS:
        raise r.error("form", f"应为{'、'.join(MATERIAL_FORMS)}之一，现为「{form}」")
    electronic = r.flag("electronic")
    if form == "电子" and not electronic:
        raise r.error("electronic", "与材料形式“电子”不符")
    return MaterialSpec(
        name=name,
        required=r.flag("required"),
        form=form,
        copies=r.number("copies", 1),
        electronic=electronic,
        sample=r.optional_text("sample"),
        note=r.text("note", blank=True) if "note" in r.data else "",
        licence_type=_licence_type(r, "licence_type") if r.data.get("licence_type") is not None else None,
    )


def _licence_type(r: _Reader, key: str) -> str:
    code = r.text(key)
    if not TYPE_CODE_RE.fullmatch(code):
        raise r.error(key, "应为18位统一社会信用代码加3位顺序号")
    if problem := credit_code_problem(code[:18]):
        raise r.error(key, f"前18位不是有效的统一社会信用代码：{problem}")
    return code


def _parse_licence(data: object, where: str) -> LicenceSpec:
    r = _Reader(data, f"{where}的电子证照", _LICENCE_LABELS)
    type_code = _licence_type(r, "type_code")
    validity = r.get("validity_years")
    if validity is not None:
        validity = r.number("validity_years", 1, MAX_VALIDITY_YEARS,
                            f"应为1至{MAX_VALIDITY_YEARS}的整数，长期有效的写 null")
    fields = r.array("fields")
    if not all(isinstance(f, str) and f in LICENCE_FIELDS for f in fields):
        raise r.error("fields", f"只能含{'、'.join(LICENCE_FIELDS)}")
    if len(set(fields)) != len(fields):
        raise r.error("fields", "中有重复")
    return LicenceSpec(type_code=type_code, name=r.text("name"), validity_years=validity, fields=tuple(fields),
                       content=r.text("content", blank=True) if "content" in r.data else "")


def _parse_fee(data: object, where: str) -> Fee:
    r = _Reader(data, f"{where}的收费信息")
    charged = r.flag("charged")
    basis = r.text("basis", blank=True)
    if charged and not basis.strip():
        raise r.error("basis", "不能为空（收费事项须写明依据）")
    return Fee(charged=charged, amount=r.text("amount"), basis=basis)


def _parse_item(data: object, index: int) -> CatalogItem:
    code_value = data.get("code") if isinstance(data, Mapping) else None
    where = f"事项 {code_value} " if isinstance(code_value, str) and code_value else f"第{index}个事项"
    r = _Reader(data, where)

    code = r.text("code")
    if not _CODE_RE.fullmatch(code):
        raise r.error("code", "应为2位大写字母加8位数字（类型+5位主项+3位子项）")
    item_type = r.text("item_type")
    if item_type not in ITEM_TYPES:
        raise r.error("item_type", f"应为{'、'.join(ITEM_TYPES)}之一，现为「{item_type}」")
    if TYPE_PREFIXES.get(code[:2]) != item_type:
        prefix = next(p for p, t in TYPE_PREFIXES.items() if t == item_type)
        raise r.error("code", f"类型字母应为{prefix}（{item_type}），现为{code[:2]}")

    impl_code = r.text("impl_code")
    if len(impl_code) != 31:
        raise r.error("impl_code", f"应为31位，现为{len(impl_code)}位")
    if problem := credit_code_problem(impl_code[:18]):
        raise r.error("impl_code", f"前18位不是有效的统一社会信用代码：{problem}")
    if impl_code[:18] != impl_code[:18].upper() or not _IMPL_TAIL_RE.fullmatch(impl_code[18:]):
        raise r.error("impl_code", "应只含数字和大写字母")

    raw_materials = r.array("materials")
    if not raw_materials:
        raise r.error("materials", "至少应有一项")
    materials = tuple(_parse_material(m, where, i) for i, m in enumerate(raw_materials, 1))
    seen: set[str] = set()
    for m in materials:
        if m.name in seen:
            raise r.error("materials", f"中「{m.name}」重复")
        seen.add(m.name)

    process = r.array("process")
    if not process or not all(isinstance(s, str) and s.strip() for s in process):
        raise r.error("process", "应为非空的文字步骤列表")

    legal_days = r.number("legal_days", 0)
    promised_days = r.number("promised_days", 0, legal_days, "应为不大于法定时限的整数")

    tier_value = r.text("tier")
    try:
        tier = Tier(tier_value)
    except ValueError:
        raise r.error("tier", f"应为township、county或city，现为「{tier_value}」") from None

    return CatalogItem(
        code=code,
        impl_code=impl_code,
        name=r.text("name"),
        item_type=item_type,
        legal_basis=r.text("legal_basis"),
        conditions=r.text("conditions"),
        materials=materials,
        process=tuple(process),
        legal_days=legal_days,
        promised_days=promised_days,
        fee=_parse_fee(r.get("fee"), where),
        tier=tier,
        department=r.text("department"),
        category=r.text("category"),
        result_name=r.text("result_name"),
        result_sample=r.optional_text("result_sample"),
        consult_phone=r.text("consult_phone"),
        complaint_phone=r.text("complaint_phone"),
        licence=_parse_licence(r.data["licence"], where) if r.data.get("licence") is not None else None,
        commitment=r.flag("commitment") if "commitment" in r.data else False,
        joint_rule=_joint_rule(r),
    )


def _joint_rule(r: _Reader) -> str | None:
    if r.data.get("joint_rule") is None:
        return None
    rule = r.text("joint_rule")
    if rule not in JOINT_RULES:
        raise r.error("joint_rule", f"应为{'、'.join(JOINT_RULES)}之一，现为「{rule}」")
    return rule


def _check_licence_types(items: tuple[CatalogItem, ...]) -> None:
    """A material may stand for a licence only of a type another item of the catalogue issues."""
    issuers = {item.licence.type_code: item.code for item in items if item.licence is not None}
    for item in items:
        for m in item.materials:
            if m.licence_type is None:
                continue
            source = issuers.get(m.licence_type)
            if source is None:
                raise CatalogError(f"事项 {item.code} 的材料「{m.name}」的“可用电子证照类型”{m.licence_type}"
                                   "不是本目录中任何事项颁发的证照类型")
            if source == item.code:
                raise CatalogError(f"事项 {item.code} 的材料「{m.name}」的“可用电子证照类型”是本事项自己颁发的证照")


def parse_catalog(data: Mapping[str, Any]) -> Catalog:
    """Validate the catalogue JSON (already loaded) and build a :class:`Catalog`."""
    r = _Reader(data, "事项目录")
    version = r.text("version")
    items = tuple(_parse_item(item, i) for i, item in enumerate(r.array("items"), 1))
    seen: set[str] = set()
    for item in items:
        if item.code in seen:
            raise CatalogError(f"事项 {item.code} 的“基本编码”重复出现")
        seen.add(item.code)
    _check_licence_types(items)
    return Catalog(version=version, items=items)


def _material_to_dict(m: MaterialSpec) -> dict[str, Any]:
    return {
        "name": m.name,
        "required": m.required,
        "form": m.form,
        "copies": m.copies,
        "electronic": m.electronic,
        "sample": m.sample,
        "note": m.note,
        **({"licence_type": m.licence_type} if m.licence_type is not None else {}),
    }


def _licence_to_dict(spec: LicenceSpec) -> dict[str, Any]:
    return {"type_code": spec.type_code, "name": spec.name, "validity_years": spec.validity_years,
            "fields": list(spec.fields), "content": spec.content}


def _item_to_dict(item: CatalogItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "impl_code": item.impl_code,
        "name": item.name,
        "item_type": item.item_type,
        "legal_basis": item.legal_basis,
        "conditions": item.conditions,
        "materials": [_material_to_dict(m) for m in item.materials],
        "process": list(item.process),
        "legal_days": item.legal_days,
        "promised_days": item.promised_days,
        "fee": {"charged": item.fee.charged, "amount": item.fee.amount, "basis": item.fee.basis},
        "tier": item.tier.value,
        "department": item.department,
        "category": item.category,
        "result_name": item.result_name,
        "result_sample": item.result_sample,
        "consult_phone": item.consult_phone,
        "complaint_phone": item.complaint_phone,
        **({"licence": _licence_to_dict(item.licence)} if item.licence is not None else {}),
        **({"commitment": True} if item.commitment else {}),
        **({"joint_rule": item.joint_rule} if item.joint_rule is not None else {}),
    }


def catalog_to_dict(catalog: Catalog) -> dict[str, Any]:
    """The JSON-ready mapping that :func:`parse_catalog` reads back to an equal catalogue."""
    return {"version": catalog.version, "items": [_item_to_dict(item) for item in catalog.items]}
