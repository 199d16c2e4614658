"""What one sync run may spend: requests, seconds, and seconds spent waiting to retry.

A platform that never stops paging, drips its replies or asks us to wait again and again
must not keep a run going: the run ends when its budget is spent and the next one picks up
where it stopped (every step commits as it completes, uploads resume at their offset).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from app.core.errors import UserError


class BudgetSpent(UserError):
    """The run used its requests or its time; what is left waits for the next run."""


@dataclass
class RunBudget:
    """Counts a run's requests and time; see the module docstring."""

    requests: int = 300
    seconds: float = 50.0
    #: of ``seconds``, how long the run may sleep before retries (backoff, Retry-After)
    waiting: float = 25.0
    clock: Callable[[], float] = time.monotonic
    used: int = 0
    waited: float = 0.0
    started: float = field(default=-1.0)

    def __post_init__(self) -> None:
        if self.started < 0:
            self.started = self.clock()

    def remaining(self) -> float:
        return self.seconds - (self.clock() - self.started)

    def take_request(self) -> None:
        """Count one request, or end the run if none is left."""
        if self.used >= self.requests:
            raise self._spent(f"{self.requests} requests")
        if self.remaining() <= 0:
            raise self._spent(f"{self.seconds:.0f} s")
        self.used += 1

    def may_wait(self, seconds: float) -> bool:
        return self.waited + seconds <= self.waiting and seconds < self.remaining()

    def note_wait(self, seconds: float) -> None:
        self.waited += seconds

    def _spent(self, what: str) -> BudgetSpent:
        return BudgetSpent("本次同步已达到时间或请求次数上限，未完成的部分将在下次同步时继续；办件仍保存在本机",
                           log=f"sync run budget spent ({what}; {self.used} requests, {self.waited:.1f} s waited)")
