"""How fast the page pipeline runs, how small its pages are, and whether its memory stays flat.

A pool of "scanned" A4 pages at 300 dpi is generated once (not timed): text and table pages and
mixed pages (text, a photo, a red seal), each turned by a different small angle on the scanner's
bed (dark, grey or a white lid), framed by scanner bands, with sensor noise. The pipeline is fed
their decoded pixels, as a scanner driver delivers them, cycling the pool; a second pass feeds
the same pages as JPEG q92 files, so decoding is timed too. In the same run, the same pages go
the naive way: Pillow grayscale JPEG quality 75, then img2pdf, no clean-up. Printed: pages/s
(one core, then one worker per core), KB per text and per mixed page (encoded page and material
PDF) against the baseline, what the pipeline made of each page, and the peak RSS growth over a
short and a long batch. No assertions: the numbers are for people; the exit code is 1 only if a
page failed to process or a PDF failed ``qpdf --check``.

    python bench/pipeline.py                      # 60 pages timed, 20 and 200 for memory
    python bench/pipeline.py --quick              # 12 pages timed, 20 and 60 for memory
    python bench/pipeline.py --bed white          # every page scanned under a white lid
    python bench/pipeline.py --pages 120 --memory 20 400
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime as dt
import gc
import hashlib
import io
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

import cv2
import img2pdf
import numpy as np
from PIL import Image

from app.documents.material_pdf import build_material_pdf
from app.imaging.decode import Pixels, RawPage, decode_bytes
from app.imaging.pipeline import PipelineOptions, ProcessedPage, default_workers, process_batch
from tests.support import pagegen

Group = Literal["text", "mixed"]
Job = tuple[RawPage, PipelineOptions]

DPI = 300
OPTIONS = PipelineOptions()  # what an intake passes for ordinary materials ("auto" source)
# The pool: (group, generator, seed); each page has its own angle, bed, bands and noise.
POOL: tuple[tuple[Group, Callable[[int], Pixels], int], ...] = (
    ("text", pagegen.text_page, 11), ("text", pagegen.text_page, 12), ("text", pagegen.table_page, 13),
    ("text", pagegen.text_page, 14), ("text", pagegen.table_page, 15), ("text", pagegen.text_page, 16),
    ("mixed", pagegen.mixed_page, 21), ("mixed", pagegen.mixed_page, 22), ("mixed", pagegen.mixed_page, 23))
# Distinct angles in −3…3°, none zero (an unturned page would skip the rotation's cost).
ANGLES = (-2.6, 1.4, -0.7, 2.9, -1.9, 0.4, 2.2, -3.0, 1.0)
# What shows round a skewed sheet: a feeder's dark or grey backing shows the paper's edge; a
# flatbed's white lid does not, and the text alone tells the skew (the tests' three beds).
BEDS = {"dark": 30, "grey": 90, "white": 255}
NOISE_SIGMA = 3.0
SCAN_JPEG_QUALITY = 92  # a scanner's "JPEG, high quality"
BASELINE_QUALITY = 75
CREATED = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)  # any fixed time: the PDFs are deterministic

PAGES, QUICK_PAGES = 60, 12
MEMORY_RUNS, QUICK_MEMORY_RUNS = (20, 200), (20, 60)
SAMPLE_EVERY = 0.02  # s between RSS samples

RATE_TARGET = 8.0  # pages/s/core
TEXT_SIZE_TARGET = 1 / 6  # pipeline bytes / baseline bytes, text pages
MEMORY_TARGET = 1.3  # peak growth, long batch / short batch
MB = 1_000_000


@dataclass(frozen=True)
class Scanned:
    """One page of the pool as a scanner delivers it: pixels, and the same as a JPEG file."""

    name: str
    group: Group
    bed: str
    pixels: Pixels
    jpeg: bytes


@dataclass
class Run:
    """One pass over a stream of pages: how long it took, what came out, what went wrong."""

    pages: int = 0
    seconds: float = 0.0
    cpu: float = 0.0  # CPU seconds of the whole process (all threads)
    idle: float | None = None  # share of the machine's CPU time nobody used meanwhile
    first: list[ProcessedPage] = field(default_factory=list)  # the first pass over the pool
    out_bytes: int = 0
    failure: str | None = None

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0

    @property
    def busy(self) -> float:
        """Cores kept busy on average: below the workers' count, the pages waited on something."""
        return self.cpu / self.seconds if self.seconds > 0 else 0.0


