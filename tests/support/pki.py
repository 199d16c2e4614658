"""A throw-away CA and server certificates, made at run time (none is ever committed)."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.support.platform import ServerTLS


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "梧州市政务服务测试"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))


@dataclass(frozen=True)
class TestCA:
    """A CA (a private one, as a government intranet runs) that issues server certificates."""

    __test__ = False  # not a test class, whatever its name

    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    ca_file: Path

    @classmethod
    def create(cls, folder: Path, name: str = "Chuangkou Test Root CA") -> TestCA:
        folder.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        cert = (x509.CertificateBuilder().subject_name(_name(name)).issuer_name(_name(name))
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                             content_commitment=False, key_encipherment=False,
                                             data_encipherment=False, key_agreement=False, encipher_only=False,
                                             decipher_only=False), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .sign(key, hashes.SHA256()))
        ca_file = folder / "ca.pem"
        ca_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return cls(key, cert, ca_file)

    def issue(self, folder: Path, hosts: list[str], stem: str = "server") -> ServerTLS:
        """A server certificate for ``hosts`` (names or IP addresses), with its key, as files."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        names: list[x509.GeneralName] = []
        for host in hosts:
            try:
                names.append(x509.IPAddress(ipaddress.ip_address(host)))
            except ValueError:
                names.append(x509.DNSName(host))
        cert = (x509.CertificateBuilder().subject_name(_name(hosts[0])).issuer_name(self.cert.subject)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
                .add_extension(x509.SubjectAlternativeName(names), critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                               critical=False)
                .sign(self.key, hashes.SHA256()))
        certfile, keyfile = folder / f"{stem}.pem", folder / f"{stem}.key"
        certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        _write_key(key, keyfile)
        return ServerTLS(certfile=certfile, keyfile=keyfile, ca_file=self.ca_file)


# -- a seal PKI: root, issuing CA, unit seal certificates, a TSA, CRLs -------------------------------
#
# Generic on purpose: the platform's CA (city_platform) can stand in for it later. Everything is
# EC P-256 (fast to make); the validity periods are parameters so a test can make a certificate
# that has expired by the time it validates.

_YEAR = dt.timedelta(days=365)


