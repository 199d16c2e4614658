"""The service-item catalogue: the bundled sample, the round trip and the validation rules."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.core.catalog import Catalog, CatalogError, Tier, catalog_to_dict, parse_catalog

SAMPLE = Path(__file__).parents[1] / "resources/catalog/sample_catalog.json"


@pytest.fixture(scope="module")
def sample_data() -> dict[str, Any]:
    with SAMPLE.open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@pytest.fixture
def data(sample_data: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(sample_data)


@pytest.fixture(scope="module")
def sample(sample_data: dict[str, Any]) -> Catalog:
    return parse_catalog(sample_data)


def test_sample_covers_all_tiers(sample: Catalog) -> None:
    assert len(sample) >= 12
    assert all(sample.by_tier(tier) for tier in Tier)
    assert len(sample.by_tier(Tier.TOWNSHIP)) >= 5
    assert len(sample.by_tier(Tier.COUNTY)) >= 5
    assert len(sample.by_tier(Tier.CITY)) >= 3


def test_sample_items_are_consistent(sample: Catalog) -> None:
    for item in sample:
        assert item.required_materials, item.code
        assert 0 <= item.promised_days <= item.legal_days, item.code
        assert item.code[2:] in item.impl_code, item.code


def test_sample_lookup(sample: Catalog) -> None:
    birth = next(item for item in sample if item.name == "生育登记")
    assert sample.get(birth.code) is birth
    assert birth.immediate and birth.tier is Tier.TOWNSHIP
    assert sample.get("XK99999999") is None
    licence = next(item for item in sample if item.name == "个体工商户设立登记")
    assert licence.tier.label == "县（区）"
    assert "经营者居民身份证" in licence.required_materials
    assert "委托书及受托人居民身份证" not in licence.required_materials


def test_round_trip(sample: Catalog) -> None:
    dumped = catalog_to_dict(sample)
    assert parse_catalog(dumped) == sample
    assert parse_catalog(json.loads(json.dumps(dumped, ensure_ascii=False))) == sample


def test_unknown_keys_are_ignored(data: dict[str, Any], sample: Catalog) -> None:
    data["published_by"] = "自治区政务服务平台"
    data["items"][0]["online_url"] = "https://example.gov.cn/item"
    data["items"][0]["materials"][0]["max_size_mb"] = 10
    data["items"][0]["fee"]["currency"] = "CNY"
    assert parse_catalog(data) == sample


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(item: dict[str, Any]) -> None:
        item[key] = value

    return edit


def _del(key: str) -> Callable[[dict[str, Any]], None]:
    def edit(item: dict[str, Any]) -> None:
        del item[key]

    return edit


def _bad_credit_code(item: dict[str, Any]) -> None:
    code = item["impl_code"]
    check = "1" if code[17] != "1" else "2"
    item["impl_code"] = code[:17] + check + code[18:]


def _impl_code_end(end: str) -> Callable[[dict[str, Any]], None]:
    def edit(item: dict[str, Any]) -> None:
        item["impl_code"] = item["impl_code"][:30] + end

    return edit


def _too_many_days(item: dict[str, Any]) -> None:
    item["promised_days"] = item["legal_days"] + 1


def _duplicate_material(item: dict[str, Any]) -> None:
    item["materials"].append(dict(item["materials"][0], required=False))


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        pytest.param(_set("code", "GG0023100"), "基本编码", id="short-code"),
        pytest.param(_set("code", "gg00231000"), "基本编码", id="lowercase-code"),
        pytest.param(_set("code", "XK00231000"), "基本编码", id="letters-disagree-with-type"),
        pytest.param(_set("code", "AB00231000"), "基本编码", id="unknown-letters"),
        pytest.param(_set("item_type", "行政审批"), "事项类型", id="unknown-type"),
        pytest.param(_bad_credit_code, "实施编码", id="bad-credit-check-char"),
        pytest.param(_impl_code_end(""), "实施编码", id="short-impl"),
        pytest.param(_impl_code_end("a"), "实施编码", id="lowercase-impl-tail"),
        pytest.param(_too_many_days, "承诺时限", id="promised-over-legal"),
        pytest.param(_set("promised_days", -1), "承诺时限", id="negative-promise"),
        pytest.param(_set("legal_days", "20"), "法定时限", id="days-as-text"),
        pytest.param(_set("legal_days", True), "法定时限", id="days-as-bool"),
        pytest.param(_del("conditions"), "受理条件", id="missing-conditions"),
        pytest.param(_del("fee"), "收费", id="missing-fee"),
        pytest.param(_set("name", ""), "事项名称", id="blank-name"),
        pytest.param(_set("tier", "province"), "办理层级", id="bad-tier"),
        pytest.param(_set("materials", []), "申请材料", id="no-materials"),
        pytest.param(_duplicate_material, "申请材料", id="duplicate-material"),
        pytest.param(lambda item: item["materials"][0].update(copies=0), "份数", id="zero-copies"),
        pytest.param(lambda item: item["materials"][0].update(form="扫描件"), "材料形式", id="bad-form"),
        pytest.param(lambda item: item["materials"][0].pop("required"), "是否必需", id="material-field"),
        pytest.param(lambda item: item["fee"].update(charged=True), "收费依据", id="charge-without-basis"),
        pytest.param(_set("process", []), "办理流程", id="no-process"),
    ],
)
def test_bad_item_is_rejected_naming_item_and_field(
    data: dict[str, Any], edit: Callable[[dict[str, Any]], None], field: str
) -> None:
    item = data["items"][0]
    edit(item)
    code = item["code"]
    with pytest.raises(CatalogError) as err:
        parse_catalog(data)
    assert f"事项 {code}" in str(err.value)
    assert f"“{field}”" in str(err.value)


def test_duplicate_codes_are_rejected(data: dict[str, Any]) -> None:
    first, second = data["items"][:2]
    second["code"] = first["code"]
    with pytest.raises(CatalogError, match=f"事项 {first['code']} .*重复"):
        parse_catalog(data)


def test_material_error_names_the_material(data: dict[str, Any]) -> None:
    material = data["items"][0]["materials"][1]
    material["copies"] = "一份"
    with pytest.raises(CatalogError, match=f"材料「{material['name']}」的“份数”"):
        parse_catalog(data)


def test_item_without_code_is_named_by_position(data: dict[str, Any]) -> None:
    del data["items"][2]["code"]
    with pytest.raises(CatalogError, match="第3个事项缺少“基本编码”"):
        parse_catalog(data)


@pytest.mark.parametrize(
    "bad",
    [{}, {"version": "2026.11"}, {"version": "2026.11", "items": {}}, {"version": 2026, "items": []}],
)
def test_bad_catalogue_shape(bad: dict[str, Any]) -> None:
    with pytest.raises(CatalogError, match="事项目录"):
        parse_catalog(bad)


def test_immediate_item_may_have_zero_days(data: dict[str, Any]) -> None:
    item = data["items"][0]
    item["legal_days"] = item["promised_days"] = 0
    assert parse_catalog(data).items[0].immediate


def _item(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for i in data["items"] if i["code"] == code)


def test_sample_licences_and_the_materials_they_stand_for(sample: Catalog) -> None:
    card = sample.get("GG00527000")
    assert card is not None and card.licence is not None
    assert card.licence.validity_years == 10 and "id_number" in card.licence.fields
    subsidy = sample.get("JF00318000")
    assert subsidy is not None and subsidy.licence is None  # its result is a 批文
    held = next(m for m in subsidy.materials if m.licence_type is not None)
    assert held.licence_type == card.licence.type_code
    birth = sample.get("GG00412000")
    assert birth is not None and birth.licence is not None and birth.licence.validity_years is None


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        pytest.param(lambda b: b.update(type_code="11100000500010125A01"), "证照类型代码", id="short-type"),
        pytest.param(lambda b: b.update(type_code="11100000500010125B001"), "证照类型代码", id="type-check-char"),
        pytest.param(lambda b: b.update(validity_years=0), "有效期（年）", id="zero-years"),
        pytest.param(lambda b: b.update(validity_years="十年"), "有效期（年）", id="years-as-text"),
        pytest.param(lambda b: b.update(validity_years=True), "有效期（年）", id="years-as-bool"),
        pytest.param(lambda b: b.update(fields=["id_number", "photo"]), "证照模板字段", id="unknown-field"),
        pytest.param(lambda b: b.update(fields=["item", "item"]), "证照模板字段", id="field-twice"),
        pytest.param(lambda b: b.update(fields="item"), "证照模板字段", id="fields-not-list"),
        pytest.param(lambda b: b.update(name=""), "证照名称", id="no-name"),
        pytest.param(lambda b: b.pop("validity_years"), "有效期（年）", id="no-validity"),
    ],
)
def test_bad_licence_block_is_rejected_naming_the_field(
    data: dict[str, Any], edit: Callable[[dict[str, Any]], None], field: str
) -> None:
    edit(_item(data, "GG00527000")["licence"])
    with pytest.raises(CatalogError) as err:
        parse_catalog(data)
    assert "事项 GG00527000 的电子证照" in str(err.value) and f"“{field}”" in str(err.value)


def test_licence_block_not_an_object(data: dict[str, Any]) -> None:
    _item(data, "GG00527000")["licence"] = "残疾人证"
    with pytest.raises(CatalogError, match="事项 GG00527000 的电子证照应为对象"):
        parse_catalog(data)


def test_material_may_stand_only_for_a_licence_another_item_issues(data: dict[str, Any]) -> None:
    material = _item(data, "JF00318000")["materials"][2]
    material["licence_type"] = "11100000000013338W011"
    with pytest.raises(CatalogError, match=r"材料「第二代《中华人民共和国残疾人证》」.*不是本目录中任何事项颁发"):
        parse_catalog(data)
    card = _item(data, "GG00527000")
    card["materials"][0]["licence_type"] = card["licence"]["type_code"]
    material["licence_type"] = card["licence"]["type_code"]
    with pytest.raises(CatalogError, match="本事项自己颁发"):
        parse_catalog(data)
    card["materials"][0]["licence_type"] = "111"
    with pytest.raises(CatalogError, match="“可用电子证照类型”应为18位"):
        parse_catalog(data)
