"""An emulated resident ID card reader on a pseudo-terminal, speaking the SAM serial protocol.

The reader under test opens the pty's slave by name (``emulator.port``) exactly as it opens
``/dev/ttyUSB0``; a thread answers on the master side. ``mode`` chooses the behaviour:

- ``"ok"``: answers find, select and read base information with the configured card;
- ``"no_card"``: find answers 0x80, select 0x81;
- ``"bad_checksum"``: answers as ``ok`` with the checksum byte flipped;
- ``"silent"``: reads the commands and never answers;
- ``"unplug"``: on the read command, sends half the answer and closes the master, as a
  pulled USB cable does.

The thread stops by itself: on :meth:`close`, after unplugging, or after ``lifetime`` seconds.
"""

from __future__ import annotations

import os
import select
import threading
import time
import tty
from typing import Literal

from app.devices.id_serial import PREAMBLE, FrameError, encode_frame, parse_frame

Mode = Literal["ok", "no_card", "bad_checksum", "silent", "unplug"]
FIND, SELECT, READ_BASE = b"\x20\x01", b"\x20\x02", b"\x30\x01"


class IdReaderEmulator:
    """A SAM-protocol reader on a pty; ``commands`` records each command (CMD+PARA) received."""

    def __init__(self, text: bytes, photo: bytes, mode: Mode = "ok", *, lifetime: float = 30.0) -> None:
        self.text, self.photo, self.mode = text, photo, mode
        self.commands: list[bytes] = []
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo or line editing before the reader configures the port
        self.port = os.ttyname(self._slave)
        self._open = True
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(time.monotonic() + lifetime,),
                                        name="id-reader-emulator", daemon=True)
        self._thread.start()

    def __enter__(self) -> IdReaderEmulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def unplugged(self) -> bool:
        return not self._open

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._close_fds()

    def _close_fds(self) -> None:
        # Only ever called once the thread no longer uses the descriptors (from the thread
        # itself, or after join), so a reused descriptor number is never touched.
        if self._open:
            self._open = False
            os.close(self._master)
            os.close(self._slave)

    def _run(self, until: float) -> None:
        pending = b""
        while not self._stop.is_set() and self._open and time.monotonic() < until:
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            try:
                pending += os.read(self._master, 4096)
            except OSError:  # the reader side went away entirely
                return
            pending = self._handle(pending)

    def _handle(self, pending: bytes) -> bytes:
        """Answer every whole command in ``pending``; what is left of it."""
        while True:
            start = pending.find(PREAMBLE)
            if start < 0 or len(pending) < start + 7:
                return pending
            end = start + 7 + int.from_bytes(pending[start + 5:start + 7], "big")
            if len(pending) < end:
                return pending
            frame, pending = pending[start:end], pending[end:]
            try:
                body = parse_frame(frame)
            except FrameError:
                self._send(b"\x00\x00\x10")  # what a real SAM says about a garbled command
                continue
            self.commands.append(body[:2])
            self._answer(body[:2])
            if not self._open:
                return b""

    def _answer(self, command: bytes) -> None:
        if self.mode == "silent":
            return
        if command == FIND:
            self._send(b"\x00\x00\x80" if self.mode == "no_card" else b"\x00\x00\x9f" + bytes(4))
        elif command == SELECT:
            self._send(b"\x00\x00\x81" if self.mode == "no_card" else b"\x00\x00\x90" + bytes(8))
        elif command == READ_BASE:
            lengths = len(self.text).to_bytes(2, "big") + len(self.photo).to_bytes(2, "big")
            frame = encode_frame(b"\x00\x00\x90" + lengths + self.text + self.photo)
            if self.mode == "unplug":
                self._write(frame[:len(frame) // 2])
                time.sleep(0.05)  # let the half arrive before the line goes dead
                self._close_fds()
                return
            self._send(b"\x00\x00\x90" + lengths + self.text + self.photo)
        else:
            self._send(b"\x00\x00\x21")

    def _send(self, body: bytes) -> None:
        frame = encode_frame(body)
        if self.mode == "bad_checksum":
            frame = frame[:-1] + bytes([frame[-1] ^ 0xFF])
        self._write(frame)

    def _write(self, data: bytes) -> None:
        while data:
            data = data[os.write(self._master, data):]
