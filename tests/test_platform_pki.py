"""The platform's CA, CRL and time-stamping service, over raw HTTP against the real process.

The TSA is checked with an independent client: OpenSSL's ``ts`` command builds the query and
verifies the reply against the platform's root.
"""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from tests.platform_fixture import platform  # noqa: F401
from tests.support.platform import COUNTY, TOWNSHIP, PlatformProcess
from tests.support.platform_api import bearer, feed, token

CERTS = "/api/v1/pki/certificates"


@pytest.fixture
def client(platform: PlatformProcess) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=30) as c:
        yield c


def csr_pem(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey, *, name: str = "我想要的名字",
            extra: bool = False) -> str:
    builder = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, name), x509.NameAttribute(NameOID.COMMON_NAME, "x")]))
    if extra:  # what the CSR asks for must be ignored
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode()


def _roots(client: httpx.Client) -> list[x509.Certificate]:
    r = client.get("/pki/ca")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/pem-certificate-chain")
    return x509.load_pem_x509_certificates(r.content)


def _issued(client: httpx.Client, tok: str, serial: str) -> dict:  # type: ignore[type-arg]
    bodies = [e["body"] for e in feed(client, tok) if e["kind"] == "certificate"]
    return next(b for b in bodies if b["serial"] == serial)


def _serials(client: httpx.Client, tok: str) -> set[str]:
    return {e["body"]["serial"] for e in feed(client, tok) if e["kind"] == "certificate"}


def test_an_approver_gets_a_seal_certificate_the_platform_writes_itself(client: httpx.Client,
                                                                         platform: PlatformProcess) -> None:  # noqa: F811
    root, issuing = _roots(client)
    approver = token(client, TOWNSHIP, "approver")
    key = ec.generate_private_key(ec.SECP256R1())
    r = client.post(CERTS, json={"csr": csr_pem(key, extra=True)}, headers=bearer(approver))
    assert r.status_code == 202, r.text
    serial = r.json()["serial"]
    body = _issued(client, approver, serial)
    cert = x509.load_pem_x509_certificate(body["certificate"].encode())
    chain = [x509.load_pem_x509_certificate(p.encode()) for p in body["chain"]]
    assert [c.subject for c in chain] == [issuing.subject, root.subject]
    cert.verify_directly_issued_by(issuing)
    issuing.verify_directly_issued_by(root)
    assert cert.public_key() == key.public_key()
    # The subject is the unit's, whatever the CSR asked for; the CSR's extensions are dropped.
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "万秀区城东镇便民服务中心"
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)[0].value == TOWNSHIP
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "万秀区城东镇便民服务中心行政审批专用章"
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    crl_dp = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert crl_dp[0].full_name[0].value == f"{platform.url}/pki/crl"
    assert cert.not_valid_after_utc <= issuing.not_valid_after_utc
    # The same key again: the same certificate, not a second one.
    again = client.post(CERTS, json={"csr": csr_pem(key)}, headers=bearer(approver))
    assert again.status_code == 202 and again.json()["serial"] == serial
    assert sum(1 for s in _serials(client, approver) if s == serial) == 1
    # Another unit's feed does not see it.
    assert serial not in _serials(client, token(client, COUNTY, "approver"))


def test_a_clerk_is_refused_and_a_named_reviewer_may_ask(client: httpx.Client) -> None:
    clerk, reviewer, admin = (token(client, TOWNSHIP, r) for r in ("clerk", "reviewer", "admin"))
    key = ec.generate_private_key(ec.SECP256R1())
    r = client.post(CERTS, json={"csr": csr_pem(key)}, headers=bearer(clerk))
    assert r.status_code == 403 and "不能申请单位电子印章证书" in r.json()["detail"]["message"]
    r = client.post(CERTS, json={"csr": csr_pem(key)}, headers=bearer(reviewer))
    assert r.status_code == 403 and "印章保管人" in r.json()["detail"]["message"]
    assert client.put("/api/v1/pki/seal-holders/clerk-450403102", headers=bearer(admin)).status_code == 400
    assert client.put("/api/v1/pki/seal-holders/reviewer-450403102", headers=bearer(reviewer)).status_code == 403
    assert client.put("/api/v1/pki/seal-holders/reviewer-450403102", headers=bearer(admin)).status_code == 200
    r = client.post(CERTS, json={"csr": csr_pem(key)}, headers=bearer(reviewer))
    assert r.status_code == 202, r.text


