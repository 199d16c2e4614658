"""Scanners on Windows through TWAIN, with ``pytwain`` (imported only on Windows).

Not run on the Linux machines this project is tested on: it follows pytwain 2.3's documented
native-transfer loop and maps its errors, and it implements the same :class:`Scanner`
interface as SANE. TWAIN runs a whole batch inside one driver call (it pumps its own window
messages), so the batch is started on the device's thread and each page is handed over
through a queue as the driver transfers it; every wait for the next page has the timeout.
"""

from __future__ import annotations

import io
import logging
import queue
from collections.abc import Iterator

import numpy as np
import twain
from PIL import Image

from app.core.errors import N_
from app.devices.device import Device
from app.devices.errors import DeviceError, DeviceMissing, DeviceTimeout
from app.devices.model import DeviceInfo
from app.devices.scanner import ScannedPage, ScanSettings
from app.devices.worker import device_worker

log = logging.getLogger("devices.twain")
_PIXEL_TYPES = {"color": twain.TWPT_RGB, "gray": twain.TWPT_GRAY, "lineart": twain.TWPT_BW}
_DONE = object()


LABEL = N_("扫描仪")


def discover_scanners(timeout: float) -> list[DeviceInfo]:
    names: list[str] = device_worker("twain", LABEL).call(_source_list, timeout=timeout, what="source list")
    return [DeviceInfo(name=f"twain:{n}", kind="scanner", label=n) for n in names]


def _source_list() -> list[str]:
    with twain.SourceManager(None) as sm:
        return list(sm.source_list)


class TwainScanner(Device):
    """One TWAIN data source, opened by name ("twain:…")."""

    def __init__(self, name: str, *, timeout: float) -> None:
        super().__init__(DeviceInfo(name=name, kind="scanner", label=name.removeprefix("twain:")), label=LABEL,
                         timeout=timeout)

    def scan(self, settings: ScanSettings) -> Iterator[ScannedPage]:
        pages: queue.Queue[object] = queue.Queue()
        done = self._worker.submit(lambda: self._acquire(settings, pages), what="acquire")
        index = 0
        while True:
            try:
                item = pages.get(timeout=self.timeout)
            except queue.Empty:
                raise DeviceTimeout("扫描仪在{timeout:g}秒内没有送来下一页，请检查扫描仪后重试", timeout=self.timeout,
                                    log=f"{self.info.name}: no page within {self.timeout:g} s") from None
            if item is _DONE:
                break
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, np.ndarray)
            yield ScannedPage(pixels=item, dpi=float(settings.dpi), index=index)
            index += 1
        done.result(timeout=self.timeout)

    def _acquire(self, settings: ScanSettings, pages: queue.Queue[object]) -> None:
        product = self.info.label
        try:
            with twain.SourceManager(None) as sm:
                src = sm.open_source(product)
                if src is None:
                    raise DeviceMissing("未找到扫描仪“{product}”，请检查连接后点击重试", product=product,
                                        log=f"{self.info.name}: open_source returned None")
                with src:
                    feeder = settings.source != "flatbed"
                    src.set_capability(twain.CAP_FEEDERENABLED, twain.TWTY_BOOL, feeder)
                    if settings.source == "duplex":
                        src.set_capability(twain.CAP_DUPLEXENABLED, twain.TWTY_BOOL, True)
                    src.set_capability(twain.ICAP_PIXELTYPE, twain.TWTY_UINT16, _PIXEL_TYPES[settings.mode])
                    src.set_capability(twain.ICAP_XRESOLUTION, twain.TWTY_FIX32, float(settings.dpi))
                    src.set_capability(twain.ICAP_YRESOLUTION, twain.TWTY_FIX32, float(settings.dpi))

                    def after(image: object, _more: int) -> None:
                        out = io.BytesIO()
                        image.save(out)  # type: ignore[attr-defined]  # pytwain writes a BMP
                        with Image.open(io.BytesIO(out.getvalue())) as bmp:
                            pages.put(np.asarray(bmp.convert("RGB" if settings.mode == "color" else "L")).copy())

                    src.acquire_natively(after=after, show_ui=False)
        except twain.exceptions.PaperJam:
            pages.put(DeviceError("扫描仪卡纸，请打开进纸器取出卡住的纸张，再把未扫描的材料放回重新扫描",
                                  log=f"{self.info.name}: paper jam"))
        except twain.exceptions.PaperDoubleFeedError:
            pages.put(DeviceError("扫描仪一次进了两张纸，请取出后把未扫描的材料放回重新扫描",
                                  log=f"{self.info.name}: double feed"))
        except twain.exceptions.CheckDeviceOnlineError:
            pages.put(DeviceMissing("扫描仪未连接或未开机，请检查连接和电源后重试",
                                    log=f"{self.info.name}: device offline"))
        except twain.exceptions.DSTransferCancelled:
            pass
        except twain.exceptions.TwainError as exc:
            pages.put(DeviceError("扫描出错，请重试；如仍出错请重启扫描仪", log=f"{self.info.name}: {exc!r}"))
        except DeviceError as exc:
            pages.put(exc)
        finally:
            pages.put(_DONE)
