"""AB posts from the window: the B post takes a case while the A post is marked away, and not before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main as cli_main
from app.services.context import init_data_dir
from tests.support import cases, folders
from tests.support.platform import PASSWORD, TOWNSHIP, PlatformProcess, user_of

pytestmark = pytest.mark.slow


def test_the_b_post_acts_only_while_the_a_post_is_away(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       person_file: Path, pages: dict[str, Path],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "township"
    a_post, b_post = user_of(TOWNSHIP, "clerk"), user_of(TOWNSHIP, "clerk2")

    def run(*argv: str, ok: bool = True) -> dict:  # type: ignore[type-arg]
        code = cli_main(["--data", str(folder), "--json", *argv])
        captured = capsys.readouterr()
        assert (code == 0) is ok, captured.err
        return json.loads(captured.out) if ok else {"err": captured.err}

    def as_person(user: str) -> None:
        monkeypatch.setenv("CHUANGKOU_USER", user)

    monkeypatch.setenv("CHUANGKOU_PASSWORD", PASSWORD)
    with PlatformProcess(tmp_path / "platform") as platform:
        init_data_dir(folder, TOWNSHIP, platform.url)
        folders.cheap(folder)
        for user in (b_post, a_post):  # both clerks of the window have signed in here once
            run("login", "--user", user)
        as_person(a_post)
        first = run("case", "new", "--item", cases.ITEM, "--applicant", str(person_file),
                    *cases.material_args(pages["text"]))
        second = run("case", "new", "--item", cases.ITEM, "--applicant", str(person_file),
                     *cases.material_args(pages["photo"]))
        assert run("sync", "--once")["pending"] == 0

        as_person(b_post)  # the A post is at the window: the B post's step is refused at the platform
        run("case", "accept", first["case_no"])
        refused = run("sync", "--once")["refused"]
        assert len(refused) == 1 and "B岗" in refused[0]["reason"]

        as_person(a_post)
        assert run("away") == {"user": a_post, "away": True}
        as_person(b_post)
        run("case", "accept", second["case_no"])
        report = run("sync", "--once")
        assert (report["pushed"], report["refused"]) == (1, [])
        shown = run("case", "show", second["case_no"])
        assert (shown["actions"][-1]["actor"], shown["actions"][-1]["post"]) == (b_post, "B")

        as_person(a_post)
        assert run("away", "--back") == {"user": a_post, "away": False}
        as_person(b_post)  # only the unit's admin marks somebody else
        assert "单位管理员" in run("away", "--user", a_post, ok=False)["err"]
