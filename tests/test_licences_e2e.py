"""E-licences end to end: two PCs of one township issue offline, sync, and the platform's public
check answers for each licence; 注销 turns the answer to revoked; hostile issue actions are refused.

The platform is a real process on 127.0.0.1; the windows are the real command line, in process,
each with its own data folder (as in ``test_sync_e2e``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.core.catalog import parse_catalog
from app.core.licences import verification_url
from app.services import sync_run
from app.store.bundled import CATALOG_FILE, load_json
from app.sync.retry import RetryPolicy
from tests.conftest import PERSON
from tests.support import folders
from tests.support.platform import PASSWORD, TOWNSHIP, PlatformProcess, free_port, user_of
from tests.support.qr import qr_text
from tests.test_notices import text_of
from tests.test_sync_e2e import Window

pytestmark = pytest.mark.slow

BIRTH = "GG00412000"  # 生育登记: 即办件, issues the 生育服务登记证明 (an e-licence)
PENSION = "GG00231000"  # 养老保险参保登记: no licence block, issues a 批文


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_run, "DEFAULT_POLICY", RetryPolicy(attempts=3, base=0.05, cap=0.2))


@pytest.fixture
def platform_down(tmp_path: Path) -> Iterator[PlatformProcess]:
    p = PlatformProcess(tmp_path / "platform", port=free_port())
    yield p
    p.stop()


def _materials(item: str, page: Path) -> list[str]:
    catalog = parse_catalog(load_json(CATALOG_FILE))
    found = catalog.get(item)
    assert found is not None
    args: list[str] = []
    for name in found.required_materials:
        args += ["--material", f"{name}={page}"]
    return args


def _status(platform: PlatformProcess, licence_id: str) -> dict:  # type: ignore[type-arg]
    r = httpx.get(f"{platform.url}/licences/{licence_id}/status", timeout=10)
    assert r.status_code == 200
    return r.json()  # type: ignore[no-any-return]


def test_two_offline_pcs_of_one_unit_issue_distinct_licences_that_verify_and_revoke(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    platform_down: PlatformProcess, pages: dict[str, Path],
) -> None:
    applicant = tmp_path / "applicant.json"
    applicant.write_text(json.dumps(PERSON, ensure_ascii=False), encoding="utf-8")
    first, second = Window(tmp_path / "pc1", capsys), Window(tmp_path / "pc2", capsys)
    platform_down.start()
    for pc in (first, second):
        pc.ok("init", "--org", TOWNSHIP, "--platform", platform_down.url)
        pc.login(TOWNSHIP, monkeypatch)
    platform_down.stop()

    # Offline, each PC settles a 即办件 and issues its licence, and the first a 批文 as well.
    issued = []
    # Two PCs of one unit share its window number, and so their case numbers (a limit of case numbering,
    # not of licences): the second numbers its cases with the unassigned window, which the platform takes.
    second.ok("config", "set", "unit.window_no", "1")
    for pc in (first, second):
        made = pc.ok("case", "new", "--item", BIRTH, "--applicant", str(applicant), *_materials(BIRTH, pages["text"]))
        pc.ok("case", "accept", made["case_no"])
        pc.ok("case", "decide", made["case_no"], "--result", "准予", "--text", "材料齐全，准予登记")
        done = pc.ok("case", "issue", made["case_no"])
        assert done["status"] == "issued" and done["licence"]["kind"] == "licence"
        issued.append((pc, made["case_no"], done["licence"]))
    ids = [lic["id"] for _, _, lic in issued]
    assert ids[0] != ids[1]
    # Same unit, same type, same first counter: only the installation part of the serial differs.
    a, b = (i.split(".") for i in ids)
    assert a[5:7] == b[5:7] and a[7][-6:] == b[7][-6:] == "000001" and a[7][:32] != b[7][:32]

    pdf = folders.blob_bytes(first.folder, issued[0][2]["pdf_sha256"])
    out = tmp_path / "licence.pdf"
    out.write_bytes(pdf)
    text = text_of(out)
    assert PERSON["name"] in text and ids[0] in text and "生育服务登记证明" in text
    url = verification_url(platform_down.url, ids[0])
    assert qr_text(out) == url
    assert hashlib.sha256(pdf).hexdigest() == issued[0][2]["pdf_sha256"]

    platform_down.start()
    for pc, _, _ in issued:
        pc.login(TOWNSHIP, monkeypatch)
        report = pc.ok("sync", "--once")
        assert report["refused"] == [] and report["pending"] == 0, report
    for _, _, lic in issued:
        answer = _status(platform_down, lic["id"])
        assert answer["status"] == "valid" and answer["sha256"] == lic["pdf_sha256"]
        assert answer["name"] == "生育服务登记证明" and PERSON["id_number"] not in json.dumps(answer)
        assert answer["holder"].startswith(PERSON["name"][0] + "*") and answer["holder"].endswith("002X）")
    page = httpx.get(url, timeout=10)
    assert page.status_code == 200 and "有效" in page.text and "<script" not in page.text
    assert PERSON["id_number"] not in page.text and PERSON["name"] not in page.text

    # 注销 by the unit's approver; after the sync the platform answers revoked.
    pc, case_no, lic = issued[0]
    monkeypatch.setenv("CHUANGKOU_PASSWORD", PASSWORD)
    code, _, err = pc.run("case", "revoke-licence", case_no, "--reason", "申请人申请注销")
    assert code == 2 and "审批" in err  # the clerk may not
    pc.ok("login", "--user", user_of(TOWNSHIP, "approver"))
    pc.ok("case", "revoke-licence", case_no, "--reason", "申请人申请注销")
    code, _, err = pc.run("case", "revoke-licence", case_no, "--reason", "再次注销")
    assert code == 2 and "已注销" in err
    assert pc.ok("sync", "--once")["refused"] == []
    assert _status(platform_down, lic["id"])["status"] == "revoked"
    assert "已注销" in httpx.get(url, timeout=10).text
    assert _status(platform_down, issued[1][2]["id"])["status"] == "valid"

    # A 批文 for an item without a licence block.
    made = second.ok("case", "new", "--item", PENSION, "--applicant", str(applicant),
                     *_materials(PENSION, pages["text"]))
    second.ok("case", "accept", made["case_no"])
    assert second.ok("sync", "--once")["refused"] == []  # the clerk's actions go up under the clerk
    second.ok("login", "--user", user_of(TOWNSHIP, "approver"))
    second.ok("case", "decide", made["case_no"], "--result", "准予")
    approval = second.ok("case", "issue", made["case_no"])["licence"]
    assert approval["kind"] == "approval" and approval["id"].split(".")[5] == TOWNSHIP + "900"
    assert approval["id"].split(".")[7].endswith("000002")  # the same PC's counter went on
    assert second.ok("sync", "--once")["refused"] == []
    assert _status(platform_down, approval["id"])["status"] == "valid"


@pytest.mark.parametrize("bad", ["1.2.156.3005.2.x", "nonsense", "1" * 300, "%00", "<script>"])
def test_unknown_and_malformed_ids_answer_unknown(platform_down: PlatformProcess, bad: str) -> None:
    platform_down.start()
    r = httpx.get(f"{platform_down.url}/licences/{bad}/status", timeout=10)
    assert r.status_code == 200 and r.json()["status"] == "unknown"
    page = httpx.get(f"{platform_down.url}/licences/{bad}", timeout=10)
    assert page.status_code == 404 and "未找到该证照" in page.text and "<script>" not in page.text
