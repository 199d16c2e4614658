"""A full disk while a forwarded case's materials download: a message, a resumable partial file, and
the next sync after the clean-up finishes the download, hash-checked."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from PIL import Image

from app.cli import main as cli_main
from app.services import sync_run
from app.sync.retry import RetryPolicy
from tests.conftest import PERSON
from tests.platform_fixture import platform  # noqa: F401
from tests.support import cases, folders
from tests.support.faults import fill, tmpfs
from tests.support.platform import COUNTY, PASSWORD, TOWNSHIP, USERS, PlatformProcess

pytestmark = pytest.mark.slow
FULL = "磁盘空间不足，本次操作没有保存"


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_run, "DEFAULT_POLICY", RetryPolicy(attempts=3, base=0.05, cap=0.2))


def test_full_disk_while_downloading_a_forwarded_case(
    platform: PlatformProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch, pages: dict[str, Path],
) -> None:
    def run(folder: Path, *argv: str) -> tuple[int, str, str]:
        code = cli_main(["--data", str(folder), *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    def ok(folder: Path, *argv: str) -> dict:  # type: ignore[type-arg]
        code, out, err = run(folder, "--json", *argv)
        assert code == 0, err
        return json.loads(out)  # type: ignore[no-any-return]

    monkeypatch.setenv("CHUANGKOU_PASSWORD", PASSWORD)
    township = tmp_path / "township"
    ok(township, "init", "--org", TOWNSHIP, "--platform", platform.url)
    ok(township, "login", "--user", USERS[TOWNSHIP])
    page, applicant = tmp_path / "large.png", tmp_path / "applicant.json"
    Image.effect_noise((1500, 2000), 80).save(page)  # stored as well over 600 KB
    applicant.write_text(json.dumps(PERSON, ensure_ascii=False), encoding="utf-8")

    with tmpfs(tmp_path / "disk", "32m") as disk:
        county = disk / "county"
        ok(county, "init", "--org", COUNTY, "--platform", platform.url)
        ok(county, "login", "--user", USERS[COUNTY])
        ok(county, "sync", "--once")  # units, catalogue, holidays: the feed's bulk, before the disk fills

        # complete (the large page is the form; the small text page stands for the rest), so it may be accepted
        made = ok(township, "case", "new", "--item", cases.SHOP, "--applicant", str(applicant),
                  *cases.material_args(page, pages["text"], item=cases.SHOP),
                  "--accept-warnings", "测试用噪声页")  # noise may look cut off
        ok(township, "case", "accept", made["case_no"])
        ok(township, "case", "forward", made["case_no"], "--to", COUNTY, "--text", "拟同意")
        ok(township, "sync", "--once")

        filler = fill(disk, leave=256 * 1024)  # the feed's page fits; the material's files do not
        code, out, err = run(county, "sync", "--once")
        assert code == 2 and out == ""
        assert FULL in err and "Traceback" not in err
        assert list((county / "blobs" / "downloads").glob("*.part"))  # it stopped in the download, resumable
        conn = folders.connect(county)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            absent = conn.execute("SELECT COUNT(*) FROM blobs WHERE present = 0").fetchone()[0]
        finally:
            conn.close()
        assert absent >= 1  # the case arrived; its files wait for the download
        assert list((county / "blobs" / "tmp").iterdir()) == []

        filler.unlink()
        ok(county, "sync", "--once")
        seen = ok(county, "case", "show", made["case_no"])
        assert seen["holder"] == COUNTY
        for m in seen["materials"]:
            for sha in [m["pdf_sha256"], *(p["sha256"] for p in m["pages"])]:
                assert hashlib.sha256(folders.blob_bytes(county, sha)).hexdigest() == sha
        assert list((county / "blobs" / "downloads").glob("*.part")) == []
