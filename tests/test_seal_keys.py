"""The unit's seal key on the client, end to end with the real platform: request, feed, renewal, revocation.

Each test has its own unit's data folder signed in online; the platform (one per module) issues
seal certificates valid 40 days, so a clock 15 days ahead is inside the 30-day renewal window.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from app.cli import main as cli_main
from app.core.errors import UserError
from app.services import seal_keys, sync_run
from app.services.context import AppContext, init_data_dir
from app.services.sync_feed import apply_page
from app.store import seal_keys as seal_store
from app.store import sync_state
from app.sync.platform_api import FeedEntry
from app.sync.timestamps import PlatformTimeStamper, TimestampUnavailable
from city_platform.ca import CertificateAuthority
from tests.support import folders
from tests.support.platform import CITY, COUNTY, TOWNSHIP, TOWNSHIP_2, TOWNSHIP_3, PlatformProcess, free_port, user_of
from tests.support.platform_api import bearer, token

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlatformProcess]:
    p = PlatformProcess(Path(tmp_path_factory.mktemp("platform")))
    p.extra_args = ["--seal-cert-days", "40"]
    with p:
        yield p


def _window(tmp_path: Path, platform: PlatformProcess, unit: str, role: str) -> AppContext:
    init_data_dir(tmp_path / unit, unit, platform.url)
    return folders.online(tmp_path / unit, user_of(unit, role))


@pytest.fixture
def approver(tmp_path: Path, platform: PlatformProcess) -> Iterator[AppContext]:
    ctx = _window(tmp_path, platform, TOWNSHIP, "approver")
    yield ctx
    ctx.close()


def _request(ctx: AppContext, **kwargs: str) -> dict[str, str]:
    with sync_run.make_client(ctx) as client:
        return seal_keys.request_certificate(ctx, client, **kwargs)


def _root(platform: PlatformProcess) -> x509.Certificate:
    return x509.load_pem_x509_certificate((platform.pki / "root.pem").read_bytes())


def test_an_approver_requests_syncs_and_holds_a_certificate_chaining_to_the_root(
        approver: AppContext, platform: PlatformProcess) -> None:
    assert seal_keys.credentials(approver) is None
    asked = _request(approver)
    assert seal_keys.credentials(approver) is None  # the certificate comes through the feed
    sync_run.sync_once(approver)
    creds = seal_keys.credentials(approver)
    assert creds is not None
    assert format(creds.certificate.serial_number, "x") == asked["serial"]
    assert creds.certificate.public_key() == creds.key.public_key()
    root = _root(platform)
    assert creds.chain[-1] == root
    creds.certificate.verify_directly_issued_by(creds.chain[0])
    creds.chain[0].verify_directly_issued_by(root)
    assert (creds.unit_name, creds.seal_name) == ("万秀区城东镇便民服务中心", "行政审批专用章")
    assert creds.signer == approver.session.name
    # What the verifier reads: the pinned root, the issuing CA, the CRL.
    pki = approver.data_dir / "pki"
    assert [x509.load_pem_x509_certificate(p.read_bytes()) for p in (pki / "roots").glob("*.pem")] == [root]
    assert creds.chain[0] in [x509.load_pem_x509_certificate(p.read_bytes())
                              for p in (pki / "intermediates").glob("*.pem")]
    crls = [x509.load_der_x509_crl(p.read_bytes()) for p in (pki / "crls").glob("*.crl")]
    assert len(crls) == 1 and crls[0].is_signature_valid(creds.chain[0].public_key())
    shown = seal_keys.status(approver)["certificates"]
    assert [(c["serial"], c["state"], c["current"]) for c in shown] == [(asked["serial"], "有效", True)]

    # The private key is in no file of the data folder in clear (the database is encrypted).
    der = creds.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    pem_line = creds.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()).splitlines()[1]
    assert isinstance(creds.key, ec.EllipticCurvePrivateKey)
    scalar = creds.key.private_numbers().private_value.to_bytes(32, "big")
    for path in approver.data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert der not in data and pem_line not in data and scalar not in data, path
    assert der not in platform.log_path.read_bytes()

    # A planted root is removed at the next sync; the pinned one stays.
    planted = pki / "roots" / "planted.pem"
    planted.write_bytes(b"-----BEGIN CERTIFICATE-----\n")
    sync_run.sync_once(approver)
    assert not planted.exists() and len(list((pki / "roots").glob("*.pem"))) == 1


def test_a_clerk_is_refused_before_any_request(tmp_path: Path, platform: PlatformProcess) -> None:
    clerk = _window(tmp_path, platform, TOWNSHIP_2, "clerk")
    try:
        with sync_run.make_client(clerk) as client, pytest.raises(UserError) as refused:
            seal_keys.request_certificate(clerk, client)
        assert "不能申请单位电子印章证书" in refused.value.message
        assert seal_store.keys(clerk.store.reader()) == []  # not even a key was made
    finally:
        clerk.close()


def _apply(ctx: AppContext, entries: list[FeedEntry]) -> None:
    cursor = int(sync_state.get_meta(ctx.store.reader(), "cursor", 0))
    ctx.store.write(lambda w: apply_page(ctx, w, entries, cursor))


def _pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def test_hostile_feed_entries_are_set_aside_and_nothing_is_trusted(
        approver: AppContext, platform: PlatformProcess) -> None:
    sync_run.sync_once(approver)  # pins the root
    _request(approver)  # a key we hold, pending
    pending = seal_store.pending_key(approver.store.reader())
    assert pending is not None
    our_key = serialization.load_der_private_key(pending.pkcs8, None).public_key()
    ca = CertificateAuthority.load(platform.pki)
    now = dt.datetime.now(dt.UTC)

    def issued(key: object, unit: str) -> x509.Certificate:
        return ca.issue_seal(key, unit_code=unit, unit_name="某单位", seal_name="行政审批专用章",  # type: ignore[arg-type]
                             days=30, crl_url="http://127.0.0.1/pki/crl", ca_url="", now=now)

    stranger = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.ORGANIZATION_IDENTIFIER, TOWNSHIP)])
    self_signed = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(stranger.public_key())
                   .serial_number(7).not_valid_before(now).not_valid_after(now + dt.timedelta(days=9))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(stranger, hashes.SHA256()))
    forged_crl = (x509.CertificateRevocationListBuilder().issuer_name(ca.issuing.subject).last_update(now)
                  .next_update(now + dt.timedelta(days=1)).sign(stranger, hashes.SHA256()))
    chain = [_pem(ca.issuing), _pem(ca.root)]
    hostile = {
        10**9 + 1: ("certificate", {"certificate": _pem(issued(our_key, COUNTY)), "chain": chain}, "不是发给本单位"),
        10**9 + 2: ("certificate", {"certificate": _pem(issued(stranger.public_key(), TOWNSHIP)), "chain": chain},
                    "与本机保管的印章密钥不符"),
        10**9 + 3: ("certificate", {"certificate": _pem(self_signed), "chain": [_pem(self_signed)]}, "根证书签发"),
        10**9 + 4: ("crl", {"crl": base64.b64encode(forged_crl.public_bytes(serialization.Encoding.DER)).decode()},
                    "吊销列表不是由本机信任"),
        10**9 + 5: ("certificate", {"certificate": "not a certificate", "chain": chain}, "证书格式不符"),
    }
    before = seal_store.crls(approver.store.reader())
    _apply(approver, [FeedEntry(seq, kind, body) for seq, (kind, body, _) in hostile.items()])
    db = approver.store.reader()
    aside = {r["seq"]: r["reason"] for r in sync_state.set_aside_summary(db)}
    for seq, (_, _, words) in hostile.items():
        assert words in aside.get(seq, ""), (seq, aside.get(seq))
    assert seal_store.certs(db) == [] and seal_keys.credentials(approver) is None
    assert seal_store.crls(db) == before
    assert len(seal_store.trust(db, "root")) == 1 and len(seal_store.trust(db, "intermediate")) == 1


def test_revocation_reaches_the_client_and_a_new_request_is_made(tmp_path: Path, platform: PlatformProcess) -> None:
    ctx = _window(tmp_path, platform, TOWNSHIP_3, "approver")
    try:
        serial = _request(ctx)["serial"]
        sync_run.sync_once(ctx)
        assert seal_keys.credentials(ctx) is not None
        with httpx.Client(base_url=platform.url, timeout=30) as c:
            r = c.post(f"/api/v1/pki/certificates/{serial}/revoke", json={"reason": "key_compromise"},
                       headers=bearer(token(c, TOWNSHIP_3, "admin")))
            assert r.status_code == 200, r.text
            over_http = x509.load_der_x509_crl(c.get("/pki/crl").content)
        assert over_http.get_revoked_certificate_by_serial_number(int(serial, 16)) is not None
        sync_run.sync_once(ctx)  # the CRL through the feed; then a new key is asked for
        shown = {c["serial"]: c for c in seal_keys.status(ctx)["certificates"]}
        assert shown[serial]["state"] == "已吊销" and shown[serial]["reason"] == "key_compromise"
        assert seal_keys.credentials(ctx) is None  # nothing to seal with until the new certificate is here
        pending = seal_store.pending_key(ctx.store.reader())
        assert pending is not None and pending.request_id is not None
        sync_run.sync_once(ctx)  # the new certificate
        creds = seal_keys.credentials(ctx)
        assert creds is not None and format(creds.certificate.serial_number, "x") != serial
        crl_file = next((ctx.data_dir / "pki" / "crls").glob("*.crl"))
        assert x509.load_der_x509_crl(crl_file.read_bytes()).get_revoked_certificate_by_serial_number(
            int(serial, 16)) is not None
    finally:
        ctx.close()


def test_a_certificate_near_its_end_is_renewed_with_a_new_key(tmp_path: Path, platform: PlatformProcess) -> None:
    ctx = _window(tmp_path, platform, COUNTY, "approver")
    try:
        first = _request(ctx)["serial"]
        sync_run.sync_once(ctx)
        sync_run.sync_once(ctx)  # 40 days left: nothing to do
        old = seal_keys.credentials(ctx)
        assert old is not None and format(old.certificate.serial_number, "x") == first
        later = dataclasses.replace(ctx, clock=lambda: dt.datetime.now().astimezone() + dt.timedelta(days=15))
        sync_run.sync_once(later)  # 25 days left: a new key, a new certificate that supersedes the old one
        new = seal_keys.credentials(later)
        assert new is not None and new.certificate.serial_number != old.certificate.serial_number
        assert new.key.public_key() != old.key.public_key()
        shown = {c["serial"]: c for c in seal_keys.status(later)["certificates"]}
        assert shown[first]["state"] == "已吊销" and shown[first]["reason"] == "superseded"
    finally:
        ctx.close()


def _cli(ctx: AppContext, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli_main(["--data", str(ctx.data_dir), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_command_line_requests_and_shows_the_certificate_in_chinese(
        tmp_path: Path, platform: PlatformProcess, capsys: pytest.CaptureFixture[str]) -> None:
    clerk = _window(tmp_path / "clerk", platform, TOWNSHIP_2, "clerk")
    clerk.close()
    code, _, err = _cli(clerk, capsys, "seal", "request")
    assert code == 2 and "不能申请单位电子印章证书" in err
    ctx = _window(tmp_path, platform, TOWNSHIP_2, "approver")
    try:
        code, out, err = _cli(ctx, capsys, "seal", "status")
        assert code == 0 and "本机尚无印章证书" in out, err
        code, out, err = _cli(ctx, capsys, "seal", "request")
        assert code == 0 and "已向市级平台申请印章证书" in out, err
        sync_run.sync_once(ctx)
        code, out, _ = _cli(ctx, capsys, "seal", "status")
        serial = seal_keys.status(ctx)["certificates"][0]["serial"]
        assert "万秀区夏郢镇便民服务中心" in out and serial in out and "有效" in out and "当前使用" in out
    finally:
        ctx.close()


def test_timestamps_come_from_the_platform_and_a_dead_link_says_so(platform: PlatformProcess) -> None:
    digest = hashlib.sha256("受理通知书".encode()).digest()
    token_info = asyncio.run(PlatformTimeStamper(platform.url).async_timestamp(digest, "sha256"))
    signed = token_info["content"]
    info = signed["encap_content_info"]["content"].parsed
    assert info["message_imprint"]["hashed_message"].native == digest
    tsa = x509.load_pem_x509_certificate((platform.pki / "tsa.pem").read_bytes())
    embedded = [c.chosen.dump() for c in signed["certificates"]]
    assert tsa.public_bytes(serialization.Encoding.DER) in embedded
    with pytest.raises(TimestampUnavailable) as down:
        asyncio.run(PlatformTimeStamper(f"http://127.0.0.1:{free_port()}").async_timestamp(digest, "sha256"))
    assert "时间戳服务暂时无法使用" in down.value.message


def test_an_rsa_3072_key_when_the_setting_asks_for_one(tmp_path: Path, platform: PlatformProcess) -> None:
    ctx = _window(tmp_path, platform, CITY, "approver")
    try:
        rsa_ctx = dataclasses.replace(ctx, settings=ctx.settings.with_value("seal.key_type", "rsa-3072"))
        _request(rsa_ctx)
        sync_run.sync_once(rsa_ctx)
        creds = seal_keys.credentials(rsa_ctx)
        assert creds is not None and isinstance(creds.key, rsa.RSAPrivateKey) and creds.key.key_size == 3072
        assert creds.certificate.public_key() == creds.key.public_key()
    finally:
        ctx.close()


def test_a_root_bundle_that_does_not_fit_pins_nothing_and_casework_syncs_all_the_same(
        tmp_path: Path, platform: PlatformProcess) -> None:
    ctx = _window(tmp_path, platform, TOWNSHIP_2, "approver")
    try:
        platform.fault(200, path_prefix="/pki/ca")  # a 200 whose body is no PEM bundle
        report = sync_run.sync_once(ctx)
        assert report.refused == []  # the run finished
        assert seal_store.trust(ctx.store.reader(), "root") == []
        platform.clear_faults()
        sync_run.sync_once(ctx)
        assert len(seal_store.trust(ctx.store.reader(), "root")) == 1  # asked again, and pinned
    finally:
        platform.clear_faults()
        ctx.close()
