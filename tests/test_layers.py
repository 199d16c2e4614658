"""Imports go down only (DESIGN §2): ui, cli → services → middle packages → store → core."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"
MIDDLE = {"sync", "documents", "imaging", "devices", "archive"}
ALLOWED = {
    "core": {"core"},
    "store": {"store", "core"},
    **{m: {m, "store", "core"} for m in MIDDLE},
    "services": {"services", "store", "core", "logs", *MIDDLE},
    "cli": {"cli", "cli_devices", "cli_catalog", "cli_documents", "cli_evaluation", "cli_notices", "cli_seal",
            "cli_supervision",
            "services", "store", "core", "logs"},
    "cli_devices": {"services", "store", "core"},
    "cli_catalog": {"services", "store", "core"},
    "cli_evaluation": {"services", "store", "core"},
    "cli_notices": {"services", "core"},
    "cli_documents": {"services", "core"},
    "cli_seal": {"services"},
    "cli_supervision": {"services", "core"},
    "ui": {"ui", "services", "store", "core", "logs"},
}
QT_WIDGET_MODULES = ("PySide6.QtWidgets",)


def _layer(path: Path) -> str:
    return path.relative_to(APP).parts[0].removesuffix(".py")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


FILES = [p for p in APP.rglob("*.py") if _layer(p) in ALLOWED]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(APP)))
def test_imports_go_down_only(path: Path) -> None:
    layer = _layer(path)
    for name in _imports(path):
        if name.startswith("app."):
            assert name.split(".")[1] in ALLOWED[layer], f"{path.relative_to(APP)} imports {name}"
        if layer == "core":  # the domain is pure Python: no Qt, no third-party I/O libraries
            assert name.split(".")[0] not in {"PySide6", "sqlite3", "sqlite_utils", "PIL", "requests"}, name
        if layer != "ui":
            assert not name.startswith(QT_WIDGET_MODULES), f"{path.relative_to(APP)} imports {name}"
