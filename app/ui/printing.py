"""Printing notices: a preview, or straight to the unit's printer (``print.mode``, ``print.printer``), on A4.

A notice is a PDF; Qt prints pictures. Each page is rasterised with PDFium (pypdfium2, whose wheels
carry the library on Windows and Linux alike; QtPdf is not in PySide6-Essentials) at the printer's
resolution, capped at 300 dpi, and drawn onto the whole A4 sheet, margins included: the notice's own
margins are in the PDF.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pypdfium2 as pdfium

from app.core.errors import N_, UserError
from app.core.settings import Settings
from app.services import notices
from app.services.context import AppContext
from app.services.notice_records import NoticeRecord
from app.ui.qt import QCoreApplication, QImage, QPainter, QRectF, QWidget
from app.ui.qt_print import QPageLayout, QPageSize, QPrinter, QPrinterInfo, QPrintPreviewDialog
from app.ui.tasks import default_failure, run_in_background

log = logging.getLogger("ui.printing")

# Enough for 10-point Chinese and a QR code; more only makes the spool file bigger
MAX_DPI = 300
NO_PRINTER = N_("未找到打印机“{name}”，请在设置中检查打印机名称（print.printer），或留空使用系统默认打印机")
NO_DEFAULT = N_("本机没有可用的打印机，请先安装打印机，或在打印预览中另存为 PDF")


def pages_as_images(pdf: bytes, dpi: int) -> Iterator[QImage]:
    """Each page of ``pdf`` as an image at ``dpi`` (one page in memory at a time)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(doc)):
            page = doc[index]
            try:
                bitmap = page.render(scale=dpi / 72, grayscale=False)
                pil = bitmap.to_pil().convert("RGB")
            finally:
                page.close()
            data = pil.tobytes("raw", "RGB")
            image = QImage(data, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888)
            yield image.copy()  # own the pixels: ``data`` goes away with this iteration
    finally:
        doc.close()


def setup_a4(printer: QPrinter, title: str) -> None:
    """A4 portrait, no margins of Qt's own, the notice's title as the job's name."""
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    printer.setDocName(title)


def paint(printer: QPrinter, pdf: bytes) -> None:
    """Draw every page of ``pdf`` on ``printer``, one sheet each."""
    dpi = min(MAX_DPI, printer.resolution())
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("打印机无法开始打印，请检查打印机是否连接、是否缺纸",
                        log="QPainter.begin on the printer failed")
    try:
        for n, image in enumerate(pages_as_images(pdf, dpi)):
            if n and not printer.newPage():
                raise UserError("打印机无法换页，请检查打印机", log="QPrinter.newPage failed")
            sheet = printer.pageLayout().fullRectPixels(printer.resolution())
            painter.drawImage(QRectF(sheet), image)
    finally:
        painter.end()


def printer_for(settings: Settings) -> QPrinter:
    """The unit's printer (``print.printer``, or the system's default), set up for A4."""
    name = str(settings.get("print.printer")).strip()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if name:
        if name not in QPrinterInfo.availablePrinterNames():
            raise UserError(NO_PRINTER.format(name=name), log=f"printer {name!r} not installed")
        printer.setPrinterName(name)
    elif QPrinterInfo.defaultPrinter().isNull():
        raise UserError(NO_DEFAULT, log="no default printer")
    return printer


def print_silently(settings: Settings, pdf: bytes, title: str, printer: QPrinter | None = None) -> None:
    """Send ``pdf`` to the printer without a dialog (``printer`` for tests: Qt's PDF output)."""
    target = printer or printer_for(settings)
    setup_a4(target, title)
    paint(target, pdf)
    log.info("printed %s on %s", title, target.printerName() or target.outputFileName())


def preview(parent: QWidget | None, pdf: bytes, title: str, printer: QPrinter | None = None) -> QPrintPreviewDialog:
    """A print preview of ``pdf`` (not yet shown); printing from it paints the same pages."""
    target = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
    setup_a4(target, title)
    dialog = QPrintPreviewDialog(target, parent)
    dialog.setWindowTitle(QCoreApplication.translate("printing", "打印预览 - {title}").format(title=title))
    dialog.paintRequested.connect(lambda p: paint(p, pdf))
    return dialog


def print_notice(parent: QWidget, ctx: AppContext, notice: NoticeRecord,
                 on_done: Callable[[], None] | None = None, *, printer: QPrinter | None = None,
                 on_failure: Callable[[BaseException], None] | None = None) -> None:
    """Print a stored notice the unit's way (``print.mode``): read it and record the print in the
    background, then preview it or send it to the printer on the GUI thread (``printer``: for tests)."""
    silent = ctx.settings.get("print.mode") == "silent"
    where = "printer:" + (str(ctx.settings.get("print.printer")) or "default") if silent else "preview"

    def fetch() -> bytes:
        notices.printed(ctx, notice, where)
        return notices.pdf_of(ctx, notice)

    def show(pdf: bytes) -> None:
        title = notice.kind.value
        try:
            if silent:
                print_silently(ctx.settings, pdf, title, printer)
            else:
                preview(parent, pdf, title, printer).exec()
        except UserError as e:
            failed(e)
            return
        if on_done is not None:
            on_done()

    def failed(exc: BaseException) -> None:
        if on_failure is not None:
            on_failure(exc)
        else:
            default_failure(parent, "print notice", exc)

    run_in_background(parent, fetch, show, failed)
