"""Qt's print support, imported in one place like the rest of the binding (:mod:`app.ui.qt`).

Kept apart from :mod:`app.ui.qt` because only printing needs QtPrintSupport (and its CUPS plugin).
"""

from __future__ import annotations

from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo, QPrintPreviewDialog, QPrintPreviewWidget

__all__ = ["QPageLayout", "QPageSize", "QPrintDialog", "QPrintPreviewDialog", "QPrintPreviewWidget", "QPrinter",
           "QPrinterInfo"]
