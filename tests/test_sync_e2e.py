"""End to end, offline first: township → platform → county → opinion back to the township.

The platform is a real process on 127.0.0.1; the windows are the real command line, in
process, each with its own data folder; tokens sit in the (in-memory) keyring.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main as cli_main
from app.services import sync_run
from app.sync.retry import RetryPolicy
from tests.conftest import PERSON
from tests.support import cases, folders
from tests.support.platform import COUNTY, OTHER_COUNTY, PASSWORD, TOWNSHIP, USERS, PlatformProcess, free_port

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_run, "DEFAULT_POLICY", RetryPolicy(attempts=3, base=0.05, cap=0.2))


class Window:
    """One unit's data folder driven through ``python -m app``."""

    def __init__(self, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.folder, self.capsys = folder, capsys

    def run(self, *argv: str) -> tuple[int, str, str]:
        code = cli_main(["--data", str(self.folder), *argv])
        captured = self.capsys.readouterr()
        if code == 0 and "init" in argv:
            folders.cheap(self.folder)  # the tests' Argon2id cost for the sign-ins to come
        return code, captured.out, captured.err

    def ok(self, *argv: str) -> dict:  # type: ignore[type-arg]
        code, out, err = self.run("--json", *argv)
        assert code == 0, err
        return json.loads(out)  # type: ignore[no-any-return]

    def assert_chain_verifies(self) -> None:
        """``verify`` finds this window's action chain whole."""
        code, out, _ = self.run("--json", "verify")
        assert code == 0, out

    def assert_blobs_hold(self, materials: list[dict]) -> None:  # type: ignore[type-arg]
        """Every PDF and page of ``materials`` is in this window's blob store, hash-checked."""
        for m in materials:
            for sha in [m["pdf_sha256"], *(p["sha256"] for p in m["pages"])]:
                assert hashlib.sha256(folders.blob_bytes(self.folder, sha)).hexdigest() == sha

    def login(self, unit: str, monkeypatch: pytest.MonkeyPatch) -> dict:  # type: ignore[type-arg]
        monkeypatch.setenv("CHUANGKOU_PASSWORD", PASSWORD)
        return self.ok("login", "--user", USERS[unit])


@pytest.fixture
def platform_down(tmp_path: Path) -> Iterator[PlatformProcess]:
    """A platform that is not running yet (its port is reserved in the settings)."""
    p = PlatformProcess(tmp_path / "platform", port=free_port())
    yield p
    p.stop()


def _township_and_county(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                         platform: PlatformProcess) -> tuple[Window, Window, Path]:
    """Two windows set up against the platform, each with its clerk's first (online) sign-in done on
    installation day; the platform is down again afterwards. And an applicant file."""
    township, county = Window(tmp_path / "township", capsys), Window(tmp_path / "county", capsys)
    platform.start()
    for window, unit in ((township, TOWNSHIP), (county, COUNTY)):
        window.ok("init", "--org", unit, "--platform", platform.url)
        window.login(unit, monkeypatch)
        window.ok("logout")  # the platform's tokens end: the first sync signs in again
    platform.stop()
    applicant = tmp_path / "applicant.json"
    applicant.write_text(json.dumps(PERSON, ensure_ascii=False), encoding="utf-8")
    return township, county, applicant


def test_offline_first_township_to_county_and_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    platform_down: PlatformProcess, pages: dict[str, Path],
) -> None:
    township, county, applicant = _township_and_county(tmp_path, capsys, monkeypatch, platform_down)

    # The link is down: the clerk still receives and accepts, with three materials.
    made = township.ok("case", "new", "--item", cases.SHOP, "--applicant", str(applicant),
                       *cases.material_args(pages["text"], pages["photo"], (pages["alpha"], pages["photo"]),
                                            item=cases.SHOP))
    township.ok("case", "accept", made["case_no"])
    monkeypatch.delenv("CHUANGKOU_PASSWORD")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _, err = township.run("login", "--user", USERS[TOWNSHIP])
    assert code == 2 and "CHUANGKOU_PASSWORD" in err  # no terminal to ask for the password
    monkeypatch.setenv("CHUANGKOU_PASSWORD", PASSWORD)
    signed = township.ok("login", "--user", USERS[TOWNSHIP])  # offline, on this PC's key slot
    assert signed["user"] == USERS[TOWNSHIP] and signed["online"] is False
    code, _, err = township.run("sync", "--once")
    assert code == 2 and "无法连接市级平台" in err
    assert township.ok("case", "show", made["case_no"])["status"] == "accepted"

    # The platform comes up; sign in and sync.
    platform_down.start()
    signed = township.login(TOWNSHIP, monkeypatch)
    assert (signed["user"], signed["org"], signed["online"]) == (USERS[TOWNSHIP], TOWNSHIP, True)
    report = township.ok("sync", "--once")
    assert report["pushed"] == 2 and report["pending"] == 0 and report["refused"] == []
    again = township.ok("sync", "--once")  # nothing new: nothing sent twice
    assert again["pushed"] == 0

    # Forward to the county: only the county above this township is accepted.
    code, _, err = township.run("case", "forward", made["case_no"], "--to", OTHER_COUNTY, "--text", "拟同意")
    assert code == 2 and "只能上报至上一级单位" in err
    township.ok("case", "forward", made["case_no"], "--to", COUNTY, "--text", "材料齐全，拟同意")
    assert township.ok("sync", "--once")["pushed"] == 2  # the forward, and the review sheet it goes up with

    # The county gets the case and every material, hash-checked.
    county.login(COUNTY, monkeypatch)
    county.ok("sync", "--once")
    seen = county.ok("case", "show", made["case_no"])
    assert seen["status"] == "forwarded" and seen["holder"] == COUNTY
    assert [n["kind"] for n in seen["notices"]] == ["上报审查表"]
    sent = township.ok("case", "show", made["case_no"])
    assert [m["pdf_sha256"] for m in seen["materials"]] == [m["pdf_sha256"] for m in sent["materials"]]
    assert len(seen["materials"]) == 3
    county.assert_blobs_hold(seen["materials"])
    exported = county.ok("case", "export", made["case_no"], "--out", str(tmp_path / "export"))
    assert len([f for f in exported["files"] if f.endswith(".pdf")]) == 3

    # The county returns its opinion; the township sees it after its next sync.
    county.ok("case", "opinion", made["case_no"], "--result", "同意", "--text", "同意，请按程序办理")
    assert county.ok("sync", "--once")["pushed"] == 1
    township.ok("sync", "--once")
    back = township.ok("case", "show", made["case_no"])
    assert [(o["unit"], o["result"], o["text"]) for o in back["opinions"]] == [(COUNTY, "同意", "同意，请按程序办理")]

    # Both chains still verify after actions from two units were interleaved.
    for w in (township, county):
        w.assert_chain_verifies()


