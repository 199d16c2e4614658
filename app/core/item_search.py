"""Finding a catalogue item as a clerk types: by name, code, full pinyin or initials.

「gtgs」, 「getigongshanghu」, 「ge ti gong shang」, 「个体gs」, 「工商户」 and 「XK00147」 all find
个体工商户设立登记. :meth:`ItemIndex.build` reads every name once (pypinyin, with the readings
of :mod:`app.core.pinyin_overrides` first); :meth:`ItemIndex.search` is then plain string work
over what it keeps, fast enough to run on every key press.

Ranking, best first (:class:`MatchKind`): the exact code, a code prefix, the exact name, an
initials prefix, a name or full-pinyin prefix, a name substring, an initials or pinyin substring
from a syllable's start, a mix of characters, syllables and initials, every word of a
several-word query, a part of a code. Ties go to the earlier match, the shorter name, then the
catalogue's order, so the list never shuffles between two key presses.

Pure: pypinyin is imported when the first index is built (it takes a third of a second).
"""

from __future__ import annotations

import bisect
import enum
import heapq
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from app.core.catalog import Catalog, CatalogItem
from app.core.pinyin_overrides import PHRASES, SURNAMES

#: characters read as Chinese (the CJK blocks a name can use)
_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_SYLLABLE = re.compile(r"[a-z]+")
#: what a query keeps: letters, digits and Chinese characters (spaces split words; the rest is dropped)
_QUERY_DROP = re.compile(r"[^0-9a-z\s\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
#: the longest query looked at: a clerk types a few characters, and a pasted page must not cost seconds
MAX_QUERY = 40
_CODE_MIN = 2


class MatchKind(enum.IntEnum):
    """How an item matched; lower is better."""

    CODE_EXACT = 0
    CODE_PREFIX = 1
    NAME_EXACT = 2
    INITIALS_PREFIX = 3
    NAME_PREFIX = 4
    NAME_SUBSTRING = 5
    PINYIN_SUBSTRING = 6
    MIXED = 7
    ALL_WORDS = 8
    CODE_SUBSTRING = 9


@dataclass(frozen=True, slots=True)
class Hit:
    """One item found, and how."""

    item: CatalogItem
    kind: MatchKind

    @property
    def code(self) -> str:
        return self.item.code


class Transliterator:
    """Chinese text to one toneless syllable per character, overrides first; remembers words it has read.

    The memory is what makes a rebuild after a catalogue sync cheap: item names share most of
    their words (登记, 许可, 申请), and pypinyin is slow per call, not per character.
    """

    def __init__(self, phrases: Mapping[str, str] = PHRASES, surnames: Mapping[str, str] = SURNAMES) -> None:
        self._phrases = {k: tuple(v.split()) for k, v in phrases.items()}
        self._surnames = {k: tuple(v.split()) for k, v in surnames.items()}
        self._longest = max((len(k) for k in self._phrases), default=1)
        self._words: dict[str, tuple[str, ...]] = {}
        self._texts: dict[str, tuple[str, ...]] = {}
        self._cut: Callable[[str], Iterable[str]] | None = None
        self._read: Callable[[str], list[str]] | None = None

    def syllables(self, text: str) -> tuple[str, ...]:
        """One entry per character of ``text``: its syllable if Chinese ("" when unknown), else the
        character itself lowercased."""
        known = self._texts.get(text)
        if known is None:
            known = self._texts[text] = self._read_text(text)
        return known

    def _read_text(self, text: str) -> tuple[str, ...]:
        out: list[str] = []
        run_start = -1
        i = 0
        while i < len(text):
            phrase = self._phrase_at(text, i)
            if phrase:
                if run_start >= 0:
                    out.extend(self._run(text[run_start:i]))
                    run_start = -1
                out.extend(self._phrases[phrase])
                i += len(phrase)
                continue
            if _HANZI.match(text[i]):
                if run_start < 0:
                    run_start = i
            else:
                if run_start >= 0:
                    out.extend(self._run(text[run_start:i]))
                    run_start = -1
                out.append(text[i].lower())
            i += 1
        if run_start >= 0:
            out.extend(self._run(text[run_start:]))
        return tuple(out)

    def person(self, name: str) -> tuple[str, ...]:
        """Like :meth:`syllables`, with the surname read as a surname (单 shan, 曾 zeng)."""
        for surname in sorted(self._surnames, key=len, reverse=True):
            if name.startswith(surname) and len(name) > len(surname):
                return self._surnames[surname] + self.syllables(name[len(surname):])
        return self.syllables(name)

    def _phrase_at(self, text: str, i: int) -> str:
        for size in range(min(self._longest, len(text) - i), 1, -1):
            if text[i:i + size] in self._phrases:
                return text[i:i + size]
        return text[i] if text[i] in self._phrases else ""

    def _run(self, run: str) -> list[str]:
        """A run of Chinese characters, word by word (pypinyin's own segmentation)."""
        if self._cut is None or self._read is None:
            from pypinyin import lazy_pinyin
            from pypinyin.seg.mmseg import seg
            self._cut, self._read = seg.cut, lazy_pinyin
        out: list[str] = []
        for word in self._cut(run):
            known = self._words.get(word)
            if known is None:
                read = self._read(word)
                if len(read) != len(word):  # never seen: read it character by character
                    read = [s for ch in word for s in self._read(ch)]
                known = tuple(s if _SYLLABLE.fullmatch(s) else "" for s in read)
                self._words[word] = known
            out.extend(known)
        return out


def normalise(text: str) -> str:
    """What a query or a name is compared as: NFKC (full-width letters), lower case, apostrophes gone."""
    return unicodedata.normalize("NFKC", text).lower().replace("'", "").replace("’", "")


class _Corpus:
    """One field of every item, one item per line, searched in one pass of C code.

    ``find(start)`` is a ``str.find`` or a pattern's search from ``start``; :meth:`first_hits`
    yields each item's first match at most once and jumps to the next item's line after a hit, so
    a pass costs one call per matching item plus one, however often a letter recurs in a line.
    """

    def __init__(self, lines: Iterable[str]) -> None:
        self.starts: list[int] = []
        parts, offset = ["\n"], 1
        for line in lines:
            self.starts.append(offset)
            parts.append(line + "\n")
            offset += len(line) + 1
        self.text = "".join(parts)

    def first_hits(self, find: Callable[[str, int], int], shift: int = 0) -> Iterator[tuple[int, int]]:
        """(item, offset in its line) of each item's first match; ``shift`` skips a leading "\\n" matched."""
        pos = find(self.text, 0)
        while pos >= 0:
            i = bisect.bisect_right(self.starts, pos + shift) - 1
            yield i, pos + shift - self.starts[i]
            if i + 1 >= len(self.starts):
                return
            pos = find(self.text, self.starts[i + 1] - shift)

    def line(self, i: int) -> str:
        end = self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.text) - 1
        return self.text[self.starts[i]:end]


