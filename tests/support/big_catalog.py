"""A generated catalogue of realistic size: thousands of items with names a county would publish.

Names combine a subject (个体工商户, 城乡居民…), an object (基本养老保险, 食品经营许可证…) and an
action (设立登记, 变更, 注销…), some with a place in front (梧州市长洲区…); each item copies the
rest of its fields from an item of the bundled sample, under a code of its own type.
"""

from __future__ import annotations

import dataclasses
import itertools
import random

from app.core.catalog import TYPE_PREFIXES, Catalog, CatalogItem, parse_catalog
from app.store.bundled import CATALOG_FILE, load_json

SUBJECTS = ("个体工商户", "城乡居民", "农村集体经济组织", "城镇职工", "残疾人", "退役军人", "建设单位", "食品生产企业",
            "药品零售企业", "道路运输企业", "林业经营者", "水利工程", "民办学校", "医疗机构", "人力资源服务机构",
            "燃气经营企业", "特种设备使用单位", "户外广告", "出版物经营单位", "娱乐场所", "旅行社", "种子生产经营者",
            "农民专业合作社", "社会团体", "民办非企业单位", "慈善组织", "粮食收购企业", "烟花爆竹经营单位",
            "危险化学品经营企业")
OBJECTS = ("基本养老保险", "基本医疗保险", "经营许可证", "营业执照", "林木采伐许可证", "取水许可", "办学许可证",
           "执业登记", "资质证书", "卫生许可证", "排污许可", "施工许可", "规划许可", "生育服务证", "最低生活保障",
           "临时救助", "优待证", "补贴", "定点资格", "备案证明", "安全生产许可证", "开业登记", "等级评定",
           "年度报告", "从业人员资格", "监督检验", "标识", "银行账户", "职业技能鉴定", "会计档案")
ACTIONS = ("设立登记", "变更登记", "注销登记", "申请", "审批", "核准", "备案", "补办", "换证", "延续", "年检",
           "撤销", "转移", "认定", "查询", "复核")
PLACES = ("梧州市长洲区", "梧州市万秀区", "梧州市龙圩区", "岑溪市", "苍梧县", "藤县", "蒙山县", "重庆市", "厦门市",
          "六安市", "长沙市")


def big_catalog(count: int = 2000, seed: int = 14) -> Catalog:
    """``count`` items with distinct realistic names and valid codes; the same for the same seed."""
    rng = random.Random(seed)
    templates = list(parse_catalog(load_json(CATALOG_FILE)))
    combos = [s + o + a for s, o, a in itertools.product(SUBJECTS, OBJECTS, ACTIONS)]
    rng.shuffle(combos)
    names: list[str] = []
    for name in combos:
        if len(names) == count:
            break
        names.append(rng.choice(PLACES) + name if rng.random() < 0.15 else name)
    prefixes = list(TYPE_PREFIXES)
    items: list[CatalogItem] = []
    for i, name in enumerate(names):
        template = templates[i % len(templates)]
        prefix = prefixes[i % len(prefixes)]
        code = f"{prefix}{10000 + i:05d}{i % 7:03d}"
        items.append(dataclasses.replace(template, code=code, name=name, item_type=TYPE_PREFIXES[prefix],
                                         impl_code=template.impl_code[:18] + f"{i:013d}"))
    return Catalog(version=f"big-{count}", items=tuple(items))
