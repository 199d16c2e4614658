"""Device use cases the window and the command line share: list, scan, read a card.

A scan streams: each page the scanner delivers goes into the page pipeline while the next
sheet feeds, and each processed page is written out as soon as it is ready. When the scanner
fails part-way (a jam, a pulled cable), the pages before it are kept and the error says how
many; nothing half-written stays behind (each file is written under a temporary name and
renamed).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Generator, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from app.core.errors import UserError
from app.core.mrz import parse_bac_key
from app.core.signature import check_signature
from app.devices import registry
from app.devices.errors import DeviceError, after_pages
from app.devices.model import KIND_LABELS, STATUS_LABELS
from app.devices.model import DeviceInfo as DeviceInfo  # the window lists them
from app.devices.scanner import Scanner, ScanSettings
from app.imaging.decode import RawPage
from app.imaging.pipeline import PipelineOptions, ProcessedPage, process_batch
from app.services import audit, camera, intake, unit_settings
from app.services.context import AppContext
from app.services.files import replace_atomically
from app.store.blobs import sha256_hex

log = logging.getLogger("services.devices")

_SUFFIX = {"image/tiff": ".tif", "image/jpeg": ".jpg"}
#: How pages scanned outside a material go through the pipeline.
SCANNER_PAGES = PipelineOptions(source="scanner")


def list_devices(ctx: AppContext) -> list[DeviceInfo]:
    """Every device attached, and the simulated twins."""
    return registry.discover(ctx.settings)


#: The setting that holds the chosen device of each kind.
CHOICE_SETTING: dict[str, str] = {"scanner": "devices.scanner", "camera": "devices.camera",
                                  "smartcard": "devices.card_reader", "id_reader": "devices.id_reader",
                                  "signature_pad": "devices.signature_pad"}


def use_simulated_devices(ctx: AppContext) -> AppContext:
    """Demo and training mode: every device is its simulated twin."""
    for info in registry.twins():
        ctx = unit_settings.set_setting(ctx, CHOICE_SETTING[info.kind], info.name)
    return ctx


def chosen(ctx: AppContext, info: DeviceInfo) -> bool:
    """Whether ``info`` is the device of its kind the settings name."""
    return bool(ctx.settings.get(CHOICE_SETTING[info.kind]) == info.name)


def use_device(ctx: AppContext, info: DeviceInfo) -> AppContext:
    """Make ``info`` the device of its kind (a setting); returns the context with it."""
    return unit_settings.set_setting(ctx, CHOICE_SETTING[info.kind], info.name)


def try_device(ctx: AppContext, info: DeviceInfo) -> str:
    """The 「测试」 action: use the device once and say, for the clerk, what came back."""
    if info.kind == "scanner":
        return _try_scanner(ctx, info)
    if info.kind == "signature_pad":
        return _try_signature_pad(ctx, info)
    if info.kind == "camera":
        with closing(camera.open_named_camera(ctx.settings, info.name)) as session:
            return shot_summary(session.capture())
    if info.kind == "smartcard":
        with closing(registry.open_card_reader(ctx.settings, info.name)) as reader:
            present = reader.card_present()
        return "读卡器正常：读卡器上有证件" if present else "读卡器正常：读卡器上没有证件"
    if info.kind == "id_reader":
        card = read_id_card(ctx, info.name)
        return f"读卡正常：{card['name']}，{card['id_number'][:6]}{'*' * 8}{card['id_number'][-4:]}"
    raise DeviceError("{kind}暂不支持测试", kind=kind_label(info.kind), log=f"no test action for {info.kind}")


def _try_scanner(ctx: AppContext, info: DeviceInfo) -> str:
    settings = registry.scan_settings(ctx.settings)
    pages = scanned_pages(registry.open_scanner(ctx.settings, info.name), settings)
    try:
        page = next(pages, None)
    finally:
        pages.close()  # one sheet is enough: the rest of the batch is cancelled
    if page is None:
        raise DeviceError("扫描仪没有送来页面，请放入一张纸后重试", log=f"{info.name}: test scan gave no page")
    kind = {"bitonal": "黑白", "gray": "灰度", "color": "彩色"}[page.kind]
    size = max(1, len(page.data) // 1024)
    return f"扫描正常：{page.width}×{page.height} 像素，{round(page.dpi)} dpi，{kind}，{size} KB"


def _try_signature_pad(ctx: AppContext, info: DeviceInfo) -> str:
    with closing(registry.open_signature_pad(ctx.settings, info.name)) as pad:
        strokes = pad.capture()
    check_signature(strokes)
    return f"签名正常：{len(strokes)} 笔，{strokes.point_count} 个点，用时 {strokes.duration_ms() / 1000:.1f} 秒"


def shot_summary(shot: camera.Shot) -> str:
    """What the clerk reads after a test shot."""
    height, width = shot.pixels.shape[:2]
    return f"拍摄正常：{width}×{height} 像素"


def read_id_card(ctx: AppContext, device: str | None = None) -> dict[str, Any]:
    """The resident ID card on the reader: the applicant's fields and the card's own."""
    with closing(registry.open_id_reader(ctx.settings, device)) as reader:
        card = reader.read_card()
        audit.record(ctx, "read_card", None, card="resident_id", reader=reader.info.name)
    return {**card.to_applicant(), "sex": card.sex, "nation": card.nation, "birth": card.birth.isoformat(),
            "authority": card.authority, "valid_from": card.valid_from.isoformat(),
            "valid_to": card.valid_to.isoformat() if card.valid_to else "长期", "photo_bytes": len(card.photo_wlt),
            "expired": card.valid_to is not None and card.valid_to < ctx.today()}


def read_passport(ctx: AppContext, mrz: str, device: str | None = None) -> dict[str, Any]:
    """The e-passport (or e-permit) on the PC/SC reader, opened with the data page's MRZ
    (the whole MRZ, its second line, or document number, birth and expiry dates)."""
    key = parse_bac_key(mrz, ctx.today())  # refused before the chip is touched
    with closing(registry.open_card_reader(ctx.settings, device)) as reader:
        data = reader.read_passport(key)
        audit.record(ctx, "read_card", None, card="passport", reader=reader.info.name)
    m = data.mrz
    return {**data.applicant(), "surname": m.surname, "given_names": m.given_names, "nationality": m.nationality,
            "sex": m.sex, "birth": m.birth_date.isoformat(), "expiry": m.expiry_date.isoformat(),
            "issuing_state": m.issuing_state, "document_code": m.document_code}


def kind_label(kind: str) -> str:
    return next((label for k, label in KIND_LABELS.items() if k == kind), kind)


def status_label(status: str) -> str:
    return next((label for s, label in STATUS_LABELS.items() if s == status), status)


@dataclass(frozen=True, slots=True)
class ScannedFile:
    """One scanned page as written out."""

    path: Path
    page: ProcessedPage

    def to_dict(self) -> dict[str, object]:
        p = self.page
        return {"file": str(self.path), "sha256": sha256_hex(p.data), "bytes": len(p.data), "kind": p.kind,
                "blank": p.blank, "warnings": list(p.warning_codes), "width": p.width, "height": p.height,
                "dpi": round(p.dpi, 1)}


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """The pages a scan produced, and the error that ended it early (if one did)."""

    device: DeviceInfo
    pages: tuple[ScannedFile, ...]
    error: DeviceError | None = None


def raw_pages(scanner: Scanner, settings: ScanSettings) -> Iterator[RawPage]:
    """The scanner's pages as the pipeline takes them (read-only pixels, the scan's dpi)."""
    for page in scanner.scan(settings):
        pixels = np.ascontiguousarray(page.pixels)
        pixels.setflags(write=False)
        yield RawPage(pixels=pixels, dpi=page.dpi, index=page.index)


def scanned_pages(scanner: Scanner, settings: ScanSettings, options: PipelineOptions = SCANNER_PAGES,
                  ) -> Generator[ProcessedPage, None, None]:
    """The scanner's batch through the pipeline as it comes; closes the scanner at the end.

    Raises the scanner's :class:`DeviceError` after the pages scanned before it; closing the
    iterator early cancels the rest of the batch.
    """
    try:
        yield from process_batch((raw, options) for raw in raw_pages(scanner, settings))
    finally:
        scanner.close()


def _each_page(scanner: Scanner, settings: ScanSettings, options: PipelineOptions,
               take: Callable[[ProcessedPage], None]) -> DeviceError | None:
    """``take`` each page of one batch as it comes; the scanner's error that ended the batch
    early (saying how many pages were kept), or None."""
    taken = 0
    pages = scanned_pages(scanner, settings, options)
    try:
        for page in pages:
            take(page)
            taken += 1
    except DeviceError as exc:
        log.warning("scan on %s ended after %d pages: %s", scanner.info.name, taken, exc.log)
        return after_pages(exc, taken)
    finally:
        pages.close()
    return None


@dataclass(frozen=True, slots=True)
class MaterialScan:
    """A material's pages scanned at the window, and the error that ended the batch early."""

    device: DeviceInfo
    pages: tuple[ProcessedPage, ...]
    error: DeviceError | None = None


