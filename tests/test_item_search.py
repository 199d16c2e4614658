"""Finding an item by name, code, full pinyin or initials (app/core/item_search.py)."""

from __future__ import annotations

import dataclasses

import pytest

from app.core.catalog import Catalog, parse_catalog
from app.core.item_search import ItemIndex, MatchKind, Transliterator
from app.core.pinyin_overrides import PHRASES, SURNAMES
from app.store.bundled import CATALOG_FILE, load_json
from tests.support.big_catalog import big_catalog

GTGS = "XK00147000"  # 个体工商户设立登记 in the bundled catalogue


@pytest.fixture(scope="module")
def sample() -> ItemIndex:
    return ItemIndex.build(parse_catalog(load_json(CATALOG_FILE)))


@pytest.fixture(scope="module")
def big() -> ItemIndex:
    return ItemIndex.build(big_catalog(2000))


def codes(index: ItemIndex, text: str, limit: int = 20) -> list[str]:
    return [hit.code for hit in index.search(text, limit)]


@pytest.mark.parametrize("text", [
    "gtgs", "GTGS", "getigongshanghu", "ge ti gong shang hu", "Ge Ti Gong", "ｇｔｇｓ", "个体工商", "工商户",
    "个体gs", "gt工商户", "gtgongsh", "XK00147", "xk00147000", "个体 登记", "登记 gtgs",
])
def test_every_way_of_typing_finds_the_item(sample: ItemIndex, text: str) -> None:
    assert codes(sample, text)[:1] == [GTGS]


def test_implementation_code_finds_the_item(sample: ItemIndex) -> None:
    impl = sample.catalog.get(GTGS).impl_code  # type: ignore[union-attr]
    assert sample.search(impl)[0].code == GTGS
    assert sample.search(impl)[0].kind is MatchKind.CODE_EXACT
    assert GTGS in codes(sample, impl[:24])


def test_nothing_for_an_empty_or_unmatched_query(sample: ItemIndex) -> None:
    assert sample.search("") == ()
    assert sample.search("   ") == ()
    assert sample.search("，。！") == ()
    assert sample.search("qqqqq") == ()
    assert sample.search("量子纠缠") == ()
    assert sample.search("gtgs", limit=0) == ()


def test_initials_must_run_on_in_the_name(sample: ItemIndex) -> None:
    assert GTGS not in codes(sample, "gtdj")  # 个体 … 登记: not adjacent
    assert GTGS in codes(sample, "sldj")  # 设立登记


def test_limit_and_order_are_stable(big: ItemIndex) -> None:
    first = codes(big, "d", limit=15)
    assert len(first) == 15
    assert codes(big, "d", limit=15) == first
    assert codes(big, "d", limit=40)[:15] == first
    assert len(codes(big, "登记", limit=300)) == 300


def test_the_exact_code_ranks_first(big: ItemIndex) -> None:
    target = big.catalog.items[123]
    hits = big.search(target.code.lower())
    assert hits[0].code == target.code and hits[0].kind is MatchKind.CODE_EXACT
    # a code prefix finds every item under it, the exact one before the longer ones
    prefix = target.code[:7]
    found = big.search(prefix, 100)
    assert found and all(h.code.startswith(prefix) for h in found)


def test_ranking_by_kind(big: ItemIndex) -> None:
    hits = big.search("mbxx", 200)
    kinds = [h.kind for h in hits]
    assert kinds == sorted(kinds)
    assert hits[0].kind is MatchKind.INITIALS_PREFIX and hits[0].item.name.startswith("民办学校")
    assert MatchKind.PINYIN_SUBSTRING in kinds  # …民办学校… inside a name comes after
    exact = big.catalog.items[7].name
    assert big.search(exact)[0].kind is MatchKind.NAME_EXACT


def test_a_name_prefix_beats_a_substring() -> None:
    base = parse_catalog(load_json(CATALOG_FILE))
    tail = dataclasses.replace(base.items[0], code="GG00999000", name="城乡居民生育登记")
    head = dataclasses.replace(base.items[1], code="GG00998000", name="生育登记证明补办")
    index = ItemIndex.build(Catalog("t", (tail, head)))
    assert codes(index, "生育登记") == ["GG00998000", "GG00999000"]
    assert codes(index, "sydj") == ["GG00998000", "GG00999000"]


