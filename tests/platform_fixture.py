"""pytest fixtures: a running city platform (SQLite-backed) per test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.platform import PlatformProcess


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlatformProcess]:
    with PlatformProcess(Path(tmp_path_factory.mktemp("platform"))) as p:
        yield p
