"""Update the translation source: the window's strings, and every user-facing error message.

The window's strings are found by ``pyside6-lupdate`` in ``app/ui``. Error messages live in
Qt-free code (``app/core`` … ``app/services``), so this collects them itself: the first
argument of every ``UserError`` call (and of its subclasses, found by walking the class
hierarchy), and the argument of every ``Message(...)`` and ``N_(...)``, when it is a string
literal (or a conditional between literals). They go into ``chuangkou_en.ts`` under the
context ``errors``: lupdate is run on ``app/ui`` plus a generated file that names each of them
with ``QT_TRANSLATE_NOOP("errors", ...)``, so it keeps their translations and marks new ones
unfinished like any other string. Run from the repository root, then translate what is
``type="unfinished"``:

    .venv/bin/python tools/extract_errors.py

``--check`` only lists messages built in a way that cannot be translated (an f-string or a
concatenation as the message: write a template with fields instead) and exits 1 if any.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"
TS = ROOT / "resources" / "translations" / "chuangkou_en.ts"
CONTEXT = "errors"
#: calls whose first argument is a message template wherever they appear
MARKERS = {"N_", "Message"}


@dataclass(frozen=True, slots=True)
class Found:
    """What the walk found: the templates (with where each is), and messages it cannot translate."""

    templates: dict[str, list[str]]
    unmarked: list[str]


def _parsed(root: Path) -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in sorted(root.rglob("*.py"))}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _first_parameter(cls: ast.ClassDef) -> str | None:
    """The name of the first argument of the class's own ``__init__`` (None: it has none)."""
    for item in cls.body:
        if isinstance(item, ast.FunctionDef) and item.name == "__init__":
            params = [*item.args.posonlyargs, *item.args.args][1:]
            return params[0].arg if params else ""
    return None


def error_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """``UserError`` and every class derived from it (by name, across the package) whose first
    argument is the message (not those that make their own message, e.g. from an English detail)."""
    first = {"UserError": "message"}
    grew = True
    while grew:
        grew = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in first:
                    parent = next((_name(b) for b in node.bases if _name(b) in first), None)
                    if parent is not None:
                        own = _first_parameter(node)
                        first[node.name] = first[parent] if own is None else own
                        grew = True
    return {name for name, param in first.items() if param == "message"}


def _is_super_init(call: ast.Call) -> bool:
    f = call.func
    return isinstance(f, ast.Attribute) and f.attr == "__init__" and isinstance(f.value, ast.Call) \
        and _name(f.value.func) == "super"


def _all(trees: dict[Path, ast.Module]) -> set[str]:
    """Every class in the ``UserError`` family, whatever its first argument."""
    names = {"UserError"}
    grew = True
    while grew:
        grew = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names \
                        and any(_name(b) in names for b in node.bases):
                    names.add(node.name)
                    grew = True
    return names


def _literals(node: ast.expr) -> Iterator[str] | None:
    """The template(s) of a message argument; None when it is not literal (a variable, a call)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return iter([node.value])
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return iter([*(body or ()), *(orelse or ())])
    if isinstance(node, ast.Call) and _name(node.func) in MARKERS:
        return iter(())  # collected where the marker itself is visited
    return None


def _unmarked(node: ast.expr) -> bool:
    """An f-string, or a concatenation with text in it: finished Chinese that cannot be translated."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return any(isinstance(n, ast.JoinedStr | ast.Constant) or _unmarked(n)
                   for n in (node.left, node.right) if isinstance(n, ast.expr))
    if isinstance(node, ast.IfExp):
        return _unmarked(node.body) or _unmarked(node.orelse)
    return False


def collect(root: Path = APP) -> Found:
    """Every error template under ``root`` (``app/`` by default)."""
    trees = _parsed(root)
    classes, family = error_classes(trees), _all(trees)
    templates: dict[str, list[str]] = {}
    unmarked: list[str] = []
    for path, tree in trees.items():
        where = path.relative_to(root.parent).as_posix()
        # an error class that makes its own message passes it to ``super().__init__``
        own = {id(call) for cls in ast.walk(tree) if isinstance(cls, ast.ClassDef) and cls.name in family
               for call in ast.walk(cls) if isinstance(call, ast.Call) and _is_super_init(call)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = _name(node.func)
            if name not in classes and name not in MARKERS and id(node) not in own:
                continue
            first = node.args[0]
            found = _literals(first)
            if found is not None:
                for text in found:
                    if text:
                        templates.setdefault(text, []).append(f"{where}:{node.lineno}")
            elif _unmarked(first):
                unmarked.append(f"{where}:{node.lineno}: {name}({ast.unparse(first)[:60]}…")
    return Found(templates, unmarked)


def noop_source(templates: list[str]) -> str:
    """A Python file that lupdate reads: each template once, in context ``errors``."""
    lines = ["# Generated by tools/extract_errors.py for lupdate; not part of the program.",
             "from PySide6.QtCore import QT_TRANSLATE_NOOP", ""]
    lines += [f"QT_TRANSLATE_NOOP({CONTEXT!r}, {t!r})" for t in templates]
    return "\n".join(lines) + "\n"


def lupdate_program() -> str:
    here = Path(sys.executable).parent
    for candidate in (here / "pyside6-lupdate", here / "pyside6-lupdate.exe"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("pyside6-lupdate") or shutil.which("lupdate")
    if found is None:
        raise SystemExit("pyside6-lupdate not found (it ships with PySide6)")
    return found


def update(ts: Path = TS) -> Found:
    """Run lupdate on ``app/ui`` and the error templates into ``ts``."""
    found = collect()
    sources = sorted(str(p) for p in (APP / "ui").glob("*.py"))
    with tempfile.TemporaryDirectory() as tmp:
        extra = Path(tmp) / "error_messages.py"
        extra.write_text(noop_source(sorted(found.templates)), encoding="utf-8")
        subprocess.run([lupdate_program(), *sources, str(extra), "-locations", "none", "-no-obsolete",
                        "-ts", str(ts)], check=True, timeout=300)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only list untranslatable messages")
    args = parser.parse_args(argv)
    found = collect() if args.check else update()
    for line in found.unmarked:
        print(f"not translatable (use a template with fields): {line}", file=sys.stderr)
    print(f"{len(found.templates)} error messages")
    return 1 if found.unmarked else 0


if __name__ == "__main__":
    sys.exit(main())
