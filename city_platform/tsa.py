"""An RFC 3161 time-stamping authority: a TimeStampReq in, a TimeStampResp out.

Ours, minimal, on asn1crypto and cryptography. pyHanko's ``DummyTimeStamper`` was checked and is
not fit to serve: it signs with RSA keys only (our TSA key is EC P-256), ignores ``certReq`` (it
always embeds the certificate), takes the time from the local zone, and is documented as a test
device. What is here: SHA-256/384/512 imprints only, the request's nonce echoed, a random 128-bit
serial, accuracy of one second, our one policy (a request naming another is refused), the TSA
certificate embedded when asked, ESS signing-certificate-v2 (RFC 5816). Anything it cannot read
is answered with a TimeStampResp of status ``rejection`` and a failure reason, never an error page.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from city_platform.ca import CertificateAuthority

log = logging.getLogger("platform.tsa")

#: a request is ~60-120 bytes (more with extensions); anything past this is not one
MAX_REQUEST = 4096
#: the policy every token is issued under (an OID of this reference platform)
POLICY = "1.3.6.1.4.1.59999.3161.1"
_DIGESTS = {"sha256": 32, "sha384": 48, "sha512": 64}


class _Refusal(core.Sequence):  # type: ignore[misc]
    """A TimeStampResp without a token: asn1crypto's own declares the token required (RFC 3161 has it optional)."""

    _fields = [("status", tsp.PKIStatusInfo)]  # noqa: RUF012 - asn1crypto reads this class attribute


def _rejection(failure: str, text: str) -> bytes:
    status = tsp.PKIStatusInfo({"status": "rejection", "status_string": [text],
                                "fail_info": tsp.PKIFailureInfo({failure})})
    der: bytes = _Refusal({"status": status}).dump()
    return der


def respond(ca: CertificateAuthority, data: bytes, now: dt.datetime | None = None) -> bytes:
    """The DER TimeStampResp for the DER TimeStampReq ``data`` (hostile input)."""
    if len(data) > MAX_REQUEST:
        return _rejection("bad_data_format", "request too large")
    try:
        req = tsp.TimeStampReq.load(data, strict=True)
        version = req["version"].native
        imprint = req["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"].native
        digest = imprint["hashed_message"].native
        policy = req["req_policy"].native
        nonce = req["nonce"].native
        cert_req = bool(req["cert_req"].native)
        has_extensions = req["extensions"].native is not None
    except (ValueError, TypeError, KeyError, OverflowError) as e:
        log.info("timestamp request refused: unreadable (%s)", type(e).__name__)
        return _rejection("bad_data_format", "unreadable request")
    if version != "v1":
        return _rejection("bad_request", "unsupported version")
    if algorithm not in _DIGESTS:
        return _rejection("bad_alg", "only SHA-256, SHA-384 and SHA-512 are accepted")
    if not isinstance(digest, bytes) or len(digest) != _DIGESTS[algorithm]:
        return _rejection("bad_data_format", "digest length does not match its algorithm")
    if policy is not None and policy != POLICY:
        return _rejection("unaccepted_policy", "unknown policy")
    if has_extensions:
        return _rejection("unaccepted_extension", "extensions are not supported")
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    info = {
        "version": "v1", "policy": POLICY,
        "message_imprint": tsp.MessageImprint({"hash_algorithm": algos.DigestAlgorithm({"algorithm": algorithm}),
                                               "hashed_message": digest}),
        "serial_number": int.from_bytes(secrets.token_bytes(16), "big") >> 1,
        "gen_time": now, "accuracy": tsp.Accuracy({"seconds": 1}),
    }
    if nonce is not None:
        info["nonce"] = nonce
    tst_info = tsp.TSTInfo(info)
    token = _sign(ca, tst_info.dump(), now, cert_req)
    granted = tsp.PKIStatusInfo({"status": "granted"})
    return tsp.TimeStampResp({"status": granted, "time_stamp_token": token}).dump()  # type: ignore[no-any-return]


def _sign(ca: CertificateAuthority, content: bytes, now: dt.datetime, cert_req: bool) -> cms.ContentInfo:
    tsa_cert = asn1_x509.Certificate.load(ca.tsa.public_bytes(serialization.Encoding.DER))
    digest = hashes.Hash(hashes.SHA256())
    digest.update(content)
    cert_hash = hashes.Hash(hashes.SHA256())
    cert_hash.update(tsa_cert.dump())
    signing_cert = tsp.SigningCertificateV2({"certs": [tsp.ESSCertIDv2({
        "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}), "cert_hash": cert_hash.finalize(),
        "issuer_serial": tsp.IssuerSerial({
            "issuer": [asn1_x509.GeneralName({"directory_name": tsa_cert.issuer})],
            "serial_number": tsa_cert.serial_number}),
    })]})
    attrs = cms.CMSAttributes([
        cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
        cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": core.UTCTime(now)})]}),
        cms.CMSAttribute({"type": "message_digest", "values": [digest.finalize()]}),
        cms.CMSAttribute({"type": "signing_certificate_v2", "values": [signing_cert]}),
    ])
    signature = ca.tsa_key.sign(attrs.dump(), ec.ECDSA(hashes.SHA256()))
    sha256 = algos.DigestAlgorithm({"algorithm": "sha256"})
    signer = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber({
            "issuer": tsa_cert.issuer, "serial_number": tsa_cert.serial_number})}),
        "digest_algorithm": sha256,
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
        "signed_attrs": attrs, "signature": signature,
    })
    signed = {
        "version": "v3", "digest_algorithms": [sha256],
        "encap_content_info": cms.EncapsulatedContentInfo({"content_type": "tst_info",
                                                           "content": cms.ParsableOctetString(content)}),
        "signer_infos": [signer],
    }
    if cert_req:
        # The issuing CA too: a verifier holding only the platform's root can then build the TSA's path
        # (RFC 3161 2.4.1 lets the token carry other certificates).
        issuing = asn1_x509.Certificate.load(ca.issuing.public_bytes(serialization.Encoding.DER))
        signed["certificates"] = [cms.CertificateChoices({"certificate": tsa_cert}),
                                  cms.CertificateChoices({"certificate": issuing})]
    return cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(signed)})
