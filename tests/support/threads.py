"""Which device threads are running: the tests' check that a device never gets a second one."""

from __future__ import annotations

import threading


def device_threads(name: str = "") -> list[str]:
    """The names of the live device threads ("device:<name>"), of ``name`` only when given."""
    prefix = f"device:{name}"
    return sorted(t.name for t in threading.enumerate() if t.name.startswith(prefix) and t.is_alive())
