"""A private ``pcscd`` with vsmartcard's vpcd driver (a virtual reader), for the smart-card tests.

pcsc-lite 1.9.9's daemon always puts its socket in ``/run/pcscd`` (``PCSCLITE_CSOCK_NAME`` is
read by the client library only), vpcd listens on all interfaces, and pcscd would claim any
real USB reader attached. So the test daemon runs in its own mount and network namespaces
(``unshare``, which needs root; CI runs as root): there ``/run`` is a folder of the test's,
the USB driver folder is empty, and vpcd's port exists only on the namespace's loopback. The
tests reach the daemon's socket through ``PCSCLITE_CSOCK_NAME`` and the virtual reader's port
through a socket made inside the namespace (``setns`` on one short-lived thread).

libpcsclite reads ``PCSCLITE_CSOCK_NAME`` once per process, so the socket's folder is one per
test session (:func:`socket_dir`); each test gets a daemon of its own in it. The daemon is
started with ``--auto-exit`` as well, so one the fixture could not stop ends by itself.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from smartcard import scard

SYSTEM_VPCD_CONF = Path("/etc/reader.conf.d/vpcd")
DEFAULT_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
FRIENDLY_NAME = "Chuangkou Test PCD"
READER = f"{FRIENDLY_NAME} 00 00"  # vpcd adds a second slot, "… 00 01", on the next port
PORT = 35963
START_TIMEOUT_S = 10.0
_CLONE_NEWNET = 0x40000000

# The namespace's first process: /run and the USB drivers replaced, loopback up, then pcscd.
_LAUNCHER = r"""
import fcntl, os, socket, struct, subprocess, sys
run, empty, dropdir, *pcscd = sys.argv[1:]
subprocess.run(["mount", "--bind", run, "/run"], check=True)
if os.path.isdir(dropdir):
    subprocess.run(["mount", "--bind", empty, dropdir], check=True)
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    ifreq = struct.pack("16sH14x", b"lo", 0)
    flags = struct.unpack("16sH14x", fcntl.ioctl(s, 0x8913, ifreq))[1]  # SIOCGIFFLAGS
    fcntl.ioctl(s, 0x8914, struct.pack("16sH14x", b"lo", flags | 1))  # SIOCSIFFLAGS: IFF_UP