# --- the pool -------------------------------------------------------------------------------------

def _frozen(a: Pixels) -> Pixels:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)  # as decode.py hands pages over: a page is a value
    return a


def _jpeg(pixels: Pixels, quality: int, *, gray: bool = False) -> bytes:
    img = Image.fromarray(pixels)
    if gray:
        img = img.convert("L")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, dpi=(DPI, DPI))
    return out.getvalue()


def make_pool(bed: str) -> list[Scanned]:
    pool = []
    beds = list(BEDS) if bed == "mixed" else [bed]
    for i, ((group, make, seed), angle) in enumerate(zip(POOL, ANGLES, strict=True)):
        # Beds cycle within each group, so text and mixed pages both meet each of them.
        on = beds[(i if group == "text" else i + 1) % len(beds)]
        page = pagegen.rotate_page(make(seed), angle, fill=BEDS[on])
        scanned = _frozen(pagegen.add_noise(pagegen.scanner_borders(page, seed), NOISE_SIGMA, seed))
        name = f"{make.__name__}({seed}) {angle:+.1f}°"
        pool.append(Scanned(name, group, on, scanned, _jpeg(scanned, SCAN_JPEG_QUALITY)))
    return pool


def pixel_jobs(pool: Sequence[Scanned], n: int) -> Iterator[Job]:
    """``n`` pages cycling the pool, the pool's own arrays (read-only, so sharing them is safe)."""
    for i in range(n):
        yield RawPage(pool[i % len(pool)].pixels, float(DPI), 0), OPTIONS


def copied_jobs(pool: Sequence[Scanned], n: int) -> Iterator[Job]:
    """``n`` pages cycling the pool, each a fresh copy made only when the pipeline pulls it: a
    scanner's pages arrive one at a time, and a prebuilt list would be the memory we measure."""
    for i in range(n):
        yield RawPage(_frozen(pool[i % len(pool)].pixels.copy()), float(DPI), 0), OPTIONS


def decoded_jobs(pool: Sequence[Scanned], n: int) -> Iterator[Job]:
    """``n`` pages cycling the pool's JPEG files, decoded as intake does: on the feeding thread."""
    for i in range(n):
        s = pool[i % len(pool)]
        for raw in decode_bytes(s.jpeg, f"scan-{i:03d}.jpg"):
            yield raw, OPTIONS


# --- running ---------------------------------------------------------------------------------------

