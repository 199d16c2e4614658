"""The one way to run work off the GUI thread (modelled on Anki's ``QueryOp``).

``fn`` runs on a worker thread and never touches widgets; ``on_success`` / ``on_failure``
always run on the GUI thread, delivered by a queued signal. Without ``on_failure``, a
:class:`~app.core.errors.UserError` is shown to the clerk in a message box and anything
else is a bug: logged and handed to ``sys.excepthook`` (the crash handler in the app,
pytest-qt's exception capture in tests). A storage failure that got past the store (a full
disk under a download, a database locked under a read) arrives as the user error
:func:`app.store.faults.classify` makes of it, for ``on_failure`` too.

Work runs in one of a few pools (:class:`Pool`), so a scanner stuck until its timeout or a
sync waiting on a slow link never delays a search or the next screen's data. Each pool is a
:class:`~concurrent.futures.ThreadPoolExecutor` whose threads live as long as the process,
which suits the store (one read connection per thread).

Long work reports progress through :func:`run_with_progress`: the worker calls ``report(value)``
as often as it likes; the GUI thread gets the newest value, never a backlog.

Which failures the clerk is told about and which are bugs is decided in one place,
:func:`on_user_error`: the view says how it shows a user error, and everything else goes to
the crash handler.
"""

from __future__ import annotations

import concurrent.futures
import enum
import logging
import sys
import threading
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from app.core.errors import UserError
from app.store.faults import classify
from app.ui.messages import show_user_error, user_message
from app.ui.qt import QCoreApplication, QObject, QThread, Signal, isValid

log = logging.getLogger("ui.tasks")
T = TypeVar("T")
#: What a worker calls to report progress (any value the success side understands).
Report = Callable[[Any], None]


class Pool(enum.Enum):
    """Where a task runs: kinds of work that must not wait for one another."""

    #: reading and writing cases, drafts, notices (the default)
    WORK = ("ui-worker", 3)
    #: searches typed by the clerk: short, many, superseded by the next keystroke
    SEARCH = ("ui-search", 1)
    #: calls into devices (each device also has its own thread with a timeout)
    DEVICE = ("ui-device", 2)
    #: sync runs and platform calls, which wait on the network
    SYNC = ("ui-sync", 1)
    #: the short look whether the platform answers, which must not wait behind a sync run
    LINK = ("ui-link", 1)

    def __init__(self, prefix: str, workers: int) -> None:
        self.prefix = prefix
        self.workers = workers


_executors: dict[Pool, concurrent.futures.ThreadPoolExecutor] = {}
_executors_lock = threading.Lock()
_relay: _Relay | None = None
#: Tasks started and not yet called back: kept here so none is garbage-collected mid-flight.
_in_flight: dict[Task[Any], concurrent.futures.Future[None]] = {}


class _Relay(QObject):
    """Lives on the GUI thread: workers emit, :meth:`_deliver` runs there (queued)."""

    finished = Signal(object, bool, object)
    progressed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(self._deliver)
        self.progressed.connect(self._progress)

    def _deliver(self, task: Task[Any], ok: bool, value: Any) -> None:
        _in_flight.pop(task, None)
        task._deliver(ok, value)

    def _progress(self, task: Task[Any]) -> None:
        task._deliver_progress()


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
        self._on_progress: Callable[[Any], None] | None = None
        self._relay: _Relay | None = None
        self._cancelled = False
        self._done = False
        self._progress_lock = threading.Lock()
        self._progress_value: Any = None
        self._progress_queued = False

    @property
    def done(self) -> bool:
        """True once the callbacks ran (or were dropped)."""
        return self._done

    def cancel(self) -> None:
        self._cancelled = True

    def _run(self, relay: _Relay) -> None:  # on a worker thread
        self._relay = relay
        try:
            value = self._fn()
        except BaseException as exc:  # every failure travels to the GUI thread
            relay.finished.emit(self, False, _as_user_error(exc))
        else:
            relay.finished.emit(self, True, value)

    def report(self, value: Any) -> None:  # on the worker thread
        """Progress: the GUI thread gets the newest value; earlier undelivered ones are dropped."""
        with self._progress_lock:
            self._progress_value = value
            if self._progress_queued:
                return
            self._progress_queued = True
        assert self._relay is not None  # set by _run before fn starts
        self._relay.progressed.emit(self)

    def _deliver_progress(self) -> None:  # on the GUI thread
        with self._progress_lock:
            value, self._progress_queued = self._progress_value, False
        parent = self._parent()
        if self._done or self._cancelled or parent is None or not isValid(parent):
            return
        if self._on_progress is not None:
            self._on_progress(value)

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
    on_failure: Callable[[BaseException], None] | None = None, *, pool: Pool = Pool.WORK,
) -> Task[T]:
    """Run ``fn()`` in ``pool``; call back on the GUI thread unless ``parent`` is gone.

    Call it from the GUI thread. The returned task can be cancelled (e.g. a search that
    a newer one replaced).
    """
    task = Task(parent, fn, on_success, on_failure)
    return _start(task, pool)


def run_with_progress(
    parent: QObject, fn: Callable[[Report], T], on_success: Callable[[T], None],
    on_progress: Callable[[Any], None], on_failure: Callable[[BaseException], None] | None = None, *,
    pool: Pool = Pool.WORK,
) -> Task[T]:
    """Like :func:`run_in_background`; ``fn(report)`` may call ``report(value)`` from its thread,
    and ``on_progress(value)`` runs on the GUI thread with the newest value (before success)."""
    holder: list[Task[T]] = []
    task = Task(parent, lambda: fn(holder[0].report), on_success, on_failure)
    holder.append(task)
    task._on_progress = on_progress
    return _start(task, pool)


def _start(task: Task[T], pool: Pool) -> Task[T]:
    global _relay
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        raise RuntimeError("background work must be started on the GUI thread")
    if _relay is None:
        _relay = _Relay()
    with _executors_lock:
        executor = _executors.get(pool)
        if executor is None:
            executor = _executors[pool] = concurrent.futures.ThreadPoolExecutor(
                pool.workers, thread_name_prefix=pool.prefix)
    _in_flight[task] = executor.submit(task._run, _relay)
    return task


def on_user_error(
    parent: QObject, name: str, show: Callable[[UserError], None], cleanup: Callable[[], None] | None = None,
) -> Callable[[BaseException], None]:
    """A failure callback: a user error goes to ``show`` (e.g. a message beside the field);
    anything else is a bug, so ``cleanup`` puts the view back to idle and the crash handler
    takes it. The one place that tells the two kinds apart."""

    def failed(exc: BaseException) -> None:
        if isinstance(exc, UserError):
            log.info("%s: user error: %s", name, exc.log)
            show(exc)
            return
        if cleanup is not None:
            cleanup()
        default_failure(parent, name, exc)

    return failed


def default_failure(parent: QObject, name: str, exc: BaseException) -> None:
    """A user error → message box; anything else → log, then the crash handler."""
    if isinstance(exc, UserError):
        log.info("background task %s: user error: %s", name, exc.log)
        show_user_error(parent, user_message(exc))
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
