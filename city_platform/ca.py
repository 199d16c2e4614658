"""The platform's certificate authority: a root, an issuing CA under it, and the TSA's certificate.

Made once at platform set-up (``python -m city_platform ca init``, or ``serve --demo``) into the
platform's PKI folder: each private key a PKCS#8 PEM file of mode 0600 in a folder of mode 0700,
never logged, never in the repository. Everything is built with ``cryptography``'s x509 builders.

A unit's seal certificate is issued from a CSR the unit's PC made (the key never leaves it). The
CSR is only a proof of possession of a key of an accepted kind: every name and extension it asks
for is ignored, and the platform writes the subject (the unit's name and credit code) itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

#: the largest CSR (PEM or DER) taken; an RSA-3072 CSR in PEM is about 1.5 KB
MAX_CSR = 8 * 1024
#: the reasons a certificate may be revoked for, as the CLI and the API name them
REASONS = {
    "unspecified": x509.ReasonFlags.unspecified,
    "key_compromise": x509.ReasonFlags.key_compromise,
    "superseded": x509.ReasonFlags.superseded,
    "cessation_of_operation": x509.ReasonFlags.cessation_of_operation,
    "affiliation_changed": x509.ReasonFlags.affiliation_changed,
}
_ORG = "市级政务服务平台"
_ROOT_DAYS, _ISSUING_DAYS, _TSA_DAYS = 20 * 365, 10 * 365, 5 * 365

SealKeyPublic = ec.EllipticCurvePublicKey | rsa.RSAPublicKey
CAKey = ec.EllipticCurvePrivateKey


class CSRRefused(ValueError):
    """A CSR the platform will not certify; ``message`` is the Chinese reason the requester reads."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(detail)
        self.message = message


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, _ORG),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _key_usage(*, sign: bool = False, cert_sign: bool = False, non_repudiation: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=sign, content_commitment=non_repudiation, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign, crl_sign=cert_sign,
                         encipher_only=False, decipher_only=False)


def _write_key(path: Path, key: CAKey) -> None:
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _load_key(path: Path) -> CAKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise RuntimeError(f"{path.name}: not an EC key")
    return key


def spki_sha256(key: SealKeyPublic) -> str:
    """The SHA-256 of a public key's SubjectPublicKeyInfo: one key, one name."""
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def check_csr(data: bytes) -> x509.CertificateSigningRequest:
    """A CSR whose signature verifies over a key of an accepted kind (EC P-256 or RSA-3072), or CSRRefused."""
    if len(data) > MAX_CSR:
        raise CSRRefused("证书申请内容过大", f"CSR of {len(data)} bytes")
    try:
        csr = (x509.load_pem_x509_csr(data) if data.lstrip().startswith(b"-----BEGIN")
               else x509.load_der_x509_csr(data))
        key = csr.public_key()
        valid = csr.is_signature_valid
    except (ValueError, TypeError, x509.UnsupportedGeneralNameType) as e:
        raise CSRRefused("证书申请（CSR）格式不正确，无法读取", f"unreadable CSR: {e}") from None
    if isinstance(key, ec.EllipticCurvePublicKey):
        if not isinstance(key.curve, ec.SECP256R1):
            raise CSRRefused("只接受 ECDSA P-256 或 RSA-3072 密钥的证书申请", f"EC curve {key.curve.name}")
    elif isinstance(key, rsa.RSAPublicKey):
        if key.key_size != 3072 or key.public_numbers().e != 65537:
            raise CSRRefused("只接受 ECDSA P-256 或 RSA-3072 密钥的证书申请", f"RSA-{key.key_size}")
    else:
        raise CSRRefused("只接受 ECDSA P-256 或 RSA-3072 密钥的证书申请", f"key type {type(key).__name__}")
    if not valid:
        raise CSRRefused("证书申请的签名不正确（申请与密钥不符）", "CSR signature does not verify")
    return csr


