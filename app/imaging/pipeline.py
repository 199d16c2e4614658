"""The page pipeline: one decoded page in, one small, straight, checked page to store out.

:func:`process_page` runs the steps in order: straighten (deskew and crop a scan, rectify a
photo), judge the page (blank, blurred, too dark, cut off, almost empty; a photo without a
sheet is flagged), decide its kind (bitonal, grey or colour) and encode it (CCITT G4 or
JPEG). A scan's straightening is planned on a small grey copy and carried out only in the
forms the page needs (:class:`app.imaging.geometry.PageGeometry`): a bitonal page is warped
in grey at full resolution, a colour page in colour straight to its stored resolution, and
both are classified on a colour copy shrunk before the warp.

:func:`process_batch` runs it over a stream of pages on worker threads — OpenCV, NumPy, the
JPEG encoder and libtiff's G4 encoder (called through ctypes) release the GIL for the pixel
work, so both cores are used without copying pages between processes — with at most a few
pages in flight, so a 200-page batch never holds 200 pages' pixels.

A page's resolution comes from its file when it is believable (:mod:`app.core.paper`),
from the rectification for a photo, and otherwise from assuming the page is an A4 sheet.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal, TypeVar

import cv2

from app.core.paper import MM_PER_INCH, a4_dpi, believable_dpi
from app.imaging.arrays import Image, to_gray
from app.imaging.blank import small_gray
from app.imaging.classify import Kind, analysis_halvings, classify, classify_shrunk, ink_mask
from app.imaging.decode import RawPage
from app.imaging.encode import encode_ink, encode_jpeg, jpeg_size
from app.imaging.geometry import PageGeometry, Source, plan_page
from app.imaging.quality import BLANK, SHEET_NOT_FOUND, PageWarning, check_page, check_shrunk

MediaType = Literal["image/tiff", "image/jpeg"]
T = TypeVar("T")
J = TypeVar("J")


@dataclass(frozen=True, slots=True)
class PipelineOptions:
    """How to treat a batch: where its pages come from, and whether to keep colour."""

    source: Source = "auto"
    force_color: bool = False
    #: Paper size of photographed sheets when the clerk knows it is not A4 ("A5", "B5"...).
    paper: str | None = None


@dataclass(frozen=True, slots=True)
class ProcessedPage:
    """A page ready to store: its encoded bytes and what the clerk and the record need to know.

    ``warnings`` never holds ``blank`` (that is ``blank``). ``angle`` is the rotation the
    pipeline applied (degrees counter-clockwise), ``upside_down`` whether it also turned the
    page 180° (None: could not be told), ``source`` the path it took.
    """

    data: bytes
    media_type: MediaType
    kind: Kind
    width: int
    height: int
    dpi: float
    blank: bool
    warnings: tuple[PageWarning, ...]
    angle: float
    upside_down: bool | None
    source: Literal["scanner", "camera"]

    @property
    def warning_codes(self) -> tuple[str, ...]:
        return tuple(w.code for w in self.warnings)


def page_dpi(raw: RawPage) -> float | None:
    """The page's resolution as its file states it, when that is believable."""
    if raw.dpi is None:
        return None
    height, width = raw.pixels.shape[:2]
    return raw.dpi if believable_dpi(width, height, (raw.dpi, raw.dpi)) else None


def process_page(raw: RawPage, options: PipelineOptions = PipelineOptions()) -> ProcessedPage:
    """One page through the whole pipeline (see the module docstring)."""
    stated = page_dpi(raw)
    page = plan_page(raw.pixels, options.source, paper=options.paper)
    width, height = page.size
    dpi = page.dpi or stated or a4_dpi(width, height)

    judged = _judge(page, dpi, options.force_color)
    blank = any(w.code == BLANK for w in judged.found)
    warnings = [w for w in judged.found if w.code != BLANK]
    if not page.found:
        warnings.append(PageWarning(SHEET_NOT_FOUND))

    kind: Kind = "bitonal" if blank else judged.kind
    if kind == "bitonal":
        gray, small = judged.gray_and_small(page, dpi)
        data = encode_ink(ink_mask(gray, dpi=dpi, small=small), dpi)
        media: MediaType = "image/tiff"
        out_w, out_h, out_dpi = width, height, dpi
    else:
        out_w, out_h, out_dpi = jpeg_size(width, height, dpi)
        # Made straight at the stored size: one warp, no full-resolution page to resize.
        pixels = judged.gray_and_small(page, dpi)[0] if kind == "gray" else page.pixels((out_w, out_h))
        data = encode_jpeg(pixels, dpi if kind == "gray" else out_dpi)
        media = "image/jpeg"
    return ProcessedPage(data, media, kind, out_w, out_h, out_dpi, blank, tuple(warnings),
                         page.angle, page.upside_down, page.source)


