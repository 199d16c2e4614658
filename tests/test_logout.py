"""Signing out ends the sign-in on the platform, not only on this PC."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from app.cli import main as cli_main
from app.services import sync_run
from app.services.context import init_data_dir
from tests.support import folders
from tests.support.platform import TOWNSHIP, USERS, PlatformProcess

pytestmark = pytest.mark.slow


def test_logout_ends_the_token_on_the_platform_and_forgets_it_here(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with PlatformProcess(tmp_path / "platform") as platform:
        folder = tmp_path / "township"
        init_data_dir(folder, TOWNSHIP, platform.url)
        ctx = folders.online(folder, USERS[TOWNSHIP])
        try:
            kept = sync_run.token_store(ctx).load()
        finally:
            ctx.close()
        assert kept is not None
        me = httpx.get(f"{platform.url}/api/v1/me", headers={"Authorization": f"Bearer {kept.access}"}, timeout=10)
        assert me.status_code == 200
        assert cli_main(["--data", str(folder), "logout"]) == 0
        assert "已退出" in capsys.readouterr().out
        after = httpx.get(f"{platform.url}/api/v1/me", headers={"Authorization": f"Bearer {kept.access}"}, timeout=10)
        assert after.status_code == 401
        refreshed = httpx.post(f"{platform.url}/api/v1/auth/refresh", json={"refresh_token": kept.refresh}, timeout=10)
        assert refreshed.status_code == 401
        ctx = folders.open_signed_in(folder)
        try:
            assert sync_run.token_store(ctx).load() is None
        finally:
            ctx.close()
        assert cli_main(["--data", str(folder), "--json", "logout"]) == 0
        assert json.loads(capsys.readouterr().out)["platform_tokens"] is False  # nothing left to end