def _ku(*, sign: bool = False, nonrep: bool = False, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=sign, content_commitment=nonrep, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


def _cn_name(org: str, common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _crl_dp(url: str) -> x509.CRLDistributionPoints:
    return x509.CRLDistributionPoints([x509.DistributionPoint(
        full_name=[x509.UniformResourceIdentifier(url)], relative_name=None, reasons=None, crl_issuer=None)])


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@dataclass(frozen=True)
class Issued:
    """A key and its certificate."""

    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    cert: x509.Certificate


@dataclass(frozen=True)
class SealPKI:
    """A root and an issuing CA for unit seals and a TSA, with CRLs published at ``crl_base`` URLs.

    ``crl_base`` is where a test serves the CRLs over HTTP (``root.crl`` and ``issuing.crl``),
    the way the platform publishes them; certificates carry those URLs as CRL distribution points.
    """

    __test__ = False

    root: Issued
    issuing: Issued
    crl_base: str

    ROOT_CRL = "root.crl"
    ISSUING_CRL = "issuing.crl"

    @classmethod
    def create(cls, crl_base: str = "http://127.0.0.1:9/crl/", name: str = "窗口测试政务根CA") -> SealPKI:
        now = dt.datetime.now(dt.UTC)
        root_key = ec.generate_private_key(ec.SECP256R1())
        root_name = _cn_name("窗口测试电子认证", name)
        root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
                .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=2)).not_valid_after(now + 20 * _YEAR)
                .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
                .add_extension(_ku(ca=True), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
                .sign(root_key, hashes.SHA256()))
        issuing_key = ec.generate_private_key(ec.SECP256R1())
        issuing = (x509.CertificateBuilder().subject_name(_cn_name("窗口测试电子认证", name + " 电子印章签发CA"))
                   .issuer_name(root.subject).public_key(issuing_key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(days=2)).not_valid_after(now + 10 * _YEAR)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                   .add_extension(_ku(ca=True), critical=True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(issuing_key.public_key()),
                                  critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                                  critical=False)
                   .add_extension(_crl_dp(crl_base + cls.ROOT_CRL), critical=False)
                   .sign(root_key, hashes.SHA256()))
        return cls(Issued(root_key, root), Issued(issuing_key, issuing), crl_base)

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """The issuing CA, then the root (the order :class:`SealCredentials` takes)."""
        return (self.issuing.cert, self.root.cert)

    def _leaf(self, subject: x509.Name, key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey, not_before: dt.datetime,
              not_after: dt.datetime) -> x509.CertificateBuilder:
        return (x509.CertificateBuilder().subject_name(subject).issuer_name(self.issuing.cert.subject)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(not_before).not_valid_after(not_after)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.issuing.key.public_key()),
                               critical=False)
                .add_extension(_crl_dp(self.crl_base + self.ISSUING_CRL), critical=False))

    def seal_cert(self, unit_name: str, seal_name: str, credit_code: str, *,
                  valid_for: dt.timedelta = _YEAR, not_before: dt.datetime | None = None) -> Issued:
        """A unit's seal certificate: O = the unit, CN = unit + seal, the credit code as organizationIdentifier."""
        key = ec.generate_private_key(ec.SECP256R1())
        start = not_before or dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
        subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                             x509.NameAttribute(NameOID.ORGANIZATION_NAME, unit_name),
                             x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, credit_code),
                             x509.NameAttribute(NameOID.COMMON_NAME, unit_name + seal_name)])
        cert = (self._leaf(subject, key, start, start + valid_for)
                .add_extension(_ku(sign=True, nonrep=True), critical=True)
                .sign(self.issuing.key, hashes.SHA256()))
        return Issued(key, cert)

    def tsa_cert(self, name: str = "窗口测试时间戳服务") -> Issued:
        """A time-stamping unit's certificate (EKU timeStamping, critical, as RFC 3161 asks).

        RSA-2048: pyHanko's responder (``DummyTimeStamper``) signs with RSA only."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = dt.datetime.now(dt.UTC)
        cert = (self._leaf(_cn_name("窗口测试电子认证", name), key, now - dt.timedelta(days=2), now + 5 * _YEAR)
                .add_extension(_ku(sign=True, nonrep=True), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
                .sign(self.issuing.key, hashes.SHA256()))
        return Issued(key, cert)

    def _crl(self, ca: Issued, revoked: list[tuple[x509.Certificate, dt.datetime]],
             this_update: dt.datetime | None, valid_for: dt.timedelta) -> x509.CertificateRevocationList:
        start = this_update or dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
        builder = (x509.CertificateRevocationListBuilder().issuer_name(ca.cert.subject)
                   .last_update(start).next_update(start + valid_for)
                   .add_extension(x509.CRLNumber(x509.random_serial_number() >> 100), critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
                                  critical=False))
        for cert, when in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(cert.serial_number).revocation_date(when)
                .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False).build())
        return builder.sign(ca.key, hashes.SHA256())

    def issuing_crl(self, revoked: list[tuple[x509.Certificate, dt.datetime]] | None = None, *,
                    this_update: dt.datetime | None = None,
                    valid_for: dt.timedelta = dt.timedelta(days=7)) -> x509.CertificateRevocationList:
        """The issuing CA's CRL, listing ``revoked`` (certificate, revocation time)."""
        return self._crl(self.issuing, revoked or [], this_update, valid_for)

    def root_crl(self, *, this_update: dt.datetime | None = None,
                 valid_for: dt.timedelta = dt.timedelta(days=30)) -> x509.CertificateRevocationList:
        """The root's CRL (the issuing CA is not revoked)."""
        return self._crl(self.root, [], this_update, valid_for)