@dataclass(frozen=True, slots=True)
class _Judged:
    """What :func:`_judge` found: the page's kind (before blankness overrules it), the quality
    gate's warnings, and the grey page and its small copy if they were made."""

    kind: Kind
    found: list[PageWarning]
    gray: Image | None = None
    small: tuple[Image, float] | None = None

    def gray_and_small(self, page: PageGeometry, dpi: float) -> tuple[Image, tuple[Image, float]]:
        """The grey page at full resolution and its small copy: the ones made, or made now."""
        gray = page.gray() if self.gray is None else self.gray
        return gray, small_gray(gray, dpi / MM_PER_INCH) if self.small is None else self.small


def _judge(page: PageGeometry, dpi: float, force_color: bool) -> _Judged:
    """The page's kind and what the quality gate finds.

    An RGB page is classified first, on a copy shrunk before the warp; a page stored in colour
    is then judged on the same copy and on sharpness tiles warped alone, so that of the page
    at full resolution only its stored form is ever made. Any other page is judged in grey at
    full resolution, which it is stored from anyway.
    """
    px_per_mm = dpi / MM_PER_INCH
    kind: Kind = "bitonal"
    if page.image.ndim == 3:
        halvings = analysis_halvings(px_per_mm)
        rgb = page.shrunk(halvings)
        small_px_per_mm = px_per_mm / (1 << halvings)
        kind = classify_shrunk(rgb, small_px_per_mm, force_color=force_color)
        if kind == "color":
            tiles = page.gray_window
            return _Judged(kind, check_shrunk(to_gray(rgb), small_px_per_mm, dpi=dpi, size=page.size, tiles=tiles))
    gray = page.gray()
    small = small_gray(gray, px_per_mm)
    found = check_page(gray, dpi=dpi, small=small)
    if page.image.ndim == 2 and not any(w.code == BLANK for w in found):
        kind = classify(gray, force_color=force_color, dpi=dpi)
    return _Judged(kind, found, gray, small)


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def process_batch(
    jobs: Iterable[tuple[RawPage, PipelineOptions]], *, workers: int | None = None,
) -> Iterator[ProcessedPage]:
    """Each (page, options) of ``jobs`` processed, in order, on ``workers`` threads (default: one
    per core).

    ``jobs`` is pulled lazily: at most ``2 × workers`` pages are decoded and waiting or in work
    at any time. An exception from decoding or processing a page is raised here, in order,
    after the pages before it; pages still in flight are then dropped.
    """
    n = workers or default_workers()
    if n == 1:
        yield from (process_page(raw, options) for raw, options in jobs)
        return
    yield from _bounded_map(lambda job: process_page(*job), jobs, n)


_cv_lock = threading.Lock()
_cv_batches = 0
_cv_threads = 0


@contextlib.contextmanager
def _opencv_single_threaded() -> Iterator[None]:
    """OpenCV's own thread pool would contend with ours for the same cores. Its thread count is
    process-wide, so it is restored only when the last of several concurrent batches ends."""
    global _cv_batches, _cv_threads
    with _cv_lock:
        if _cv_batches == 0:
            _cv_threads = cv2.getNumThreads()
            cv2.setNumThreads(1)
        _cv_batches += 1
    try:
        yield
    finally:
        with _cv_lock:
            _cv_batches -= 1
            if _cv_batches == 0:
                cv2.setNumThreads(_cv_threads)


def _bounded_map(fn: Callable[[J], T], items: Iterable[J], workers: int) -> Iterator[T]:
    with _opencv_single_threaded():
        yield from _in_pool(fn, items, workers)


def _in_pool(fn: Callable[[J], T], items: Iterable[J], workers: int) -> Iterator[T]:
    pending: deque[Future[T]] = deque()
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="page")
    source = iter(items)
    try:
        while True:
            try:
                item = next(source)
            except StopIteration:
                break
            except Exception:
                # A page that cannot even be read ends the batch after the pages before it.
                while pending:
                    yield pending.popleft().result()
                raise
            pending.append(pool.submit(fn, item))
            while len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for f in pending:
            f.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
