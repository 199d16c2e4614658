"""Materials that make a test case complete enough to accept.

受理 is refused while a required material of the item's checklist is missing
(``app.services.case_actions``), so a test that accepts a case hands in every required material under
the checklist's own names. These helpers build them from the page files a test already has, reusing
the same small files rather than generating new ones (the suite is at its time budget).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from app.services.intake import MaterialInput

ITEM = "GG00231000"  # 城乡居民基本养老保险参保登记 (township, promised in 3 working days)
FORM = "城乡居民基本养老保险参保登记表"
ID_CARD = "申请人居民身份证"
HOUSEHOLD = "户口簿"

SHOP = "XK00147000"  # 个体工商户设立登记 (county)
PLANNING = "XK00631000"  # 建设工程规划许可 (city; handled by joint review, 网上联审)

#: the required materials of the checklists the tests accept cases of, in checklist order
REQUIRED: dict[str, tuple[str, ...]] = {
    ITEM: (FORM, ID_CARD, HOUSEHOLD),
    SHOP: ("个体工商户登记（备案）申请书", "经营者居民身份证", "经营场所使用证明"),
    PLANNING: ("建设工程规划许可申请表", "营业执照或法人证书", "不动产权证书或用地批准文件", "建设工程设计方案"),
}

Pages = Path | Sequence[Path]


def _spread(pages: Sequence[Pages], item: str, without: Collection[str]) -> list[tuple[str, tuple[Path, ...]]]:
    """Each required material of ``item`` but those ``without`` (the test's missing ones) with the pages
    given for it: the n-th gets ``pages[n]`` (one file or several), those past the end the last ones given."""
    if not pages:
        raise ValueError("give at least one page file")
    unknown = set(without) - set(REQUIRED[item])
    if unknown:
        raise ValueError(f"not required for {item}: {sorted(unknown)}")
    names = [n for n in REQUIRED[item] if n not in without]
    out = []
    for n, name in enumerate(names):
        given = pages[min(n, len(pages) - 1)]
        out.append((name, (given,) if isinstance(given, Path) else tuple(given)))
    return out


def materials(*pages: Pages, item: str = ITEM, without: Collection[str] = ()) -> list[MaterialInput]:
    """Every required material of ``item`` (but ``without``), as the intake use case takes them."""
    return [MaterialInput(name, files) for name, files in _spread(pages, item, without)]


def material_args(*pages: Pages, item: str = ITEM, without: Collection[str] = ()) -> list[str]:
    """Every required material of ``item`` (but ``without``), as ``--material`` arguments of ``case new``."""
    args: list[str] = []
    for name, files in _spread(pages, item, without):
        args += ["--material", f"{name}=" + ",".join(map(str, files))]
    return args
