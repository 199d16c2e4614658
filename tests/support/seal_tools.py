"""The independent checkers of a seal, run as a user would: poppler's ``pdfsig`` over an NSS database
holding the root (and CRLs), and ``pyhanko sign validate``; plus the notices and credentials the
seal tests share.

``pdfsig``'s wording differs between poppler versions; :func:`pdfsig` keeps each signature's
``- Key: Value`` lines and bare lines, and the checks look for the phrases poppler 22 prints
("Signature is Valid.", "Total document signed", "Certificate has been Revoked.").
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from app.core.notice_kinds import NoticeKind
from app.documents.notice_model import NoticeDetails, NoticeMaterial, UnitHeader
from app.documents.seal_credentials import SealCredentials
from tests.support.pki import Issued, SealPKI

TOWNSHIP = "万秀区城东镇便民服务中心"
COUNTY = "梧州市万秀区行政审批局"
#: the notices that carry the unit's seal
SEALED_KINDS = (NoticeKind.ACCEPTANCE, NoticeKind.REJECTION, NoticeKind.ONE_TIME, NoticeKind.CORRECTION)


def notice_details(kind: NoticeKind, unit: str = TOWNSHIP) -> NoticeDetails:
    return NoticeDetails(
        kind=kind,
        unit=UnitHeader(unit, "梧州市万秀区城东镇东兴路1号", "0774-3822001", "12345", "办公时间：周一至周五"),
        case_no="12450403MB19041020261207010007", item_name="城乡居民基本养老保险参保登记", applicant_name="韦秀英",
        received_on=dt.date(2026, 12, 7), issued_at=dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC), clerk="黄丽",
        materials=(NoticeMaterial("参保登记表", 2, "缺少申请人签名"), NoticeMaterial("户口簿", 0, "未提交首页")),
        accepted_on=dt.date(2026, 12, 7), promised_days=3, deadline=dt.date(2026, 12, 10),
        progress_url="https://zwfw.wuzhou.example.cn/progress/x?code=ABCDEFGHIJ", query_code="ABCDEFGHIJ",
        reason="申请人不符合参保条件（已参加城镇职工基本养老保险）")


def credentials(pki: SealPKI, unit: str, credit_code: str, *, signer: str = "黄丽",
                seal_name: str = "行政审批专用章", valid_for: dt.timedelta | None = None
                ) -> tuple[SealCredentials, Issued]:
    issued = (pki.seal_cert(unit, seal_name, credit_code) if valid_for is None
              else pki.seal_cert(unit, seal_name, credit_code, valid_for=valid_for,
                                 not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=2)))
    return SealCredentials(issued.key, issued.cert, pki.chain, unit, seal_name, signer), issued


def write_pem(path: Path, *certs: x509.Certificate) -> Path:
    path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))
    return path


def write_crl(path: Path, crl: x509.CertificateRevocationList) -> Path:
    path.write_bytes(crl.public_bytes(serialization.Encoding.DER))
    return path


def nss_db(folder: Path, pki: SealPKI, crls: list[x509.CertificateRevocationList] = ()) -> str:  # type: ignore[assignment]
    """An NSS database trusting the root for signatures (``,C,``: poppler verifies for e-mail
    signing, so ``C,,``, SSL only, leaves the chain untrusted), the issuing CA, and ``crls``."""
    return nss_db_of(folder, pki.root.cert, pki.issuing.cert, crls)


def nss_db_of(folder: Path, root: x509.Certificate, issuing: x509.Certificate,
              crls: list[x509.CertificateRevocationList] = ()) -> str:  # type: ignore[assignment]
    """:func:`nss_db` for any root and issuing CA (the platform's)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = f"sql:{folder}"
    subprocess.run(["certutil", "-N", "-d", db, "--empty-password"], check=True, capture_output=True, timeout=60)
    for nick, cert, trust in (("root", root, ",C,"), ("issuing", issuing, ",,")):
        pem = write_pem(folder / f"{nick}.pem", cert)
        subprocess.run(["certutil", "-A", "-d", db, "-n", nick, "-t", trust, "-i", str(pem)], check=True,
                       capture_output=True, timeout=60)
    for i, crl in enumerate(crls):
        path = write_crl(folder / f"{i}.crl", crl)
        subprocess.run(["crlutil", "-I", "-d", db, "-i", str(path)], check=True, capture_output=True, timeout=60)
    return db


@dataclass
class PdfsigSignature:
    fields: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return "Signature is Valid" in self.fields.get("Signature Validation", "")

    @property
    def trusted(self) -> bool:
        return "Certificate is Trusted" in self.fields.get("Certificate Validation", "")

    @property
    def revoked(self) -> bool:
        return "Revoked" in self.fields.get("Certificate Validation", "")

    @property
    def whole_document(self) -> bool:
        return any("Total document signed" in line for line in self.lines)


def pdfsig(db: str, pdf: Path) -> list[PdfsigSignature]:
    out = subprocess.run(["pdfsig", "-nssdir", db, str(pdf)], capture_output=True, text=True, timeout=120)
    sigs: list[PdfsigSignature] = []
    for raw in out.stdout.splitlines():
        if re.match(r"^Signature #\d+:", raw):
            sigs.append(PdfsigSignature())
        elif sigs and raw.strip().startswith("- "):
            text = raw.strip()[2:]
            sigs[-1].lines.append(text)
            key, sep, value = text.partition(": ")
            if sep:
                sigs[-1].fields[key] = value
    return sigs


def pyhanko_validate(pdf: Path, root: Path, *extra: str) -> tuple[int, str]:
    """``pyhanko sign validate`` on ``pdf`` trusting only ``root``; (exit code, output)."""
    cli = Path(sys.executable).with_name("pyhanko")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    r = subprocess.run([str(cli), "sign", "validate", "--trust", str(root), "--trust-replace", *extra, str(pdf)],
                       capture_output=True, text=True, timeout=180, env=env)
    return r.returncode, r.stdout + r.stderr


def flip_byte_in_signed_range(pdf: bytes) -> bytes:
    """One byte changed in the middle of the first content stream (inside every seal's range)."""
    at = pdf.index(b"stream\n") + 7 + 40
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1:]
