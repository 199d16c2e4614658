"""免证 end to end against the real platform: the township window offers the applicant's licence,
takes it for the material instead of a scan, the case goes up, and the county downloads the licence
like any material and exports it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from app.core.lifecycle import ActionType
from app.services import case_desk, held_licences, sync_run
from app.services.context import init_data_dir
from app.services.export import export_case
from app.services.intake import HeldLicenceRef, new_case
from app.services.queries import show_case
from app.sync.credentials import MemoryTokens
from app.sync.retry import RetryPolicy
from tests.platform_fixture import platform  # noqa: F401
from tests.support import folders
from tests.support.held import HELD_FOR, SUBSIDY, issue_licence, subsidy_materials
from tests.support.platform import COUNTY, TOWNSHIP_2, USERS, PlatformProcess
from tests.support.platform_api import APPLICANT


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_run, "DEFAULT_POLICY", RetryPolicy(attempts=3, base=0.05, cap=0.2))


def test_an_intake_reusing_a_held_licence_needs_no_scan_and_the_county_opens_it(
        platform: PlatformProcess, tmp_path: Path, pages: dict[str, Path]) -> None:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=10) as client:
        lid, pdf = issue_licence(client)

    township_dir, county_dir = tmp_path / "township", tmp_path / "county"
    init_data_dir(township_dir, TOWNSHIP_2, platform.url)
    init_data_dir(county_dir, COUNTY, platform.url)
    ctx = folders.online(township_dir, USERS[TOWNSHIP_2], tokens=MemoryTokens())
    try:
        answer = held_licences.lookup(ctx, APPLICANT["id_number"])
        chosen = next(h for h in held_licences.offers(ctx, SUBSIDY, answer)[HELD_FOR] if h.id == lid)
        sha = held_licences.fetch(ctx, chosen, APPLICANT["id_number"])
        made = new_case(ctx, SUBSIDY, APPLICANT, subsidy_materials(pages["text"], HeldLicenceRef(chosen.id, sha)))
        case_desk.take(ctx, made.id, ActionType.ACCEPT)
        report = sync_run.sync_once(ctx)
        assert report.refused == [] and report.pending == 0
        case_desk.take(ctx, made.id, ActionType.FORWARD, {"to": COUNTY, "text": "材料齐全，拟同意"})
        report = sync_run.sync_once(ctx)
        assert report.refused == [] and report.pending == 0
    finally:
        ctx.close()

    county = folders.online(county_dir, USERS[COUNTY], tokens=MemoryTokens())
    try:
        sync_run.sync_once(county)
        seen = show_case(county, made.case_no)
        held = next(m for m in seen["materials"] if m["name"] == HELD_FOR)
        assert (held["licence_id"], held["pdf_sha256"], held["pages"], held["present"]) == (lid, sha, [], True)
        files = export_case(county, made.case_no, tmp_path / "export")
        exported = next(f for f in files if HELD_FOR in f.name)
        assert exported.read_bytes() == pdf
    finally:
        county.close()
