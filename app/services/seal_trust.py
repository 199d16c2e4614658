"""The trust material for checking seals, as the data folder holds it.

Contract with the code that syncs the platform's PKI (it writes, this reads)::

    <data_dir>/pki/roots/*.pem|*.crt|*.der          the platform's root CA certificates
    <data_dir>/pki/intermediates/*.pem|*.crt|*.der   issuing CA certificates (optional)
    <data_dir>/pki/crls/*.crl|*.pem|*.der            the latest CRL of each CA (PEM or DER)

A PEM file may hold several certificates. Files are public data (no key, nothing personal), so
they are read without signing in; a file that does not parse is skipped and logged, so one bad
download does not stop every check. Offline, the CRLs are the last ones synced: the report says
which CRL each revocation state is read from.
"""

from __future__ import annotations

import logging
from pathlib import Path

from cryptography import x509

from app.core.errors import UserError
from app.documents.trust_material import TrustMaterial
from app.services.context import AppContext

log = logging.getLogger("services")

__all__ = ["PKI_DIR", "TrustMaterial", "load_certificates", "load_crl", "trust_material", "trust_material_at"]

PKI_DIR = "pki"
#: a trust file bigger than this is not a certificate or a CRL of ours
_MAX_FILE = 20 * 1024 * 1024
_MAX_FILES = 500
_CERT_SUFFIXES = (".pem", ".crt", ".cer", ".der")
_CRL_SUFFIXES = (".crl", ".pem", ".der")


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > _MAX_FILE:
            raise UserError("文件“{path}”过大，不是证书或吊销列表", path=path, log=f"trust file too big: {path}")
        return path.read_bytes()
    except OSError as e:
        raise UserError("无法读取“{path}”：{reason}", path=path, reason=e.strerror or e,
                        log=f"trust file unreadable: {path}: {e!r}") from e


def load_certificates(path: Path) -> list[x509.Certificate]:
    """The certificates in a PEM (one or more) or DER file; UserError if there is none."""
    data = _read(path)
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as e:
        raise UserError("“{path}”不是证书文件（PEM 或 DER）", path=path, log=f"not a certificate: {path}: {e}") from e


def load_crl(path: Path) -> x509.CertificateRevocationList:
    """A CRL from a PEM or DER file; UserError if it is not one."""
    data = _read(path)
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_crl(data)
        return x509.load_der_x509_crl(data)
    except ValueError as e:
        raise UserError("“{path}”不是吊销列表文件（CRL，PEM 或 DER）", path=path,
                        log=f"not a CRL: {path}: {e}") from e


def _files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in suffixes and p.is_file())[:_MAX_FILES]


def _certs_in(folder: Path) -> tuple[x509.Certificate, ...]:
    out: list[x509.Certificate] = []
    for path in _files(folder, _CERT_SUFFIXES):
        try:
            out += load_certificates(path)
        except UserError as e:
            log.warning("skipping trust file: %s", e.log)
    return tuple(out)


def trust_material_at(data_dir: Path) -> TrustMaterial:
    """The roots, intermediates and CRLs under ``data_dir``/pki (empty if there are none)."""
    base = data_dir / PKI_DIR
    crls: list[x509.CertificateRevocationList] = []
    for path in _files(base / "crls", _CRL_SUFFIXES):
        try:
            crls.append(load_crl(path))
        except UserError as e:
            log.warning("skipping CRL file: %s", e.log)
    return TrustMaterial(_certs_in(base / "roots"), _certs_in(base / "intermediates"), tuple(crls))


def trust_material(ctx: AppContext) -> TrustMaterial:
    """The data folder's trust material (see the module docstring for where the files are)."""
    return trust_material_at(ctx.data_dir)