def _finds(needle: str) -> Callable[[str, int], int]:
    return lambda text, start: text.find(needle, start)


def _searches(pattern: re.Pattern[str]) -> Callable[[str, int], int]:
    def find(text: str, start: int) -> int:
        m = pattern.search(text, start)
        return m.start() if m else -1

    return find


@dataclass(frozen=True, slots=True)
class _Fields:
    """What one item is searched by."""

    name: str
    initials: str
    #: the full pinyin with "|" before each syllable: "|ge|ti|gong|shang|hu…"
    marked: str
    #: one unit per kept character: the character (or "#" for a letter or digit), "|", its syllable, ";"
    units: str


def _fields(name: str, syllables: tuple[str, ...]) -> _Fields:
    initials, marked, units = [], [], []
    for ch, syllable in zip(name, syllables, strict=True):
        if ch.isascii():
            if not ch.isalnum():
                continue
            syllable = ch
            units.append(f"#|{ch};")
        elif _HANZI.match(ch):
            units.append(f"{ch}|{syllable};")
        else:
            continue
        if syllable:
            initials.append(syllable[0])
            marked.append("|" + syllable)
    return _Fields(name, "".join(initials), "".join(marked), "".join(units))


def _mixed_pattern(query: str) -> re.Pattern[str] | None:
    """A pattern over the units for a query of characters, syllables and initials in any mix.

    Each Chinese character of the query matches that character; each run of letters is split
    into non-empty prefixes of consecutive syllables (「gtgongsh」: g·t·gong·sh). None when the
    query has nothing to match this way.
    """
    # A letter run's first "|" needs no character class before it when it starts the pattern:
    # a literal start lets the regex engine skip along the corpus in C.
    parts: list[str] = []
    for token in re.findall(r"[0-9a-z]+|\S", query):
        if _HANZI.match(token):
            parts.append(re.escape(token) + r"\|[0-9a-z]*;")
        elif token.isascii() and token.isalnum():
            pieces = [(r"[^0-9a-z;|\n]" if parts else "") + r"\|" + token[0]]
            pieces.extend(r"(?:[0-9a-z]*;[^0-9a-z;|\n]\|)?" + ch for ch in token[1:])
            parts.append("".join(pieces) + r"[0-9a-z]*;")
    return re.compile("".join(parts)) if parts else None


def _pinyin_pattern(letters: str, *, prefix: bool) -> re.Pattern[str]:
    """Letters that run on through the full pinyin from a syllable's start (across syllables)."""
    return re.compile(("\n" if prefix else "") + r"\|" + r"\|?".join(letters))