def scan_material(ctx: AppContext, material: str, *, source: str | None = None,
                  progress: Callable[[ProcessedPage], None] | None = None) -> MaterialScan:
    """One batch with the chosen scanner, through the pipeline as ``material``'s pages are
    (colour kept where the unit says), ready for :class:`app.services.intake.MaterialInput`."""
    scanner = registry.open_scanner(ctx.settings)
    pages: list[ProcessedPage] = []

    def take(page: ProcessedPage) -> None:
        pages.append(page)
        if progress is not None:
            progress(page)

    error = _each_page(scanner, dataclasses.replace(registry.scan_settings(ctx.settings, source), document=material),
                       intake.pipeline_options(ctx, material, "scanner"), take)
    return MaterialScan(scanner.info, tuple(pages), error)


def scan_to_folder(ctx: AppContext, out: Path, *, device: str | None = None, source: str | None = None,
                   progress: Callable[[ScannedFile], None] | None = None) -> ScanOutcome:
    """Scan one batch with the chosen scanner into ``out``: see :func:`write_scan`."""
    settings = registry.scan_settings(ctx.settings, source)
    return write_scan(ctx, registry.open_scanner(ctx.settings, device), settings, out, progress=progress)


def write_scan(ctx: AppContext, scanner: Scanner, settings: ScanSettings, out: Path, *,
               progress: Callable[[ScannedFile], None] | None = None) -> ScanOutcome:
    """One batch into ``out`` (created if needed), a file per page (CCITT G4 TIFF or JPEG) as
    each comes out of the pipeline; the scanner is closed at the end."""
    if out.exists() and not out.is_dir():
        scanner.close()
        raise UserError("“{out}”不是文件夹", out=out, log=f"scan output is not a folder: {out}")
    out.mkdir(parents=True, exist_ok=True)
    stamp = ctx.clock().strftime("%Y%m%d-%H%M%S")
    written: list[ScannedFile] = []

    def take(page: ProcessedPage) -> None:
        path = _free_name(out, f"scan-{stamp}-{len(written) + 1:03d}", _SUFFIX[page.media_type])
        replace_atomically(path, page.data)
        written.append(ScannedFile(path, page))
        if progress is not None:
            progress(written[-1])

    error = _each_page(scanner, settings, SCANNER_PAGES, take)
    return ScanOutcome(scanner.info, tuple(written), error)


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    path = folder / f"{stem}{suffix}"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}{suffix}"
    return path