def cpu_ticks() -> tuple[int, int] | None:
    """(idle, total) CPU ticks of the whole machine so far, from /proc/stat (None elsewhere)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    return fields[3] + fields[4], sum(fields[:8])  # idle + iowait; guest time is inside user


def _timed(run: Run, started: tuple[float, float, tuple[int, int] | None]) -> None:
    wall, cpu, ticks = started
    run.seconds, run.cpu = time.perf_counter() - wall, time.process_time() - cpu
    now = cpu_ticks()
    if ticks is not None and now is not None and now[1] > ticks[1]:
        run.idle = (now[0] - ticks[0]) / (now[1] - ticks[1])


def _start() -> tuple[float, float, tuple[int, int] | None]:
    return time.perf_counter(), time.process_time(), cpu_ticks()


def run_pipeline(jobs: Iterable[Job], workers: int | None, keep: int = 0) -> Run:
    """The pipeline over ``jobs``; the first ``keep`` pages are kept, the others only counted."""
    run = Run()
    # process_batch leaves OpenCV's own thread pool on for one worker: "one core" must be one.
    previous = cv2.getNumThreads()
    if workers == 1:
        cv2.setNumThreads(1)
    started = _start()
    try:
        for page in process_batch(jobs, workers=workers):
            run.pages += 1
            run.out_bytes += len(page.data)
            if len(run.first) < keep:
                run.first.append(page)
    except Exception:
        run.failure = f"page {run.pages + 1}: " + traceback.format_exc(limit=4)
    finally:
        _timed(run, started)
        cv2.setNumThreads(previous)
    return run


def run_baseline(pool: Sequence[Scanned], n: int) -> tuple[Run, list[bytes]]:
    """The naive way on one core over ``n`` pages, and the JPEG of each pool page."""
    run = Run()
    first: list[bytes] = []
    started = _start()
    for i in range(n):
        data = _jpeg(pool[i % len(pool)].pixels, BASELINE_QUALITY, gray=True)
        run.pages += 1
        run.out_bytes += len(data)
        if len(first) < len(pool):
            first.append(data)
    _timed(run, started)
    return run, first


def rss() -> int | None:
    """Resident set size of this process in bytes (None where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _trim_heap() -> None:
    """Hand freed memory back to the system (glibc), so the RSS before a run is what is live and
    not what the previous run left in malloc's free lists (30 MB pages sit below its mmap limit)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: the RSS before includes free lists
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class PeakRss:
    """Peak RSS while the block runs, sampled on a thread (VmHWM only ever grows, so it cannot
    tell one run's peak from an earlier one's; tracemalloc does not see OpenCV's buffers)."""

    def __init__(self, every: float = SAMPLE_EVERY) -> None:
        self.every = every
        self.before = 0
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="rss", daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss() or 0)
            self._stop.wait(self.every)

    def __enter__(self) -> PeakRss:
        _trim_heap()
        self.before = self.peak = rss() or 0
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss() or 0)

    @property
    def growth(self) -> int:
        return self.peak - self.before


def qpdf_check(pdf: bytes, folder: Path, name: str) -> str | None:
    """None if ``qpdf --check`` passes (warnings count as passing), else what it said."""
    path = folder / name
    path.write_bytes(pdf)
    r = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, check=False)
    if r.returncode in (0, 3):  # 3: warnings only
        return None
    return f"qpdf --check {name} -> {r.returncode}: {(r.stdout + r.stderr).strip()[-500:]}"


# --- printing ---------------------------------------------------------------------------------------

def kb(n: float) -> str:
    return f"{n / 1000:6.1f} KB"


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def rate_line(label: str, run: Run, workers: int) -> str:
    per_core = run.rate / workers
    # Fewer cores busy than workers while the machine sat idle: the pages waited on each other
    # (the GIL, the feeding thread); with no idle time left, other processes had the cores.
    idle = "" if run.idle is None else f" (machine {run.idle:.0%} idle)"
    return (f"  {label:<30} {run.rate:6.2f} pages/s = {per_core:5.2f} pages/s/core "
            f"({1000 / per_core if per_core else float('inf'):4.0f} ms a page); "
            f"{run.busy:.2f} cores busy{idle}, {run.pages / run.cpu if run.cpu else 0:5.2f} pages per CPU-second")