@dataclass(frozen=True)
class ItemIndex:
    """Every item of one catalogue, read once for searching; immutable, safe to share between threads."""

    catalog: Catalog
    _items: tuple[CatalogItem, ...] = field(repr=False)
    _name_lengths: tuple[int, ...] = field(repr=False)
    _corpora: Mapping[str, _Corpus] = field(repr=False)

    @classmethod
    def build(cls, catalog: Catalog, translit: Transliterator | None = None) -> ItemIndex:
        translit = translit or Transliterator()
        items = tuple(catalog)
        # A name is the platform's text: nothing in it may end its line of the corpus early.
        names = ["".join(ch if ch.isprintable() else " " for ch in normalise(item.name)) for item in items]
        fields = [_fields(name, translit.syllables(name)) for name in names]
        corpora = {
            "name": _Corpus(names),
            "code": _Corpus(item.code.lower() for item in items),
            "impl_code": _Corpus(item.impl_code.lower() for item in items),
            "initials": _Corpus(f.initials for f in fields),
            "marked": _Corpus(f.marked for f in fields),
            "units": _Corpus(f.units for f in fields),
        }
        return cls(catalog, items, tuple(len(n) for n in names), corpora)

    def __len__(self) -> int:
        return len(self._items)

    def search(self, text: str, limit: int = 20) -> tuple[Hit, ...]:
        """The best ``limit`` items for ``text``, best first; nothing for a blank query."""
        terms = _QUERY_DROP.sub("", normalise(text)[:MAX_QUERY]).split()
        if not terms or limit <= 0:
            return ()
        best: dict[int, tuple[MatchKind, int]] = {}
        passes = self._passes("".join(terms))
        for kind in MatchKind:
            if kind is MatchKind.ALL_WORDS and len(terms) > 1:
                for i in self._matching_all(terms):
                    best.setdefault(i, (kind, 0))
            for corpus, find, shift in passes.get(kind, ()):
                for i, pos in self._corpora[corpus].first_hits(find, shift):
                    best.setdefault(i, (kind, pos))
            if len(best) >= limit:  # every later kind ranks below what is already here
                break
        ranked = heapq.nsmallest(limit, best.items(),
                                 key=lambda e: (e[1][0], e[1][1], self._name_lengths[e[0]], e[0]))
        return tuple(Hit(self._items[i], kind) for i, (kind, _) in ranked)

    def _matching_all(self, terms: list[str]) -> set[int]:
        """Items every word matches as a code's start or by name, syllables or initials.

        The mixed pattern alone finds every name, pinyin and initials match (each is a special case
        of it). The longest word is searched through the corpus; the others only in what it found.
        """
        terms = sorted(terms, key=len, reverse=True)
        passes = self._passes(terms[0])
        found: set[int] = set()
        for kind in (MatchKind.CODE_EXACT, MatchKind.CODE_PREFIX, MatchKind.MIXED):
            for corpus, find, shift in passes.get(kind, ()):
                found.update(i for i, _ in self._corpora[corpus].first_hits(find, shift))
        units, code, impl = self._corpora["units"], self._corpora["code"], self._corpora["impl_code"]
        for term in terms[1:]:
            pattern = _mixed_pattern(term)
            found = {i for i in found if (pattern is not None and pattern.search(units.line(i)))
                     or code.line(i).startswith(term) or impl.line(i).startswith(term)}
        return found

    def _passes(self, query: str) -> dict[MatchKind, list[tuple[str, Callable[[str, int], int], int]]]:
        """For each kind, the corpus passes that find it for a one-word normalised query."""
        out: dict[MatchKind, list[tuple[str, Callable[[str, int], int], int]]] = {}

        def add(kind: MatchKind, corpus: str, find: Callable[[str, int], int], shift: int = 0) -> None:
            out.setdefault(kind, []).append((corpus, find, shift))

        code_like = query.isascii() and query.isalnum() and len(query) >= _CODE_MIN
        if code_like:
            for corpus in ("code", "impl_code"):
                add(MatchKind.CODE_EXACT, corpus, _finds(f"\n{query}\n"), 1)
                add(MatchKind.CODE_PREFIX, corpus, _finds(f"\n{query}"), 1)
        add(MatchKind.NAME_EXACT, "name", _finds(f"\n{query}\n"), 1)
        add(MatchKind.NAME_PREFIX, "name", _finds(f"\n{query}"), 1)
        add(MatchKind.NAME_SUBSTRING, "name", _finds(query))
        if query.isascii() and query.isalpha():
            add(MatchKind.INITIALS_PREFIX, "initials", _finds(f"\n{query}"), 1)
            add(MatchKind.NAME_PREFIX, "marked", _searches(_pinyin_pattern(query, prefix=True)), 1)
            add(MatchKind.PINYIN_SUBSTRING, "initials", _finds(query))
            add(MatchKind.PINYIN_SUBSTRING, "marked", _searches(_pinyin_pattern(query, prefix=False)))
        mixed = _mixed_pattern(query)
        if mixed is not None:
            add(MatchKind.MIXED, "units", _searches(mixed))
        if code_like and len(query) >= 4:
            for corpus in ("code", "impl_code"):
                add(MatchKind.CODE_SUBSTRING, corpus, _finds(query))
        return out