def test_hostile_csrs_are_refused_and_nothing_is_issued(client: httpx.Client) -> None:
    approver = token(client, TOWNSHIP, "approver")
    before = _serials(client, approver)
    good = csr_pem(ec.generate_private_key(ec.SECP256R1()))
    der = x509.load_pem_x509_csr(good.encode()).public_bytes(serialization.Encoding.DER)
    flipped = bytearray(der)
    flipped[-5] ^= 0x01  # inside the signature
    tampered = x509.load_der_x509_csr(bytes(flipped)).public_bytes(serialization.Encoding.PEM).decode()
    rsa_1024 = rsa.generate_private_key(65537, 1024)
    cases = {
        "bad signature": (tampered, "签名不正确"),
        "RSA-1024": (csr_pem(rsa_1024), "RSA-3072"),
        "P-384": (csr_pem(ec.generate_private_key(ec.SECP384R1())), "P-256"),
        "garbage": ("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n", "格式不正确"),
    }
    for what, (pem, words) in cases.items():
        r = client.post(CERTS, json={"csr": pem}, headers=bearer(approver))
        assert r.status_code == 400, what
        assert words in r.json()["detail"]["message"], (what, r.text)
    big = client.post(CERTS, json={"csr": "A" * (1 << 20)}, headers=bearer(approver))
    assert 400 <= big.status_code < 500
    junk = client.post(CERTS, content=b"\xff\x00not json", headers={**bearer(approver),
                                                                   "content-type": "application/json"})
    assert 400 <= junk.status_code < 500
    assert client.post(CERTS, json={"csr": good}).status_code == 401
    assert _serials(client, approver) == before