def test_without_a_keyring_the_password_variable_is_the_documented_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    platform_down: PlatformProcess, pages: dict[str, Path],
) -> None:
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())  # a bare Linux session: no Secret Service, no KWallet
    platform_down.start()
    window = Window(tmp_path / "township", capsys)
    window.ok("init", "--org", TOWNSHIP, "--platform", platform_down.url)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    monkeypatch.delenv("CHUANGKOU_PASSWORD")
    code, _, err = window.run("login", "--user", USERS[TOWNSHIP])
    assert code == 2 and "CHUANGKOU_PASSWORD" in err  # says what to do instead

    monkeypatch.setenv("CHUANGKOU_PASSWORD", PASSWORD)
    code, out, err = window.run("login", "--user", USERS[TOWNSHIP])
    assert code == 0, err
    assert "不保存登录状态" in out
    applicant = tmp_path / "applicant.json"
    applicant.write_text(json.dumps(PERSON, ensure_ascii=False), encoding="utf-8")
    window.ok("case", "new", "--item", "GG00231000", "--applicant", str(applicant),
              "--material", f"申请表={pages['text']}")
    synced = window.ok("sync", "--once")
    assert (synced["pushed"], synced["pending"]) == (1, 0)

    monkeypatch.delenv("CHUANGKOU_PASSWORD")  # nothing was kept on disk: no password, no sign-in, no sync
    code, _, err = window.run("sync", "--once")
    assert code == 2 and "请先登录" in err and "CHUANGKOU_PASSWORD" in err


