"""Sealed notices as independent tools see them: poppler's ``pdfsig`` (NSS, holding the platform's
root) and ``pyhanko sign validate`` (trusting only that root, fetching the CRL from the URL in the
certificate, served on 127.0.0.1 as the platform publishes it) agree on valid, broken and revoked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.core.notice_kinds import NoticeKind
from app.documents import pades
from app.documents.notices import render
from app.documents.seal_credentials import SealCredentials
from app.store.bundled import NOTICE_FONT_FILE
from tests.support.pki import Issued, SealPKI
from tests.support.seal_servers import SealServices, seal_services
from tests.support.seal_tools import (
    COUNTY,
    SEALED_KINDS,
    TOWNSHIP,
    credentials,
    flip_byte_in_signed_range,
    notice_details,
    nss_db,
    pdfsig,
    pyhanko_validate,
    write_pem,
)


@dataclass
class World:
    pki: SealPKI
    services: SealServices
    township: SealCredentials
    county: SealCredentials
    revoked: SealCredentials
    revoked_cert: Issued
    root_pem: Path
    folder: Path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("seal-tools")
    with seal_services() as services:
        pki = SealPKI.create(services.crl_base)
        township, _ = credentials(pki, TOWNSHIP, "12450403MB1904102X")
        county, _ = credentials(pki, COUNTY, "11450403007548312K", signer="李明")
        revoked, revoked_cert = credentials(pki, TOWNSHIP, "12450403MB1904102X", signer="陈晓")
        services.publish_crl(pki.ROOT_CRL, pki.root_crl())
        services.publish_crl(pki.ISSUING_CRL, pki.issuing_crl())
        yield World(pki, services, township, county, revoked, revoked_cert,
                    write_pem(folder / "root.pem", pki.root.cert), folder)


@pytest.fixture(scope="module")
def plain_db(world: World) -> str:
    return nss_db(world.folder / "nss-plain", world.pki)


def _pyhanko_ok(out: str) -> bool:
    return "INTACT:TRUSTED" in out and "UNTOUCHED" in out


@pytest.mark.parametrize("kind", SEALED_KINDS, ids=lambda k: k.name)
def test_a_sealed_notice_is_valid_and_unmodified_in_pdfsig_and_pyhanko(world: World, plain_db: str,
                                                                     kind: NoticeKind, tmp_path: Path) -> None:
    sealed = tmp_path / "sealed.pdf"
    sealed.write_bytes(pades.seal(render(notice_details(kind), NOTICE_FONT_FILE), world.township).pdf)

    [sig] = pdfsig(plain_db, sealed)
    assert sig.valid and sig.trusted and sig.whole_document, sig
    assert TOWNSHIP in sig.fields["Signer full Distinguished Name"]

    code, out = pyhanko_validate(sealed, world.root_pem)  # hard-fail: it fetches and checks the CRL
    assert code == 0 and _pyhanko_ok(out), out
    assert any(r.startswith("GET /crl/issuing.crl") for r in world.services.requests)

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(flip_byte_in_signed_range(sealed.read_bytes()))
    [sig] = pdfsig(plain_db, broken)
    assert not sig.valid, sig
    code, out = pyhanko_validate(broken, world.root_pem)
    assert code != 0 and "INVALID" in out and not _pyhanko_ok(out), out


def test_a_revoked_certificate_is_reported_revoked_by_both(world: World, tmp_path: Path) -> None:
    sealed = tmp_path / "sealed.pdf"
    sealed.write_bytes(pades.seal(render(notice_details(NoticeKind.ACCEPTANCE), NOTICE_FONT_FILE),
                                  world.revoked).pdf)
    crl = world.pki.issuing_crl([(world.revoked_cert.cert, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))])
    db = nss_db(tmp_path / "nss", world.pki, [world.pki.root_crl(), crl])
    [sig] = pdfsig(db, sealed)
    assert sig.valid and sig.revoked, sig  # the bytes are intact; the certificate is not

    world.services.publish_crl(world.pki.ISSUING_CRL, crl)
    try:
        code, out = pyhanko_validate(sealed, world.root_pem)
    finally:
        world.services.publish_crl(world.pki.ISSUING_CRL, world.pki.issuing_crl())
    assert code != 0 and "REVOKED" in out.upper() and not _pyhanko_ok(out), out


def test_township_then_county_seals_both_stay_valid(world: World, plain_db: str, tmp_path: Path) -> None:
    notice = render(notice_details(NoticeKind.ACCEPTANCE), NOTICE_FONT_FILE)
    first = pades.seal(notice, world.township)
    second = pades.seal(first.pdf, world.county, pades.SealPlacement.centred(60.0, 60.0, page=0))
    assert (first.field, second.field) == ("Seal1", "Seal2")
    assert second.pdf.startswith(first.pdf)  # an incremental update: the township's bytes untouched
    both = tmp_path / "both.pdf"
    both.write_bytes(second.pdf)

    sigs = pdfsig(plain_db, both)
    assert [s.valid and s.trusted for s in sigs] == [True, True], sigs
    assert not sigs[0].whole_document and sigs[1].whole_document
    assert TOWNSHIP in sigs[0].fields["Signer full Distinguished Name"]
    assert COUNTY in sigs[1].fields["Signer full Distinguished Name"]

    code, out = pyhanko_validate(both, world.root_pem)
    assert code == 0, out
    lines = [line for line in out.splitlines() if line.startswith("Seal")]
    assert len(lines) == 2 and all("INTACT:TRUSTED" in line for line in lines), out
    # the township's: later changes, all of them allowed (a new seal); the county's: nothing after it
    assert "EXTENDED" in lines[0] and "UNTOUCHED" in lines[1], out
