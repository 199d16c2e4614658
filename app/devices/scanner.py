"""The scanner interface every backend (SANE, TWAIN, the simulated twin) implements.

A scan is a batch: one page from the flatbed, or every sheet in the feeder until it is empty.
:meth:`Scanner.scan` yields the pages one at a time, each fetched by one device call with a
timeout, so the caller can hand each page to the pipeline while the next sheet feeds, show
progress, and keep the pages already scanned when the feeder jams (the error is raised after
them). Backends spell sources and modes differently ("ADF Front", "Automatic Document
Feeder", "Duplex"; "Color", "24bit Color"): :func:`match_choice` finds ours among theirs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from app.core.errors import N_
from app.devices.errors import DeviceError
from app.devices.model import DeviceInfo

Source = Literal["flatbed", "adf", "duplex"]
Mode = Literal["color", "gray", "lineart"]
SOURCES: tuple[Source, ...] = ("flatbed", "adf", "duplex")
MODES: tuple[Mode, ...] = ("color", "gray", "lineart")
SOURCE_LABELS: dict[Source, str] = {"flatbed": N_("平板"), "adf": N_("自动进纸"), "duplex": N_("双面进纸")}
MODE_LABELS: dict[Mode, str] = {"color": "彩色", "gray": "灰度", "lineart": "黑白"}

# What each of our words looks like in backends' option values (SANE backends, TWAIN drivers,
# in English or Chinese); the first pattern that matches wins, and "adf" must not be a duplex.
_PATTERNS: dict[str, tuple[str, ...]] = {
    "flatbed": (r"flatbed|platen|平板|document table|normal",),
    "adf": (r"^(?!.*(duplex|back|双面)).*(adf|feeder|automatic|进纸|送纸)",),
    "duplex": (r"duplex|双面", r"adf.*(both|back)"),
    "color": (r"colou?r|彩色|rgb",),
    "gray": (r"gr[ae]y|灰",),
    "lineart": (r"line\s*art|binary|black\s*&?\s*white|黑白|halftone|^bw$",),
}


def match_choice(wanted: str, offered: Sequence[str]) -> str | None:
    """The backend's spelling of ``wanted`` (a :data:`Source` or :data:`Mode`) among ``offered``."""
    for pattern in _PATTERNS[wanted]:
        for value in offered:
            if re.search(pattern, value, re.IGNORECASE):
                return value
    return None


@dataclass(frozen=True, slots=True)
class ScanSettings:
    """What the clerk asked for (from the settings, or the 扫描 dialog)."""

    source: Source = "adf"
    mode: Mode = "color"
    dpi: int = 300
    #: the material being scanned (real scanners ignore it; the simulated twin makes a sample of its kind)
    document: str = ""

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise DeviceError("扫描来源“{source}”无效，应为 flatbed、adf 或 duplex", source=self.source,
                              log=f"invalid scan source {self.source!r}")
        if self.mode not in MODES:
            raise DeviceError("扫描色彩“{mode}”无效，应为 color、gray 或 lineart", mode=self.mode,
                              log=f"invalid scan mode {self.mode!r}")
        if not 50 <= self.dpi <= 1200:
            raise DeviceError("扫描分辨率 {dpi} dpi 无效，应在 50–1200 之间", dpi=self.dpi,
                              log=f"invalid scan resolution {self.dpi}")


@dataclass(frozen=True, slots=True)
class ScannedPage:
    """One sheet side as the scanner gave it: grey (H, W) or RGB (H, W, 3) ``uint8`` pixels,
    the resolution it scanned at, and its place in the batch (from 0)."""

    pixels: np.ndarray
    dpi: float
    index: int


class Scanner(Protocol):
    """One opened scanner."""

    info: DeviceInfo

    def scan(self, settings: ScanSettings) -> Iterator[ScannedPage]:
        """The batch's pages, fetched one device call at a time.

        A problem before the first page (no paper, cover open, device gone) raises a
        :class:`DeviceError`; one after it raises the same, after the pages already scanned.
        Closing the iterator early cancels the rest of the batch.
        """
        ...

    def close(self) -> None: ...


def unsupported_source(info: DeviceInfo, wanted: Source, offered: Sequence[str]) -> DeviceError:
    """The error for a scanner that has no such source."""
    have = "、".join(offered) or "无"
    return DeviceError("{info}不支持“{source_labels}”扫描（可用：{have}），请在设置中改选扫描来源",
                       info=info.label, source_labels=SOURCE_LABELS[wanted], have=have,
                       log=f"{info.name}: no {wanted} source among {list(offered)}")


def feeder_empty(info: DeviceInfo) -> DeviceError:
    return DeviceError("{info}的进纸器中没有纸，请放入材料后重试", info=info.label, log=f"{info.name}: feeder empty")
