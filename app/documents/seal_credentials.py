"""What it takes to put a unit's e-seal on a PDF: the signing key, its certificate chain, and who applies it.

The key is made on this PC and never leaves it (the store keeps it in the encrypted database);
the certificate comes from the platform's CA. The signing code (:mod:`app.documents.pades`)
takes these and nothing else, so the window, the command line and the tests all seal the same way.

``family`` leaves room for a second algorithm family: national-algorithm seals (SM2/SM3,
GB/T 38540) have no maintained Python implementation today (see ``docs/sm2.md``), and a
credential of that family is refused rather than signed weakly.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa


class SealFamily(enum.StrEnum):
    """The algorithm family of a seal's key."""

    #: ECDSA P-256 or RSA-3072 with SHA-256: PAdES through pyHanko
    NIST = "nist"
    #: SM2 with SM3 (GB/T 38540 SES_Signature): not implemented, refused
    SM2 = "sm2"


SealKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


@dataclass(frozen=True)
class SealCredentials:
    """A unit's seal as one PC holds it."""

    key: SealKey
    #: the unit's seal certificate, issued by the platform's CA
    certificate: x509.Certificate
    #: the issuing CA's certificate first, then up to the root
    chain: tuple[x509.Certificate, ...]
    #: the unit's name as it is drawn around the seal's rim (the certificate's subject O)
    unit_name: str
    #: the seal's name drawn below the star, e.g. 行政审批专用章
    seal_name: str
    #: the signed-in person who applies the seal (recorded in the signature as its signer)
    signer: str
    family: SealFamily = SealFamily.NIST