def test_overrides_read_place_names_and_polyphonic_characters() -> None:
    read = Transliterator()
    assert read.syllables("梧州市长洲区") == ("wu", "zhou", "shi", "chang", "zhou", "qu")
    assert read.syllables("六安市") == ("lu", "an", "shi")
    assert read.syllables("重庆厦门") == ("chong", "qing", "xia", "men")
    assert read.syllables("银行业") == ("yin", "hang", "ye")
    assert read.syllables("单位") == ("dan", "wei")
    assert read.person("单雄信") == ("shan", "xiong", "xin")
    assert read.person("曾国藩") == ("zeng", "guo", "fan")
    assert read.person("单") == ("dan",)  # a lone character is no surname


def test_an_override_item_is_found_by_its_reading() -> None:
    base = parse_catalog(load_json(CATALOG_FILE)).items[0]
    item = dataclasses.replace(base, code="GG00997000", name="长洲区城乡居民参保登记")
    index = ItemIndex.build(Catalog("t", (item,)))
    for text in ("cz", "czq", "changzhou", "chang zhou qu"):
        assert codes(index, text) == ["GG00997000"], text
    assert codes(index, "zhangzhou") == []
    luan = ItemIndex.build(Catalog("t", (dataclasses.replace(item, name="六安市残疾人证新办"),)))
    for text in ("lu'an", "lu’an", "luan", "las", "六安s"):
        assert codes(luan, text) == ["GG00997000"], text
    assert codes(luan, "liuan") == []


def test_a_table_of_readings_can_be_extended() -> None:
    read = Transliterator(phrases={**PHRASES, "个体": "ge ti"}, surnames={"单": "shan"})
    assert read.syllables("长洲") == ("chang", "zhou")
    assert read.person("单田芳") == ("shan", "tian", "fang")


@pytest.mark.parametrize("table", [PHRASES, SURNAMES], ids=["phrases", "surnames"])
def test_every_override_has_one_toneless_syllable_per_character(table: dict[str, str]) -> None:
    for phrase, reading in table.items():
        syllables = reading.split()
        assert len(syllables) == len(phrase), phrase
        assert all(s.isascii() and s.isalpha() and s.islower() for s in syllables), phrase


def test_a_rebuild_after_a_sync_reuses_the_reader(big: ItemIndex) -> None:
    read = Transliterator()
    ItemIndex.build(big.catalog, read)
    renamed = dataclasses.replace(big.catalog.items[0], name="厦门市个体工商户设立登记")
    index = ItemIndex.build(Catalog("2", (renamed, *big.catalog.items[1:])), read)
    assert codes(index, "xmsgtgs")[:1] == [renamed.code]


def test_names_from_the_platform_cannot_confuse_the_index() -> None:
    base = parse_catalog(load_json(CATALOG_FILE)).items[0]
    names = ["个体\n工商户登记", "a;b|c\u2028登记", "🙂" * 3 + "登记", "工" * 10_000, "|ge|ti;", "\x00\x1f登记"]
    hostile = [dataclasses.replace(base, code=f"GG00{900 + i}000", name=n) for i, n in enumerate(names)]
    normal = dataclasses.replace(base, code="XK00147000", name="个体工商户设立登记")
    index = ItemIndex.build(Catalog("t", (*hostile, normal)))
    assert set(codes(index, "gtgs")) == {"GG00900000", "XK00147000"}  # the line break reads as a space
    assert index.search("工商户登记")[0].kind is MatchKind.NAME_SUBSTRING  # not the start of a name
    assert set(codes(index, "登记")) == {"GG00900000", "GG00901000", "GG00902000", "GG00905000", "XK00147000"}
    assert set(codes(index, "geti")) == {"GG00900000", "GG00904000", "XK00147000"}  # letters, not separators
    assert codes(index, "gggg")[:1] == ["GG00903000"]