@dataclass(frozen=True)
class CertificateAuthority:
    """The root and issuing CA, and the TSA's key and certificate, as kept in one folder."""

    folder: Path
    root: x509.Certificate
    issuing: x509.Certificate
    issuing_key: CAKey
    tsa: x509.Certificate
    tsa_key: CAKey

    FILES = ("root.key", "root.pem", "issuing.key", "issuing.pem", "tsa.key", "tsa.pem")

    @classmethod
    def exists(cls, folder: Path) -> bool:
        return (folder / "issuing.pem").is_file()

    @classmethod
    def load(cls, folder: Path) -> CertificateAuthority:
        def cert(name: str) -> x509.Certificate:
            return x509.load_pem_x509_certificate((folder / name).read_bytes())

        return cls(folder, cert("root.pem"), cert("issuing.pem"), _load_key(folder / "issuing.key"),
                   cert("tsa.pem"), _load_key(folder / "tsa.key"))

    @classmethod
    def init(cls, folder: Path, now: dt.datetime | None = None) -> CertificateAuthority:
        """Make the root, the issuing CA and the TSA certificate; refuses a folder that has a CA."""
        if any((folder / n).exists() for n in cls.FILES):
            raise FileExistsError(f"{folder} already holds a CA")
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        now = now or dt.datetime.now(dt.UTC)
        root_key, issuing_key, tsa_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
        root_name = _name("政务服务平台根CA")
        root = (_builder(root_name, root_name, root_key.public_key(), now, _ROOT_DAYS)
                .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
                .add_extension(_key_usage(cert_sign=True), critical=True)
                .sign(root_key, hashes.SHA256()))
        issuing = (_builder(_name("政务服务平台签发CA"), root_name, issuing_key.public_key(), now, _ISSUING_DAYS)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                   .add_extension(_key_usage(cert_sign=True), critical=True)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                                  critical=False)
                   .sign(root_key, hashes.SHA256()))
        tsa = (_builder(_name("政务服务平台时间戳服务"), issuing.subject, tsa_key.public_key(), now, _TSA_DAYS)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(_key_usage(sign=True, non_repudiation=True), critical=True)
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuing_key.public_key()),
                              critical=False)
               .sign(issuing_key, hashes.SHA256()))
        for name, key in (("root.key", root_key), ("issuing.key", issuing_key), ("tsa.key", tsa_key)):
            _write_key(folder / name, key)
        for name, c in (("root.pem", root), ("issuing.pem", issuing), ("tsa.pem", tsa)):
            (folder / name).write_bytes(c.public_bytes(serialization.Encoding.PEM))
        return cls.load(folder)

    def bundle_pem(self) -> bytes:
        """The root and the issuing CA, PEM, root first (``GET /pki/ca``)."""
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (self.root, self.issuing))

    def chain_pem(self) -> list[str]:
        """The issuing CA then the root, as PEM text (what a certificate's chain is sent as)."""
        return [c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in (self.issuing, self.root)]

    def issue_seal(self, key: SealKeyPublic, *, unit_code: str, unit_name: str, seal_name: str, days: int,
                   crl_url: str, ca_url: str, now: dt.datetime) -> x509.Certificate:
        """A unit seal certificate for ``key``: subject, usages and validity are the platform's."""
        not_after = min(now + dt.timedelta(days=days), self.issuing.not_valid_after_utc)
        subject = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, unit_name),
            x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, unit_code),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{unit_name}{seal_name}"[:64]),
        ])
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(self.issuing.subject)
                   .public_key(key).serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(not_after)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(_key_usage(sign=True, non_repudiation=True), critical=True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(key), critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.issuing_key.public_key()),
                                  critical=False)
                   .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                       full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None, reasons=None,
                       crl_issuer=None)]), critical=False))
        if ca_url:
            builder = builder.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
                AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(ca_url))]),
                critical=False)
        return builder.sign(self.issuing_key, hashes.SHA256())

    def crl(self, revoked: list[tuple[int, dt.datetime, str]], now: dt.datetime, next_update_days: int) -> bytes:
        """A CRL (DER) of the issuing CA listing ``revoked`` (serial, when, reason name)."""
        builder = (x509.CertificateRevocationListBuilder().issuer_name(self.issuing.subject)
                   .last_update(now).next_update(now + dt.timedelta(days=next_update_days))
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.issuing_key.public_key()),
                                  critical=False)
                   .add_extension(x509.CRLNumber(int(now.timestamp() * 1000)), critical=False))
        for serial, when, reason in revoked:
            entry = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when)
            if reason != "unspecified":
                entry = entry.add_extension(x509.CRLReason(REASONS[reason]), critical=False)
            builder = builder.add_revoked_certificate(entry.build())
        return builder.sign(self.issuing_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def _builder(subject: x509.Name, issuer: x509.Name, key: SealKeyPublic, now: dt.datetime,
             days: int) -> x509.CertificateBuilder:
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key)
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key), critical=False))
