"""``python -m app`` in processes forked from one that imported the program once, for the crash tests.

A crash test starts the command line dozens of times only to kill it part-way; each start would spend
more than a second importing OpenCV, the PDF tools and the rest. A ``forkserver`` imports this module
(and with it the program) once and forks every run from there: a run is then a real process of its
own, whose SIGKILL leaves the data folder exactly as a killed ``python -m app`` would.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.context import ForkServerContext

import keyring
from keyring.backends import fail

import app.cli
import app.services.amend
import app.services.intake
import app.services.sync_run
from app.store import kill_points

_context: ForkServerContext | None = None


def _forkserver() -> ForkServerContext:
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload([__name__])
    return _context


def _run(argv: list[str], spec: str, env: dict[str, str]) -> None:
    os.environ.update(env)
    keyring.set_keyring(fail.Keyring())  # as on a PC without one: the password comes from the environment
    kill_points.arm(spec)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os._exit(app.cli.main(argv))


def run(argv: list[str], *, kill_at: str, env: dict[str, str], timeout: float = 120) -> int | None:
    """Run the command line with ``argv``, aimed to die at ``kill_at``; its exit code (-9 when killed there)."""
    process = _forkserver().Process(target=_run, args=(argv, kill_at, env))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        process.join(10)
        raise TimeoutError(f"{argv} still running after {timeout} s")
    return process.exitcode