def load_note() -> str:
    try:
        one_minute = float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return ""
    busy = " (other processes will slow the figures)" if one_minute >= 0.5 else ""
    return f"; load average {one_minute:.2f} before the run{busy}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_PAGES} pages timed, {QUICK_MEMORY_RUNS} for memory (a smoke run)")
    parser.add_argument("--pages", type=int, metavar="N", help=f"pages per timed run (default {PAGES})")
    parser.add_argument("--memory", type=int, nargs=2, metavar=("SHORT", "LONG"),
                        help=f"pages of the two memory runs (default {MEMORY_RUNS[0]} {MEMORY_RUNS[1]})")
    parser.add_argument("--bed", choices=["mixed", *BEDS], default="mixed",
                        help="what shows round the sheets (default mixed: dark, grey and white in turn)")
    args = parser.parse_args(argv)
    n = args.pages or (QUICK_PAGES if args.quick else PAGES)
    short, long = args.memory or (QUICK_MEMORY_RUNS if args.quick else MEMORY_RUNS)
    if n < len(POOL) or short < 1 or long < 1:
        parser.error(f"--pages must be at least {len(POOL)} (one pass over the pool) and --memory positive")
    workers = default_workers()
    problems: list[str] = []

    started = time.perf_counter()
    pool = make_pool(args.bed)
    text_idx = [i for i, s in enumerate(pool) if s.group == "text"]
    mixed_idx = [i for i, s in enumerate(pool) if s.group == "mixed"]
    h, w = pool[0].pixels.shape[:2]
    print(f"pool: {len(text_idx)} text/table + {len(mixed_idx)} mixed A4 pages at {DPI} dpi, turned "
          f"{min(ANGLES):+.1f}…{max(ANGLES):+.1f}° on a {args.bed} bed, scanner bands, noise σ={NOISE_SIGMA:g} "
          f"(~{w}×{h} RGB, {pool[0].pixels.nbytes / MB:.0f} MB each); made in {time.perf_counter() - started:.1f} s")
    print(f"{workers} worker(s) = the cores this process may use; {n} pages per timed run{load_note()}\n")

    # Warm-up: the first pages pay for OpenCV's lazy set-up, the thread pool and the JPEG tables.
    warm = run_pipeline(pixel_jobs(pool, 2), None)
    one = run_pipeline(pixel_jobs(pool, n), 1, keep=len(pool))
    every = run_pipeline(pixel_jobs(pool, n), None, keep=len(pool))
    dec_one = run_pipeline(decoded_jobs(pool, n), 1)
    dec_every = run_pipeline(decoded_jobs(pool, n), None)
    base, base_pages = run_baseline(pool, n)
    for label, run in (("warm-up", warm), ("1 core", one), (f"{workers} workers", every),
                       ("decoding, 1 core", dec_one), (f"decoding, {workers} workers", dec_every)):
        if run.failure:
            problems.append(f"pipeline ({label}) failed at {run.failure}")

    print("throughput, decoded pixels in (a scanner driver's pages):")
    print(rate_line("pipeline, 1 core", one, 1))
    print(rate_line(f"pipeline, {workers} workers", every, workers))
    print(rate_line("baseline (Pillow L q75), 1 core", base, 1))
    print(f"  the pipeline on 1 core runs at {one.rate / base.rate:.2f}× the baseline's speed")
    print(f"throughput, JPEG q{SCAN_JPEG_QUALITY} files in (decode_bytes on the feeding thread, as intake does):")
    print(rate_line("pipeline, 1 core", dec_one, 1))
    print(rate_line(f"pipeline, {workers} workers", dec_every, workers))
    if len(one.first) == len(every.first) and any(a.data != b.data for a, b in zip(one.first, every.first,
                                                                                  strict=True)):
        print("  NOTE: some pages came out different on 1 and on several workers")

    ratios: dict[Group, float] = {}
    if len(one.first) == len(pool):
        print("\nwhat the pipeline made of each page (1 core)       kind      pipeline  baseline  size (px)  warnings")
        for s, page, naive in zip(pool, one.first, base_pages, strict=True):
            label = f"{s.name}, {s.bed} bed"
            print(f"  {label:<47} {page.kind:<8} {kb(len(page.data))} {kb(len(naive))}  "
                  f"{page.width}×{page.height} @{page.dpi:.0f}, turned {page.angle:+.2f}°  "
                  f"{', '.join(page.warning_codes) or '-'}")
        print("\nsize per page            pipeline     baseline  pipeline/baseline")
        checked = False
        by_group: tuple[tuple[Group, list[int]], ...] = (("text", text_idx), ("mixed", mixed_idx))
        with tempfile.TemporaryDirectory(prefix="chuangkou-bench-pipeline-") as tmp:
            for group, idx in by_group:
                ours = [one.first[i].data for i in idx]
                theirs = [base_pages[i] for i in idx]
                try:
                    ours_pdf = build_material_pdf(
                        ours, case_id="bench", material=f"{group} pages", created=CREATED,
                        page_hashes=[hashlib.sha256(d).hexdigest() for d in ours])
                    theirs_pdf: bytes = img2pdf.convert(theirs)
                except Exception as e:
                    problems.append(f"{group} material PDF: {e!r}")
                    continue
                for what, a, b in (("encoded page", sum(map(len, ours)), sum(map(len, theirs))),
                                   ("material PDF", len(ours_pdf), len(theirs_pdf))):
                    print(f"  {group:<5} {what:<13} {kb(a / len(idx))}   {kb(b / len(idx))}   {a / b:6.3f}")
                ratios[group] = len(ours_pdf) / len(theirs_pdf)
                if not checked and shutil.which("qpdf"):
                    for pdf, name in ((ours_pdf, f"pipeline-{group}.pdf"), (theirs_pdf, f"baseline-{group}.pdf")):
                        if (bad := qpdf_check(pdf, Path(tmp), name)) is not None:
                            problems.append(bad)
                    checked = True
        qpdf_note = "NOT RUN (qpdf not found)" if not checked else (
            "FAILED" if any(p.startswith("qpdf") for p in problems) else "ok")
        print(f"  qpdf --check of one pipeline and one baseline material PDF: {qpdf_note}")
    else:
        print("\nsize per page: not measured (the pipeline failed)")

    memory: list[tuple[PeakRss, Run]] = []
    if rss() is None:
        print("\nmemory: not measured (no /proc/self/status)")
    else:
        # An unmeasured pass first: the first batch of copies grows malloc's arenas and pools for
        # good, which would make whichever run came first look bigger.
        warm = run_pipeline(copied_jobs(pool, min(short, long)), None)
        if warm.failure:
            problems.append(f"pipeline (memory warm-up) failed at {warm.failure}")
        for count in (short, long):
            with PeakRss() as peak:
                run = run_pipeline(copied_jobs(pool, count), None)
            if run.failure:
                problems.append(f"pipeline (memory, {count} pages) failed at {run.failure}")
            memory.append((peak, run))
        print(f"\nmemory, {workers} workers, each page copied when pulled (peak RSS over the RSS before the run, "
              f"sampled every {SAMPLE_EVERY * 1000:.0f} ms):")
        for (peak, run), count in zip(memory, (short, long), strict=True):
            print(f"  {count:4d} pages: +{peak.growth / MB:4.0f} MB (from {peak.before / MB:.0f} to "
                  f"{peak.peak / MB:.0f} MB) at {run.rate:5.2f} pages/s; the {run.out_bytes / MB:.1f} MB of "
                  f"encoded pages, which intake keeps, are not held here")

    print("\nsummary:")
    per_core = every.rate / workers
    print(f"  pages/s/core, {workers} workers, pixels in   {per_core:6.2f} ≥ {RATE_TARGET:g}: "
          f"{verdict(per_core >= RATE_TARGET)}  (1 core {one.rate:.2f}; {workers} workers with JPEG decoding "
          f"{dec_every.rate / workers:.2f})")
    if "text" in ratios:
        print(f"  text material PDF / baseline       {ratios['text']:6.3f} ≤ {TEXT_SIZE_TARGET:.3f}: "
              f"{verdict(ratios['text'] <= TEXT_SIZE_TARGET)}")
    if "mixed" in ratios:
        print(f"  mixed material PDF / baseline      {ratios['mixed']:6.3f} (no target)")
    if len(memory) == 2:
        first_peak, second_peak = memory[0][0].growth, memory[1][0].growth
        ratio = second_peak / first_peak if first_peak > 0 else float("inf")
        print(f"  peak memory, {long} / {short} pages  {ratio:10.2f} ≤ {MEMORY_TARGET}: "
              f"{verdict(ratio <= MEMORY_TARGET)}")
    for p in problems:
        print(f"BROKEN: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
