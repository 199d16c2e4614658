"""Item search over a generated catalogue of 2 000 items: build time, and p50/p95 per kind of query.

The target is p95 ≤ 30 ms for every kind (the window searches on the GUI thread when it is met).
The baseline, measured in the same run, is the naive scan a search box would start with: every
name tested with ``in`` (it finds neither pinyin nor codes). Printed: the index build (first, with
pypinyin's start-up, and again after a "sync" with a warm reader), and per kind p50, p95 and the
ratio of p95 to the baseline's; no assertions (the numbers are for people).

    python bench/item_search.py
    python bench/item_search.py --items 5000 --rounds 30
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

from app.core.catalog import Catalog, CatalogItem
from app.core.item_search import ItemIndex, Transliterator
from tests.support.big_catalog import big_catalog

TARGET_MS = 30.0


def queries(catalog: Catalog) -> dict[str, list[str]]:
    """A few queries of each kind, taken from the catalogue's own names and codes."""
    index = ItemIndex.build(catalog)
    picks = [catalog.items[i] for i in range(0, len(catalog), max(1, len(catalog) // 8))][:8]
    syllables = Transliterator()
    initials, full = [], []
    for item in picks:
        read = [s for s in syllables.syllables(item.name) if s]
        initials.append("".join(s[0] for s in read[:5]))
        full.append("".join(read[:4]))
    assert index.search(initials[0]), "the bench's own queries must find something"
    return {
        "initials": initials,
        "full pinyin": full,
        "full pinyin, spaced": [" ".join(syllables.syllables(i.name)[:3]) for i in picks],
        "name substring": [i.name[2:6] for i in picks],
        "code prefix": [i.code[:6] for i in picks],
        "mixed": [i.name[:2] + "".join(s[0] for s in syllables.syllables(i.name)[2:5]) for i in picks],
        "single letter": list("sdgjxyzb"),
        "no hit": ["qqqq", "xkzz99", "量子纠缠", "zhzhzhzh", "abcdefghijk", "翻译", "ww", "q w e r"],
    }


def timings(fn: Callable[[str], object], words: list[str], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        for word in words:
            started = time.perf_counter()
            fn(word)
            out.append((time.perf_counter() - started) * 1000)
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args()

    catalog = big_catalog(args.items)
    started = time.perf_counter()
    translit = Transliterator()
    index = ItemIndex.build(catalog, translit)
    first = time.perf_counter() - started
    started = time.perf_counter()
    ItemIndex.build(catalog, translit)
    again = time.perf_counter() - started
    started = time.perf_counter()
    ItemIndex.build(catalog)
    cold = time.perf_counter() - started
    print(f"{len(catalog)} items; index built in {first * 1000:.0f} ms the first time (pypinyin loads), "
          f"{cold * 1000:.0f} ms with a new reader, {again * 1000:.0f} ms after a sync (reader kept)")

    names = [(item.name, item) for item in catalog]

    def naive(word: str) -> list[CatalogItem]:
        return [item for name, item in names if word in name][:args.limit]

    print(f"{'kind':<22}{'p50 ms':>9}{'p95 ms':>9}{'baseline p95':>14}{'ratio':>8}   hits (first query)")
    worst = 0.0
    for kind, words in queries(catalog).items():
        ours = timings(lambda w: index.search(w, args.limit), words, args.rounds)
        base = timings(naive, words, args.rounds)
        worst = max(worst, p95(ours))
        hits = len(index.search(words[0], args.limit))
        print(f"{kind:<22}{statistics.median(ours):9.2f}{p95(ours):9.2f}{p95(base):14.3f}"
              f"{p95(ours) / p95(base):8.1f}   {hits}")
    verdict = "within" if worst <= TARGET_MS else "OVER"
    print(f"worst p95 {worst:.2f} ms: {verdict} the {TARGET_MS:.0f} ms target")


if __name__ == "__main__":
    main()