def test_amended_materials_reach_the_platform_and_the_county(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    platform_down: PlatformProcess, pages: dict[str, Path],
) -> None:
    township, county, applicant = _township_and_county(tmp_path, capsys, monkeypatch, platform_down)
    form, id_card, premises = cases.REQUIRED[cases.SHOP]
    made = township.ok("case", "new", "--item", cases.SHOP, "--applicant", str(applicant),
                       *cases.material_args((pages["text"], pages["alpha"]), pages["photo"], item=cases.SHOP,
                                            without=[premises]))
    # Offline, before the first sync: a page rescanned and one turned.
    township.ok("case", "amend", made["case_no"], "--edit", "rescan", form, "2", str(pages["photo"]),
                "--edit", "rotate", form, "1", "90")
    platform_down.start()
    township.login(TOWNSHIP, monkeypatch)
    report = township.ok("sync", "--once")
    assert report["pushed"] == 2 and report["refused"] == []
    # After the sync: the one-time notice, then the missing material brought in.
    township.ok("case", "notify-missing", made["case_no"], "--missing", premises)
    township.ok("case", "amend", made["case_no"], "--edit", "add", premises, str(pages["text"]))
    township.ok("case", "accept", made["case_no"])
    township.ok("case", "forward", made["case_no"], "--to", COUNTY, "--text", "材料已补齐")
    report = township.ok("sync", "--once")
    # notify-missing, amend, accept, the review sheet and the forward
    assert report["pushed"] == 5 and report["refused"] == [] and report["pending"] == 0

    county.login(COUNTY, monkeypatch)
    county.ok("sync", "--once")
    seen, sent = county.ok("case", "show", made["case_no"]), township.ok("case", "show", made["case_no"])
    assert seen["materials"] == sent["materials"]
    assert [m["name"] for m in seen["materials"]] == [form, id_card, premises]
    assert [p["rotation"] for p in seen["materials"][0]["pages"]] == [90, 0]
    county.assert_blobs_hold(seen["materials"])
    assert [a["type"] for a in seen["actions"]].count("amend_materials") == 2
    for w in (township, county):
        w.assert_chain_verifies()


def test_a_second_window_of_the_unit_follows_an_amendment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    platform_down: PlatformProcess, pages: dict[str, Path],
) -> None:
    first, _, applicant = _township_and_county(tmp_path, capsys, monkeypatch, platform_down)
    second = Window(tmp_path / "township-2", capsys)
    second.ok("init", "--org", TOWNSHIP, "--platform", platform_down.url)
    platform_down.start()
    first.login(TOWNSHIP, monkeypatch)
    second.login(TOWNSHIP, monkeypatch)
    made = first.ok("case", "new", "--item", "XK00147000", "--applicant", str(applicant),
                    "--material", f"申请表={pages['text']},{pages['alpha']}")
    first.ok("sync", "--once")
    second.ok("sync", "--once")
    before = first.ok("case", "show", made["case_no"])["materials"]
    assert second.ok("case", "show", made["case_no"])["materials"] == before

    first.ok("case", "amend", made["case_no"], "--edit", "rescan", "申请表", "1", str(pages["photo"]),
             "--edit", "rotate", "申请表", "2", "270")
    first.ok("sync", "--once")
    second.ok("sync", "--once")
    mine, theirs = first.ok("case", "show", made["case_no"]), second.ok("case", "show", made["case_no"])
    assert theirs["materials"] == mine["materials"]
    second.assert_blobs_hold(mine["materials"])
    second.assert_chain_verifies()
