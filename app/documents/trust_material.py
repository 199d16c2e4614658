"""What a seal is checked against: the platform's root certificates, intermediate CA certificates, and
the CRLs the caller holds (the platform publishes them; offline, the last one synced).

:class:`TrustMaterial` is built from files by :mod:`app.services.seal_trust` (or the command line's
``--trust-root``/``--crl``) and turned into a pyHanko validation context that never fetches
anything: a verifier that waits on the network would hang the counter when the link is down.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko_certvalidator import ValidationContext


def asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def asn1_crl_of(crl: x509.CertificateRevocationList) -> asn1_crl.CertificateList:
    return asn1_crl.CertificateList.load(crl.public_bytes(serialization.Encoding.DER))


@dataclass(frozen=True)
class TrustMaterial:
    """Trust roots, intermediate CA certificates and CRLs, already parsed."""

    roots: tuple[x509.Certificate, ...] = ()
    intermediates: tuple[x509.Certificate, ...] = ()
    crls: tuple[x509.CertificateRevocationList, ...] = ()

    def with_crls(self, more: Iterable[x509.CertificateRevocationList]) -> TrustMaterial:
        return TrustMaterial(self.roots, self.intermediates, (*self.crls, *more))

    def validation_context(self, *, moment: dt.datetime | None = None, revocation: str = "soft-fail",
                           retroactive: bool = False, extra_certs: Iterable[x509.Certificate] = ()
                           ) -> ValidationContext:
        """A pyHanko context over this material, with fetching disabled.

        ``revocation`` is pyHanko's mode: ``soft-fail`` accepts a certificate no CRL speaks
        about, ``hard-fail`` refuses one whose CRL is missing or stale, ``require`` insists on a CRL.
        """
        return ValidationContext(
            trust_roots=[asn1_cert(c) for c in self.roots],
            other_certs=[asn1_cert(c) for c in (*self.intermediates, *extra_certs)],
            crls=[asn1_crl_of(c) for c in self.crls],
            allow_fetching=False, revocation_mode=revocation, moment=moment, retroactive_revinfo=retroactive)
