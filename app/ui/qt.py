"""The one module that imports the Qt binding (as qutebrowser's ``qt/`` and Anki's ``aqt/qt``).

Every other module of ``app.ui`` imports Qt names from here, so a binding change or a
compatibility shim is a one-file edit. Only APIs present in PySide6 6.9 are used: 6.9.x is
the newest release that runs on UOS 20 / Kylin V10 (glibc 2.28).
"""

from __future__ import annotations

from pathlib import Path

import PySide6
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QStandardPaths,
    Qt,
    QThread,
    QTimer,
    QTranslator,
    Signal,
    qVersion,
)
from PySide6.QtGui import (
    QBrush,
    QCloseEvent,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QImage,
    QInputMethodEvent,
    QKeySequence,
    QPainter,
    QPixmap,
    QShortcut,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStatusBar,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

#: The binding's folder (its bundled tools such as ``lrelease`` live there).
BINDING_DIR = Path(PySide6.__file__).resolve().parent
BINDING_VERSION: str = PySide6.__version__

__all__ = [
    "BINDING_DIR",
    "BINDING_VERSION",
    "QT_TRANSLATE_NOOP",
    "QAbstractItemView",
    "QAbstractTableModel",
    "QApplication",
    "QBrush",
    "QCloseEvent",
    "QColor",
    "QComboBox",
    "QCoreApplication",
    "QDialog",
    "QDialogButtonBox",
    "QEvent",
    "QFont",
    "QFontDatabase",
    "QFontMetrics",
    "QFormLayout",
    "QGuiApplication",
    "QHBoxLayout",
    "QHeaderView",
    "QIcon",
    "QImage",
    "QInputMethodEvent",
    "QKeySequence",
    "QLabel",
    "QLibraryInfo",
    "QLineEdit",
    "QLocale",
    "QMainWindow",
    "QMessageBox",
    "QModelIndex",
    "QObject",
    "QPainter",
    "QPersistentModelIndex",
    "QPixmap",
    "QPlainTextEdit",
    "QPushButton",
    "QShortcut",
    "QSize",
    "QStandardPaths",
    "QStatusBar",
    "QTableView",
    "QTableWidget",
    "QTableWidgetItem",
    "QTextLayout",
    "QThread",
    "QTimer",
    "QTranslator",
    "QVBoxLayout",
    "QWidget",
    "Qt",
    "Signal",
    "isValid",
    "qVersion",
]
