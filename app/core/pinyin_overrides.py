"""Readings that the pinyin dictionary gets wrong for the catalogue and for people's names.

Plain data, meant to be extended: each entry is a phrase (or a surname) and its syllables, one
per character, separated by spaces, without tones; ``'`` is not written (六安 is ``lu an``).
:mod:`app.core.item_search` reads a phrase here before it asks pypinyin, longest first, so
「长洲区」 is read 长洲 + 区. ``tests/test_item_search.py`` checks every entry has one syllable per
character.

Place names are those a clerk types (the seeds' 梧州 and its counties first) and the well-known
ones read differently from their characters' everyday sound; words are the catalogue's own where
a polyphonic character is read wrongly without context.
"""

from __future__ import annotations

from collections.abc import Mapping

#: phrase → syllables, for any text (item names, units, addresses)
PHRASES: Mapping[str, str] = {
    # 梧州 and its counties and districts
    "长洲": "chang zhou",
    "龙圩": "long xu",
    "岑溪": "cen xi",
    "藤县": "teng xian",
    "蒙山": "meng shan",
    "苍梧": "cang wu",
    "万秀": "wan xiu",
    # place names read apart from the everyday sound of their characters
    "长沙": "chang sha",
    "长春": "chang chun",
    "长治": "chang zhi",
    "长寿": "chang shou",
    "长乐": "chang le",
    "重庆": "chong qing",
    "厦门": "xia men",
    "六安": "lu an",
    "六合": "lu he",
    "丽水": "li shui",
    "蚌埠": "beng bu",
    "亳州": "bo zhou",
    "番禺": "pan yu",
    "东阿": "dong e",
    "铅山": "yan shan",
    "单县": "shan xian",
    "曲阜": "qu fu",
    "蔚县": "yu xian",
    "乐亭": "lao ting",
    "台州": "tai zhou",
    "天台": "tian tai",
    "大埔": "da bu",
    "黄埔": "huang pu",
    "涡阳": "guo yang",
    "莘县": "shen xian",
    "浚县": "xun xian",
    "荥阳": "xing yang",
    "洪洞": "hong tong",
    "筠连": "jun lian",
    "歙县": "she xian",
    "枞阳": "zong yang",
    # words of the catalogue with a polyphonic character
    "银行": "yin hang",
    "行业": "hang ye",
    "行政": "xing zheng",
    "行驶": "xing shi",
    "发行": "fa xing",
    "单位": "dan wei",
    "会计": "kuai ji",
    "给付": "ji fu",
    "供给": "gong ji",
    "重新": "chong xin",
    "重大": "zhong da",
    "调解": "tiao jie",
    "调查": "diao cha",
    "传染": "chuan ran",
    "中转": "zhong zhuan",
    "还款": "huan kuan",
    "参保": "can bao",
    "数据": "shu ju",
}

#: surname → syllables, for the first characters of a person's name only (单雄信 is shan xiong xin;
#: 单位 stays dan wei). Compound surnames are listed whole.
SURNAMES: Mapping[str, str] = {
    "单": "shan",
    "曾": "zeng",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "解": "xie",
    "乐": "yue",
    "翟": "zhai",
    "缪": "miao",
    "秘": "bi",
    "种": "chong",
    "覃": "qin",
    "黑": "he",
    "区": "ou",
    "繁": "po",
    "召": "shao",
    "员": "yun",
    "教": "jiao",
    "折": "she",
    "尉迟": "yu chi",
    "万俟": "mo qi",
    "长孙": "zhang sun",
    "单于": "chan yu",
    "澹台": "tan tai",
}
