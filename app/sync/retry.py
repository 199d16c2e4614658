"""When to try a request again, and how long to wait first (pure policy, no I/O)."""

from __future__ import annotations

import datetime as dt
import email.utils
import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with full jitter, capped; Retry-After wins when the platform sends it."""

    attempts: int = 6
    base: float = 0.5
    cap: float = 30.0
    #: the longest Retry-After honoured within a run; a longer one ends the run ("busy until HH:MM")
    max_retry_after: float = 20.0

    def delay(self, failures: int, retry_after: float | None = None, rng: random.Random | None = None) -> float:
        """Seconds to wait after ``failures`` consecutive failures (1 = the first)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_retry_after)
        ceiling = min(self.cap, self.base * 2 ** (failures - 1))
        return (rng or random).uniform(0, ceiling)


def retryable_status(status: int) -> bool:
    """5xx, 408 (timeout) and 429 (too many requests) may succeed later; other 4xx will not."""
    return status >= 500 or status in (408, 429)


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max((when - (now or dt.datetime.now(dt.UTC))).total_seconds(), 0.0)