def test_revocation_reaches_the_crl_over_http_and_the_feed(client: httpx.Client,
                                                           platform: PlatformProcess) -> None:  # noqa: F811
    _, issuing = _roots(client)
    approver, admin = token(client, COUNTY, "approver"), token(client, COUNTY, "admin")
    serial = client.post(CERTS, json={"csr": csr_pem(ec.generate_private_key(ec.SECP256R1()))},
                         headers=bearer(approver)).json()["serial"]
    r = client.get("/pki/crl")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pkix-crl"
    crl = x509.load_der_x509_crl(r.content)
    assert crl.is_signature_valid(issuing.public_key()) and crl.next_update_utc is not None
    assert crl.get_revoked_certificate_by_serial_number(int(serial, 16)) is None

    refused = client.post(f"{CERTS}/{serial}/revoke", json={"reason": "key_compromise"}, headers=bearer(approver))
    assert refused.status_code == 403
    other = token(client, TOWNSHIP, "admin")
    assert client.post(f"{CERTS}/{serial}/revoke", json={}, headers=bearer(other)).status_code == 404
    done = client.post(f"{CERTS}/{serial}/revoke", json={"reason": "key_compromise"}, headers=bearer(admin))
    assert done.status_code == 200, done.text

    crl = x509.load_der_x509_crl(client.get("/pki/crl").content)
    entry = crl.get_revoked_certificate_by_serial_number(int(serial, 16))
    assert entry is not None
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason is x509.ReasonFlags.key_compromise
    fed = [e["body"] for e in feed(client, token(client, TOWNSHIP)) if e["kind"] == "crl"]
    last = x509.load_der_x509_crl(base64.b64decode(fed[-1]["crl"]))
    assert last.is_signature_valid(issuing.public_key())
    assert last.get_revoked_certificate_by_serial_number(int(serial, 16)) is not None

    # The command line revokes too, and lists.
    serial2 = client.post(CERTS, json={"csr": csr_pem(ec.generate_private_key(ec.SECP256R1()))},
                          headers=bearer(approver)).json()["serial"]
    run = subprocess.run([sys.executable, "-m", "city_platform", "ca", "revoke", serial2, "--reason", "superseded",
                          "--pki", str(platform.pki), "--db", platform.db_url],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    crl = x509.load_der_x509_crl(client.get("/pki/crl").content)
    assert crl.get_revoked_certificate_by_serial_number(int(serial2, 16)) is not None
    listed = subprocess.run([sys.executable, "-m", "city_platform", "ca", "list", "--db", platform.db_url],
                            capture_output=True, text=True, timeout=60)
    assert serial2 in listed.stdout and "已吊销（superseded）" in listed.stdout


def test_the_ca_keys_are_private_files(platform: PlatformProcess) -> None:  # noqa: F811
    assert stat.S_IMODE(os.stat(platform.pki).st_mode) == 0o700
    for name in ("root.key", "issuing.key", "tsa.key"):
        assert stat.S_IMODE(os.stat(platform.pki / name).st_mode) == 0o600
    assert b"PRIVATE KEY" not in platform.log_path.read_bytes()


def _openssl(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_the_tsa_answers_openssl_and_openssl_verifies_it(client: httpx.Client, tmp_path: Path) -> None:
    root, issuing = _roots(client)
    (tmp_path / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "chain.pem").write_bytes(issuing.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "f").write_bytes("受理通知书 第一页".encode() * 100)
    made = _openssl("ts", "-query", "-data", "f", "-sha256", "-cert", "-out", "q.tsq", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    r = client.post("/pki/tsa", content=(tmp_path / "q.tsq").read_bytes(),
                    headers={"content-type": "application/timestamp-query"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/timestamp-reply"
    (tmp_path / "r.tsr").write_bytes(r.content)
    shown = _openssl("ts", "-reply", "-in", "r.tsr", "-text", cwd=tmp_path)
    assert "Status: Granted." in shown.stdout and "Nonce:" in shown.stdout, shown.stdout
    ok = _openssl("ts", "-verify", "-in", "r.tsr", "-queryfile", "q.tsq", "-CAfile", "root.pem",
                  "-untrusted", "chain.pem", cwd=tmp_path)
    assert "Verification: OK" in ok.stdout, ok.stdout + ok.stderr
    (tmp_path / "f").write_bytes("受理通知书 第二页".encode() * 100)  # the data is not what was stamped
    bad = _openssl("ts", "-verify", "-in", "r.tsr", "-data", "f", "-CAfile", "root.pem", "-untrusted", "chain.pem",
                   cwd=tmp_path)
    assert bad.returncode != 0 and "Verification: OK" not in bad.stdout


def test_the_tsa_rejects_what_it_cannot_stamp_without_a_server_error(client: httpx.Client, tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"data")
    _openssl("ts", "-query", "-data", "f", "-sha1", "-cert", "-out", "sha1.tsq", cwd=tmp_path)
    _openssl("ts", "-query", "-data", "f", "-sha256", "-tspolicy", "1.2.3.4", "-out", "policy.tsq", cwd=tmp_path)
    hostile = {"garbage": b"\x30\x03\x02\x01", "sha1": (tmp_path / "sha1.tsq").read_bytes(),
               "policy": (tmp_path / "policy.tsq").read_bytes(), "huge": b"\x30" + b"\x00" * 100_000}
    for what, body in hostile.items():
        r = client.post("/pki/tsa", content=body, headers={"content-type": "application/timestamp-query"})
        assert r.status_code == 200, what
        (tmp_path / f"{what}.tsr").write_bytes(r.content)
        shown = _openssl("ts", "-reply", "-in", f"{what}.tsr", "-text", cwd=tmp_path)
        assert "Status: Rejected" in shown.stdout, (what, shown.stdout, shown.stderr)
    wrong_type = client.post("/pki/tsa", content=b"x", headers={"content-type": "text/plain"})
    assert wrong_type.status_code == 415
