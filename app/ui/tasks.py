"""The one way to run work off the GUI thread (modelled on Anki's ``QueryOp``).

``fn`` runs on a worker thread and never touches widgets; ``on_success`` / ``on_failure``
always run on the GUI thread, delivered by a queued signal. Without ``on_failure``, a
:class:`~app.core.errors.UserError` is shown to the clerk in a message box and anything
else is a bug: logged and handed to ``sys.excepthook`` (the crash handler in the app,
pytest-qt's exception capture in tests). A storage failure that got past the store (a full
disk under a download, a database locked under a read) arrives as the user error
:func:`app.store.faults.classify` makes of it, for ``on_failure`` too.

The workers are a :class:`~concurrent.futures.ThreadPoolExecutor`: its threads live as
long as the process, which suits the store (one read connection per thread).
"""

from __future__ import annotations

import concurrent.futures
import logging
import sys
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from app.core.errors import UserError
from app.store.faults import classify
from app.ui.messages import show_user_error
from app.ui.qt import QCoreApplication, QObject, QThread, Signal, isValid

log = logging.getLogger("ui.tasks")
T = TypeVar("T")
WORKERS = 3

_executor: concurrent.futures.ThreadPoolExecutor | None = None
_relay: _Relay | None = None
#: Tasks started and not yet called back: kept here so none is garbage-collected mid-flight.
_in_flight: dict[Task[Any], concurrent.futures.Future[None]] = {}


class _Relay(QObject):
    """Lives on the GUI thread: workers emit, :meth:`_deliver` runs there (queued)."""

    finished = Signal(object, bool, object)

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(self._deliver)

    def _deliver(self, task: Task[Any], ok: bool, value: Any) -> None:
        _in_flight.pop(task, None)
        task._deliver(ok, value)


class Task(Generic[T]):
    """One background call; :meth:`cancel` drops its callbacks (the work itself still finishes)."""

    def __init__(
        self, parent: QObject, fn: Callable[[], T], on_success: Callable[[T], None],
        on_failure: Callable[[BaseException], None] | None,
    ) -> None:
        self.name: str = getattr(fn, "__qualname__", repr(fn))
        self._parent = weakref.ref(parent)
        self._fn = fn
        self._on_success = on_success
        self._on_failure = on_failure
        self._cancelled = False
        self._done = False

    @property
    def done(self) -> bool:
        """True once the callbacks ran (or were dropped)."""
        return self._done

    def cancel(self) -> None:
        self._cancelled = True

    def _run(self, relay: _Relay) -> None:  # on a worker thread
        try:
            value = self._fn()
        except BaseException as exc:  # every failure travels to the GUI thread
            relay.finished.emit(self, False, _as_user_error(exc))
        else:
            relay.finished.emit(self, True, value)

    def _deliver(self, ok: bool, value: Any) -> None:  # on the GUI thread
        self._done = True
        parent = self._parent()
        if self._cancelled or parent is None or not isValid(parent):
            if not ok and not isinstance(value, UserError):
                # Nobody is left to tell, but a bug is still a bug: never swallowed silently.
                log.error("background task %s failed after it was dropped", self.name,
                          exc_info=(type(value), value, value.__traceback__))
            return
        if ok:
            self._on_success(value)
        elif self._on_failure is not None:
            self._on_failure(value)
        else:
            default_failure(parent, self.name, value)


def _as_user_error(exc: BaseException) -> BaseException:
    fault = classify(exc)
    if fault is None or fault is exc:
        return exc
    fault.__cause__ = exc
    return fault


def run_in_background(
    parent: QObject, fn: Callable[[], T], on_success: Callable[[T], None],
    on_failure: Callable[[BaseException], None] | None = None,
) -> Task[T]:
    """Run ``fn()`` on a worker thread; call back on the GUI thread unless ``parent`` is gone.

    Call it from the GUI thread. The returned task can be cancelled (e.g. a search that
    a newer one replaced).
    """
    global _executor, _relay
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        raise RuntimeError("run_in_background must be called on the GUI thread")
    if _relay is None:
        _relay = _Relay()
    if _executor is None:
        _executor = concurrent.futures.ThreadPoolExecutor(WORKERS, thread_name_prefix="ui-worker")
    task = Task(parent, fn, on_success, on_failure)
    _in_flight[task] = _executor.submit(task._run, _relay)
    return task


def default_failure(parent: QObject, name: str, exc: BaseException) -> None:
    """A user error → message box; anything else → log, then the crash handler."""
    if isinstance(exc, UserError):
        log.info("background task %s: user error: %s", name, exc.log)
        show_user_error(parent, exc.message)
        return
    log.error("background task %s failed", name)
    sys.excepthook(type(exc), exc, exc.__traceback__)


def wait_for_background(timeout: float | None = None) -> bool:
    """Wait until the started work has finished (e.g. before closing the store).

    Callbacks still pending stay queued on the GUI thread. False on timeout.
    """
    _, running = concurrent.futures.wait(list(_in_flight.values()), timeout=timeout)
    return not running


def tasks_in_flight() -> int:
    """How many tasks have not been called back yet."""
    return len(_in_flight)
