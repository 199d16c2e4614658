"""Builds ``sdt_stub.c`` into a shared library and drives it from the tests.

The stub stands in for a vendor's SDT library: :class:`SdtStub` compiles it with
``gcc -shared -fPIC`` into a test's temporary folder, then sets its card and fault mode
through the setter functions it exports (the backend under test loads the same file).
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

SOURCE = Path(__file__).with_name("sdt_stub.c")
OK, NO_CARD, READ_FAILS, HANG, NO_PORT = range(5)


def build(folder: Path) -> Path | None:
    """The compiled stub in ``folder``, or None when there is no C compiler here."""
    gcc = shutil.which("gcc")
    if gcc is None:
        return None
    target = folder / "libsdtstub.so"
    subprocess.run([gcc, "-shared", "-fPIC", "-O2", "-Wall", "-Werror", "-o", str(target), str(SOURCE)],
                   check=True, capture_output=True, timeout=60)
    return target


class SdtStub:
    """The control side of the stub library at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lib = ctypes.CDLL(str(path))
        self._lib.stub_set_card.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        self._lib.stub_set_mode.argtypes = [ctypes.c_int, ctypes.c_int]

    def set_card(self, text: bytes, photo: bytes) -> None:
        self._lib.stub_set_card(text, len(text), photo, len(photo))

    def set_mode(self, mode: int, hang_ms: int = 0) -> None:
        self._lib.stub_set_mode(mode, hang_ms)

    def finds(self) -> int:
        return int(self._lib.stub_finds())
