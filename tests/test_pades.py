"""Sealing as the clerk and the archivist see it: the red round seal on the page, the text still
extracting, B-B when the time-stamping service is down and the later time-stamp, B-LTA still
verifying after the certificate expired, the applicant's strokes inside the sealed range, SM2
refused, and the verifier's report in Chinese.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pikepdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from app.core.errors import UserError
from app.core.notice_kinds import NoticeKind
from app.documents import pades
from app.documents.notice_layout import PAGE_H, PAGE_W
from app.documents.notices import render
from app.documents.seal_credentials import SealCredentials, SealFamily
from app.documents.seal_stamp import DIAMETER_MM, rim_layout
from app.documents.seal_verify import Changes, RevocationStatus, describe, verify
from app.documents.trust_material import TrustMaterial
from app.store.bundled import NOTICE_FONT_FILE
from app.sync.timestamps import PlatformTimeStamper
from tests.support.pki import Issued, SealPKI
from tests.support.seal_servers import SealServices, local_timestamper, seal_services
from tests.support.seal_tools import COUNTY, TOWNSHIP, credentials, notice_details, pyhanko_validate, write_pem


@dataclass
class World:
    pki: SealPKI
    services: SealServices
    township: SealCredentials
    tsa: Issued
    notice: bytes
    trust: TrustMaterial
    folder: Path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("pades")
    with seal_services() as services:
        pki = SealPKI.create(services.crl_base)
        tsa = pki.tsa_cert()
        services.tsa = local_timestamper(tsa, pki.chain)
        township, _ = credentials(pki, TOWNSHIP, "12450403MB1904102X")
        services.publish_crl(pki.ROOT_CRL, pki.root_crl())
        services.publish_crl(pki.ISSUING_CRL, pki.issuing_crl())
        trust = TrustMaterial((pki.root.cert,), (pki.issuing.cert,), (pki.root_crl(), pki.issuing_crl()))
        yield World(pki, services, township, tsa, render(notice_details(NoticeKind.ACCEPTANCE), NOTICE_FONT_FILE),
                    trust, folder)


def text_of(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, timeout=30)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def test_the_seal_renders_red_and_round_and_the_text_still_extracts(world: World, tmp_path: Path) -> None:
    sealed = tmp_path / "sealed.pdf"
    sealed.write_bytes(pades.seal(world.notice, world.township).pdf)
    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(sealed), str(png)], check=True, timeout=60)
    img = cv2.imread(str(png) + ".png")
    b, g, r = (img[..., i].astype(int) for i in range(3))
    red = (r > 170) & (g < 90) & (b < 90)
    px = 100 / 25.4
    box = pades.NOTICE_SEAL.box
    cx, cy, radius = (box.x + box.w / 2) * px, (box.y + box.h / 2) * px, DIAMETER_MM / 2 * px
    ys, xs = np.nonzero(red)
    assert len(xs) > 2000 and not red[: int((box.y - 2) * px)].any()  # red only in the seal's place
    dist = np.hypot(xs - cx, ys - cy)
    assert dist.max() < radius + 2
    # The ring: red all the way round at the rim (every 10° sector), as a round seal is
    ring = np.abs(dist - (radius - 0.6 * px)) < 0.8 * px
    angles = np.degrees(np.arctan2(ys[ring] - cy, xs[ring] - cx)) % 360
    assert len(set((angles // 10).astype(int))) == 36
    # the star's upper point, above the unit's name the seal is pressed over, is filled red
    top = int(cy - 5.5 * px)
    assert red[top - 1: top + 2, int(cx) - 1: int(cx) + 2].all()
    text = text_of(sealed)
    assert "受理通知书" in text and "韦秀英" in text and TOWNSHIP in text and "行政审批专用章" not in text


def test_long_unit_names_get_smaller_rim_characters_that_do_not_overlap() -> None:
    short, long = rim_layout(12), rim_layout(26)
    assert long.height < short.height
    for lay in (short, long):
        step = math.radians(lay.angles[0] - lay.angles[1]) * lay.radius
        assert lay.width < step  # no character runs into the next
        assert lay.radius + lay.height / 2 < DIAMETER_MM / 2 - 1.2  # inside the ring
        assert lay.angles[0] - lay.angles[-1] <= 240


def test_no_tsa_gives_bb_and_the_later_document_timestamp_makes_bt(world: World, tmp_path: Path) -> None:
    down = PlatformTimeStamper(world.services.base, path="/nothing-here")
    result = pades.seal(world.notice, world.township, timestamper=down)
    assert result.level is pades.PadesLevel.B_B and result.timestamp_problem
    [seal] = verify(result.pdf, world.trust).signatures
    assert seal.valid and seal.timestamp_time is None and seal.level is pades.PadesLevel.B_B

    online = pades.seal(world.notice, world.township, timestamper=PlatformTimeStamper(world.services.base, path="/tsa"))
    assert online.level is pades.PadesLevel.B_T and not online.timestamp_problem

    stamped = pades.add_timestamp(result.pdf, PlatformTimeStamper(world.services.base, path="/tsa"))
    assert stamped.startswith(result.pdf)
    seal, ts = verify(stamped, world.trust).signatures
    assert (seal.kind, ts.kind) == ("signature", "timestamp")
    assert seal.valid and seal.timestamp_source == "document" and seal.level is pades.PadesLevel.B_T
    assert seal.changes is Changes.ALLOWED and ts.valid
    lines = describe(verify(stamped, world.trust))
    assert any(line.startswith("  时间戳：") and "文档时间戳" in line for line in lines)
    path = tmp_path / "stamped.pdf"
    path.write_bytes(stamped)
    code, out = pyhanko_validate(path, write_pem(tmp_path / "root.pem", world.pki.root.cert))
    assert code == 0 and "INTACT:TRUSTED" in out, out

    world.services.tsa_up = False
    try:
        with pytest.raises(pades.TimestampUnavailable):
            pades.add_timestamp(result.pdf, PlatformTimeStamper(world.services.base, path="/tsa"))
    finally:
        world.services.tsa_up = True


def test_lta_still_verifies_after_the_certificate_expired(world: World, tmp_path: Path) -> None:
    creds, _ = credentials(world.pki, COUNTY, "11450403007548312K", valid_for=dt.timedelta(days=3))
    timestamper = local_timestamper(world.tsa, world.pki.chain)
    sealed = pades.seal(world.notice, creds, timestamper=timestamper)
    lta = pades.make_lta(sealed.pdf, world.trust, timestamper)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)

    # A month later: the root and the CRLs the platform publishes then (the seal's certificate has
    # expired and is on none of them); its CRLs from the time of sealing are in the file's DSS.
    fresh = later - dt.timedelta(hours=1)
    then = TrustMaterial((world.pki.root.cert,), (),
                         (world.pki.root_crl(this_update=fresh), world.pki.issuing_crl(this_update=fresh)))
    assert creds.certificate.not_valid_after_utc < later
    seal, ts = verify(lta, then, now=later).signatures
    assert seal.valid and seal.level is pades.PadesLevel.B_LTA, seal
    assert seal.revocation_at_signing.status is RevocationStatus.GOOD and ts.valid, str(ts.to_dict())

    path = tmp_path / "lta.pdf"
    path.write_bytes(lta)
    code, out = pyhanko_validate(path, write_pem(tmp_path / "root.pem", world.pki.root.cert))
    assert code == 0 and "INTACT:TRUSTED" in out, out


def test_the_applicants_strokes_are_attached_inside_the_sealed_range(world: World, tmp_path: Path) -> None:
    strokes = json.dumps({"strokes": [[[0, 0, 0, 0.5], [120, 40, 20, 0.6]]], "device": "test"}).encode()
    attached = pades.attach_strokes(world.notice, strokes, "申请人签名笔迹.json")
    sealed = pades.seal(attached, world.township).pdf
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed)
    listing = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, text=True, timeout=30).stdout
    assert "申请人签名笔迹.json" in listing
    with pikepdf.open(path) as pdf:
        assert pdf.attachments["signature-strokes.json"].get_file().read_bytes() == strokes
        assert pdf.Root.AF[0].AFRelationship == "/Data"
    [sig] = PdfFileReader(io.BytesIO(sealed), strict=False).embedded_signatures
    assert sig.signed_revision == 2 and sig.byte_range[-2] + sig.byte_range[-1] == len(sealed)  # covers all
    [seal] = verify(sealed, world.trust).signatures
    assert seal.valid and seal.changes is Changes.NONE


def test_sm2_credentials_are_refused(world: World) -> None:
    sm2 = SealCredentials(world.township.key, world.township.certificate, world.township.chain, TOWNSHIP,
                          "行政审批专用章", "黄丽", family=SealFamily.SM2)
    with pytest.raises(UserError, match="SM2"):
        pades.seal(world.notice, sm2)


def test_a_seal_on_the_first_page_of_a_two_page_document(world: World) -> None:
    with pikepdf.new() as pdf:
        for _ in range(2):
            pdf.add_blank_page(page_size=(PAGE_W * 72 / 25.4, PAGE_H * 72 / 25.4))
        path = world.folder / "blank.pdf"
        pdf.save(path)
    sealed = pades.seal(path.read_bytes(), world.township, pades.SealPlacement.centred(105, 148, page=0)).pdf
    with pikepdf.open(io.BytesIO(sealed)) as doc:
        assert "/Annots" in doc.pages[0] and "/Annots" not in doc.pages[1]