os.execvp(pcscd[0], pcscd)
"""


def vpcd_driver() -> Path:
    """The vpcd driver the system's reader.conf names, else Debian's path."""
    if SYSTEM_VPCD_CONF.is_file():
        match = re.search(r"^\s*LIBPATH\s+(\S+)", SYSTEM_VPCD_CONF.read_text(encoding="utf-8"), re.M)
        if match:
            return Path(match.group(1))
    return DEFAULT_DRIVER


def unavailable() -> str | None:
    """Why a private pcscd with vpcd cannot run here, or None when it can."""
    if not sys.platform.startswith("linux"):
        return "pcscd and vpcd are Linux-only here"
    if shutil.which("pcscd") is None:
        return "pcscd not found: install pcscd (bash tools/sysdeps.sh)"
    if not vpcd_driver().is_file():
        return f"vpcd driver {vpcd_driver()} not found: install vsmartcard-vpcd (bash tools/sysdeps.sh)"
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return "unshare/mount (util-linux) not found"
    if os.geteuid() != 0:
        return "needs root: the test pcscd runs in private mount and network namespaces"
    return None


def _usb_drop_dir() -> str:
    """Where this pcscd looks for USB reader drivers (``pcscd --version`` says it)."""
    out = subprocess.run(["pcscd", "--version"], capture_output=True, text=True, timeout=10).stdout
    match = re.search(r"usbdropdir=(\S+)", out)
    return match.group(1) if match else "/usr/lib/pcsc/drivers"


_session_dir: list[Path] = []
_session_lock = threading.Lock()


def socket_dir() -> Path:
    """This process's folder for the test daemons' /run; sets ``PCSCLITE_CSOCK_NAME`` once."""
    with _session_lock:
        if not _session_dir:
            root = Path(tempfile.mkdtemp(prefix="ck-pcscd-"))  # short: a socket path has 107 bytes
            atexit.register(shutil.rmtree, root, ignore_errors=True)
            os.environ["PCSCLITE_CSOCK_NAME"] = str(root / "run" / "pcscd" / "pcscd.comm")
            _session_dir.append(root)
        return _session_dir[0]


class NamespacesUnavailable(RuntimeError):
    """``unshare`` was refused (a container without CAP_SYS_ADMIN)."""


class Pcscd:
    """One private pcscd whose only reader is vpcd's :data:`READER`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.socket = root / "run" / "pcscd" / "pcscd.comm"
        self.log = root / "pcscd.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        conf, empty, run = self.root / "reader.conf.d", self.root / "empty", self.root / "run"
        for folder in (conf, empty, run):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
        driver = self.root / "libifdvpcd.so"  # a copy: the driver folder is hidden in the namespace
        shutil.copyfile(vpcd_driver(), driver)
        (conf / "vpcd").write_text(f'FRIENDLYNAME "{FRIENDLY_NAME}"\nDEVICENAME /dev/null:0x{PORT:04X}\n'
                                   f"LIBPATH {driver}\nCHANNELID 0x{PORT:04X}\n", encoding="ascii")
        command = ["unshare", "--mount", "--net", "--propagation", "private", sys.executable, "-c", _LAUNCHER,
                   str(run), str(empty), _usb_drop_dir(), "pcscd", "--foreground", "--auto-exit", "--config",
                   str(conf)]
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._ready():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                output = self.log.read_text(errors="replace")[-2000:]
                if "unshare failed" in output:  # root in a container that forbids namespaces
                    raise NamespacesUnavailable(output.strip())
                raise RuntimeError(f"pcscd did not start: {output}")
            time.sleep(0.05)

    def _ready(self) -> bool:
        """The socket is there and the reader listed (vpcd listens before pcscd lists it)."""
        if not self.socket.exists():
            return False
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            return False
        try:
            hresult, readers = scard.SCardListReaders(context, [])
            return hresult == scard.SCARD_S_SUCCESS and READER in readers
        finally:
            scard.SCardReleaseContext(context)

    def connect_card(self, timeout: float = 5.0) -> socket.socket:
        """A TCP socket connected to vpcd's port inside the daemon's network namespace."""
        if self.proc is None:
            raise RuntimeError("pcscd is not running")
        made: list[socket.socket | OSError] = []
        pid = self.proc.pid

        def make() -> None:  # setns changes only this thread's namespace, and the thread then ends
            try:
                libc = ctypes.CDLL(None, use_errno=True)
                fd = os.open(f"/proc/{pid}/ns/net", os.O_RDONLY)
                try:
                    if libc.setns(fd, _CLONE_NEWNET) != 0:
                        raise OSError(ctypes.get_errno(), "setns into pcscd's network namespace failed")
                finally:
                    os.close(fd)
                made.append(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            except OSError as exc:
                made.append(exc)

        thread = threading.Thread(target=make, name="netns")
        thread.start()
        thread.join()
        if isinstance(made[0], OSError):
            raise made[0]
        sock = made[0]
        sock.settimeout(timeout)
        try:
            sock.connect(("127.0.0.1", PORT))
        except OSError:
            sock.close()
            raise
        return sock

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5.0)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5.0)
        self.proc = None


@pytest.fixture(scope="session")
def pcscd_root() -> Iterator[Path]:
    """The session's folder for the test daemons, removed at the end of the session."""
    root = socket_dir()
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pcscd(pcscd_root: Path) -> Iterator[Pcscd]:
    """A running private pcscd with vpcd's reader, stopped after the test."""
    reason = unavailable()
    if reason:
        pytest.skip(f"private pcscd with vpcd unavailable: {reason}")
    daemon = Pcscd(pcscd_root)
    try:
        daemon.start()
    except NamespacesUnavailable as exc:
        pytest.skip(f"private pcscd unavailable: cannot create its namespaces ({exc})")
    try:
        yield daemon
    finally:
        daemon.stop()
