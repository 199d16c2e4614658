"""The scanner's simulated twin, for demo mode and training.

It scans the images of a folder (each file one sheet, in name order: the feeder takes them all,
the flatbed the next one each time), or, with no folder, generated A4 sheets of the kind the
material being scanned names (an application form, an ID card copy, a household register page,
a licence with its red seal),
turned a little on a grey feeder backing as a real scan is, so the page pipeline has borders to
crop and skew to correct. Each page still goes through a call on the device's thread, as a real
scanner's does.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from app.devices import sample_form
from app.devices.device import Device
from app.devices.errors import DeviceError, DeviceMissing
from app.devices.model import DeviceInfo
from app.devices.scanner import ScannedPage, ScanSettings

NAME = "sim:scanner"
INFO = DeviceInfo(name=NAME, kind="scanner", label="模拟扫描仪", simulated=True)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")
GENERATED_BATCH = 3  # sheets in the simulated feeder


class SimulatedScanner(Device):
    """Scans a folder's images, or generated forms."""

    def __init__(self, folder: str | Path | None, *, timeout: float) -> None:
        self.folder = Path(folder) if folder else None
        if self.folder is not None and not self.folder.is_dir():
            raise DeviceMissing("模拟扫描仪的图片文件夹“{folder}”不存在，请在设置中重新选择", folder=self.folder,
                                log=f"simulated scanner folder missing: {self.folder}")
        super().__init__(INFO, label=INFO.label, timeout=timeout)
        self._next_file = 0
        self._sheets = itertools.count(1)

    def scan(self, settings: ScanSettings) -> Iterator[ScannedPage]:
        files = self._files()
        if files:
            chosen = files if settings.source != "flatbed" else [files[self._next_file % len(files)]]
            self._next_file += 1
            for index, path in enumerate(chosen):
                pixels, dpi = self._call(functools.partial(_read, path, settings), what=f"read {path.name}")
                yield ScannedPage(pixels=pixels, dpi=dpi, index=index)
            return
        count = 1 if settings.source == "flatbed" else GENERATED_BATCH
        for index in range(count):
            sheet = next(self._sheets)
            pixels = self._call(functools.partial(generate_page, sheet, settings), what=f"generate {sheet}")
            yield ScannedPage(pixels=pixels, dpi=float(settings.dpi), index=index)

    def _files(self) -> list[Path]:
        if self.folder is None:
            return []
        return sorted(p for p in self.folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)


def _read(path: Path, settings: ScanSettings) -> tuple[np.ndarray, float]:
    try:
        with Image.open(path) as img:
            dpi = img.info.get("dpi", (settings.dpi, settings.dpi))[0]
            mode = "L" if settings.mode != "color" else "RGB"
            return np.asarray(img.convert(mode)).copy(), float(dpi) or float(settings.dpi)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise DeviceError("模拟扫描仪无法读取图片“{name}”，请检查该文件", name=path.name,
                          log=f"simulated scanner: cannot read {path}: {exc}") from None


def generate_page(sheet: int, settings: ScanSettings) -> np.ndarray:
    """Sheet number ``sheet`` of a made-up application: an A4 form at ``settings.dpi``, turned
    by up to ±2° on a grey backing 4 mm wider than the paper on each side."""
    px_per_mm = settings.dpi / 25.4
    form = sample_form.sample_for(settings.document, sheet, px_per_mm)
    page = Image.fromarray(form).convert("L" if settings.mode != "color" else "RGB")
    angle = 2.0 * math.sin(sheet * 1.7)  # a different small skew for each sheet
    backing = (110, 110, 110) if page.mode == "RGB" else 110
    turned = page.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=backing)
    margin = round(4 * px_per_mm)
    bed = Image.new(page.mode, (turned.width + 2 * margin, turned.height + 2 * margin), backing)
    bed.paste(turned, (margin, margin))
    return np.asarray(bed).copy()
