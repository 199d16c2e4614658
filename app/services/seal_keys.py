"""The unit's seal key and certificate on this PC: request, receive, renew, and hand to the sealing code.

The key is made here (EC P-256, or RSA-3072 with ``seal.key_type``) and kept only in the
encrypted database (:mod:`app.store.seal_keys`). A CSR goes to the platform's CA; the
certificate and its chain come back through the feed (kind ``certificate``) and are taken only
if they certify a key we hold, for our unit, with the seal's key usages, and chain to the root
we pinned. CRLs come through the feed too (kind ``crl``) and are taken only if the issuing CA
we trust signed them.

The root is pinned at the first sync from ``GET /pki/ca`` and never replaced from the network:
later answers are not asked for, a certificate or CRL under another root is set aside, and the
files under ``<data_dir>/pki`` (what the verifier reads) are written again from the database at
every sync, any other file in those folders removed. Replacing the root takes a new data folder.

Rotation: a renewal (the current certificate expires within ``seal.renew_days``) makes a new key
and asks for a certificate that ``supersedes`` the current one; the platform revokes the old one
as it issues the new one. A revoked current certificate makes a new request without that.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
from typing import Any

import sqlite_utils
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from app.core import seal_policy
from app.core.errors import UserError
from app.core.permissions import parse_role
from app.documents.seal_credentials import SealCredentials, SealKey
from app.services.context import AppContext
from app.services.files import replace_atomically
from app.store import seal_keys as store
from app.sync import wire
from app.sync.client import PlatformClient, PlatformError, PlatformRefused

log = logging.getLogger("services.seal")
#: a certificate in PEM is ~1 KB (RSA-3072 ~1.6 KB); a CRL of many thousand entries is < 1 MB
MAX_CERT_PEM = 16 * 1024
MAX_CRL = 4 << 20
MAX_BUNDLE = 64 * 1024


class SealEntryRefused(UserError):
    """A certificate or CRL from the feed that this PC will not trust."""


def _spki(key: Any) -> str:
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def _sha(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


# -- requesting --------------------------------------------------------------------------------


def _make_key(ctx: AppContext, db: sqlite_utils.Database) -> store.KeyRow:
    algorithm = ctx.settings.get("seal.key_type")
    key: SealKey = (rsa.generate_private_key(65537, 3072) if algorithm == "rsa-3072"
                    else ec.generate_private_key(ec.SECP256R1()))
    pkcs8 = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    row = store.KeyRow(id=ctx.new_id(), created_at=ctx.clock().isoformat(), algorithm=algorithm, pkcs8=pkcs8,
                       spki_sha256=_spki(key.public_key()), status="pending", request_id=None)
    store.add_key(db, row)
    log.info("seal key %s made (%s)", row.id, algorithm)
    return row


def _load_key(row: store.KeyRow) -> SealKey:
    key = serialization.load_der_private_key(row.pkcs8, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise RuntimeError(f"seal key {row.id}: unexpected key type {type(key).__name__}")
    return key


def check_may_request(ctx: AppContext) -> None:
    """UserError unless the signed-in person's role could be allowed to ask (the platform decides the rest)."""
    role = parse_role(ctx.session.role)
    if not seal_policy.may_ever_request(role):
        why = seal_policy.refusal(role, named=False)
        assert why is not None
        raise UserError(why, log=f"{ctx.session.user} ({ctx.session.role}) may not request a seal certificate")


def request_certificate(ctx: AppContext, client: PlatformClient, *, supersedes: str | None = None) -> dict[str, str]:
    """Make a key (unless one is pending), send its CSR; returns the platform's request id and serial.

    The certificate itself arrives through the feed at the next sync."""
    check_may_request(ctx)
    row = ctx.store.write(lambda db: store.pending_key(db) or _make_key(ctx, db))
    key = _load_key(row)
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, row.id)]))
           .sign(key, hashes.SHA256()))
    body: dict[str, Any] = {"csr": csr.public_bytes(serialization.Encoding.PEM).decode("ascii"),
                            "seal_name": ctx.settings.get("seal.name")}
    if supersedes:
        body["supersedes"] = supersedes
    reply = client.post_json("/api/v1/pki/certificates", body)
    try:
        answer = wire.obj(reply, "certificate request")
        request_id = wire.text(answer, "request_id", "certificate request", max_len=64)
        serial = wire.text(answer, "serial", "certificate request", max_len=64)
    except wire.WireError as e:
        raise PlatformError(str(e)) from None
    ctx.store.write(lambda db: store.set_key(db, row.id, request_id=request_id))
    log.info("seal certificate requested for key %s: request %s, serial %s", row.id, request_id, serial)
    return {"request_id": request_id, "serial": serial, "key_id": row.id}


# -- the platform's root -----------------------------------------------------------------------


def _root(db: sqlite_utils.Database) -> x509.Certificate | None:
    roots = store.trust(db, "root")
    return x509.load_der_x509_certificate(roots[0][1]) if roots else None


def _issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    try:
        child.verify_directly_issued_by(parent)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def pin_root(ctx: AppContext, client: PlatformClient) -> bool:
    """At the first sync: take the platform's root and issuing CA from ``GET /pki/ca``; True if pinned now.

    Once a root is pinned, nothing is asked for again (see the module's docstring)."""
    if _root(ctx.store.reader()) is not None:
        return False
    client.auth_headers()  # LoginRequired before anything is asked: a sync run signs in first
    reply = client.request("GET", "/pki/ca", auth=False, cap=MAX_BUNDLE)
    try:
        certs = x509.load_pem_x509_certificates(reply.body)
    except ValueError:
        raise PlatformError("pki/ca: not a PEM bundle") from None
    roots = [c for c in certs if c.issuer == c.subject and _is_ca(c) and _issued_by(c, c)]
    if len(roots) != 1:
        raise PlatformError(f"pki/ca: {len(roots)} self-signed CA certificates, expected one")
    root = roots[0]
    issuing = [c for c in certs if c is not root and _is_ca(c) and _issued_by(c, root)]
    now = ctx.clock().isoformat()

    def write(db: sqlite_utils.Database) -> None:
        store.add_trust(db, _sha(_der(root)), "root", _der(root), now)
        for c in issuing:
            store.add_trust(db, _sha(_der(c)), "intermediate", _der(c), now)

    ctx.store.write(write)
    log.info("platform root pinned: %s", _sha(_der(root))[:16])
    write_trust_files(ctx)
    return True


# -- feed entries ------------------------------------------------------------------------------


def _pem_cert(text: Any, where: str) -> x509.Certificate:
    if not isinstance(text, str) or len(text) > MAX_CERT_PEM:
        raise SealEntryRefused("平台发来的证书格式不符", log=f"{where}: not a PEM string of bounded size")
    try:
        return x509.load_pem_x509_certificate(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise SealEntryRefused("平台发来的证书格式不符", log=f"{where}: unreadable certificate") from None


def apply_certificate(ctx: AppContext, db: sqlite_utils.Database, body: dict[str, Any]) -> None:
    """Take a certificate from the feed if it certifies one of our keys for our unit under the pinned root."""
    root = _root(db)
    if root is None:
        raise SealEntryRefused("尚未取得市级平台的根证书，下次同步时再处理该证书",
                               log="certificate before a pinned root")
    cert = _pem_cert(body.get("certificate"), "certificate")
    chain_raw = body.get("chain")
    if not isinstance(chain_raw, list) or not 1 <= len(chain_raw) <= 4:
        raise SealEntryRefused("平台发来的证书链格式不符", log="certificate chain not a short list")
    chain = [_pem_cert(c, f"chain[{i}]") for i, c in enumerate(chain_raw)]
    issuing = chain[0]
    if not (_is_ca(issuing) and _issued_by(issuing, root) and _issued_by(cert, issuing)):
        raise SealEntryRefused("证书不是由本机信任的市级平台根证书签发的，未采用",
                               log=f"certificate {cert.serial_number:x} does not chain to the pinned root")
    unit = [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)]
    if unit != [ctx.settings.get("unit.org")]:
        raise SealEntryRefused("该证书不是发给本单位的，未采用", log=f"certificate for unit {unit!r}")
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        usable = usage.digital_signature and usage.content_commitment and not _is_ca(cert)
    except x509.ExtensionNotFound:
        usable = False
    if not usable:
        raise SealEntryRefused("该证书不能用于电子印章（密钥用途不符），未采用",
                               log=f"certificate {cert.serial_number:x} lacks the seal key usages")
    key = store.key_by_spki(db, _spki(cert.public_key()))
    if key is None:
        raise SealEntryRefused("该证书与本机保管的印章密钥不符，未采用",
                               log=f"certificate {cert.serial_number:x} for a key this PC does not hold")
    serial = format(cert.serial_number, "x")
    issuing_der = _der(issuing)
    store.add_trust(db, _sha(issuing_der), "intermediate", issuing_der, ctx.clock().isoformat())
    added = store.add_cert(db, store.CertRow(
        serial=serial, key_id=key.id, cert_der=_der(cert), chain=(issuing_der, _der(root)), unit=unit[0],
        not_before=cert.not_valid_before_utc.isoformat(), not_after=cert.not_valid_after_utc.isoformat(),
        revoked_at=None, revocation_reason=None, received_at=ctx.clock().isoformat()))
    if key.status == "pending":
        store.set_key(db, key.id, status="active")
    for _, der, _ in store.crls(db):  # a CRL that came first already names it
        _mark_from_crl(db, x509.load_der_x509_crl(der))
    if added:
        log.info("seal certificate %s received (valid to %s)", serial, cert.not_valid_after_utc.date())


def _mark_from_crl(db: sqlite_utils.Database, crl: x509.CertificateRevocationList) -> None:
    for row in store.certs(db):
        entry = crl.get_revoked_certificate_by_serial_number(int(row.serial, 16))
        if entry is None:
            continue
        try:
            reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason.name
        except x509.ExtensionNotFound:
            reason = "unspecified"
        if store.mark_revoked(db, row.serial, entry.revocation_date_utc.isoformat(), reason):
            store.set_key(db, row.key_id, status="retired")
            log.warning("seal certificate %s is revoked (%s)", row.serial, reason)


def apply_crl(ctx: AppContext, db: sqlite_utils.Database, body: dict[str, Any]) -> None:
    """Take a CRL from the feed if an issuing CA under our pinned root signed it."""
    raw = body.get("crl")
    if not isinstance(raw, str) or len(raw) > MAX_CRL:
        raise SealEntryRefused("平台发来的吊销列表格式不符", log="crl: not a bounded base64 string")
    try:
        der = base64.b64decode(raw, validate=True)
        crl = x509.load_der_x509_crl(der)
    except ValueError:
        raise SealEntryRefused("平台发来的吊销列表格式不符", log="crl: unreadable") from None
    root = _root(db)
    issuers = [(sha, x509.load_der_x509_certificate(d)) for sha, d in store.trust(db, "intermediate")]
    signer = next((sha for sha, c in issuers if root is not None and _issued_by(c, root)
                   and c.subject == crl.issuer and crl.is_signature_valid(c.public_key())), None)  # type: ignore[arg-type]
    if signer is None:
        raise SealEntryRefused("吊销列表不是由本机信任的平台签发 CA 签署的，未采用",
                               log="crl signed by an unknown issuer")
    next_update = crl.next_update_utc.isoformat() if crl.next_update_utc else None
    store.save_crl(db, signer, der, crl.last_update_utc.isoformat(), next_update, ctx.clock().isoformat())
    _mark_from_crl(db, crl)


# -- trust material for the verifier -------------------------------------------------------------


def write_trust_files(ctx: AppContext) -> None:
    """``<data_dir>/pki/{roots,intermediates,crls}`` written from the database; other files there removed."""
    db = ctx.store.reader()
    wanted: dict[str, dict[str, bytes]] = {"roots": {}, "intermediates": {}, "crls": {}}
    for folder, kind in (("roots", "root"), ("intermediates", "intermediate")):
        for sha, der in store.trust(db, kind):
            pem = x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)
            wanted[folder][f"{sha[:32]}.pem"] = pem
    for issuer, der, _ in store.crls(db):
        wanted["crls"][f"{issuer[:32]}.crl"] = der
    for folder, files in wanted.items():
        target = ctx.data_dir / "pki" / folder
        target.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            path = target / name
            if not path.is_file() or path.read_bytes() != data:
                replace_atomically(path, data)
        for stray in target.iterdir():
            if stray.name not in files:
                log.warning("pki/%s/%s is not from the database: removed", folder, stray.name)
                stray.unlink()


# -- using and renewing --------------------------------------------------------------------------


def _current(ctx: AppContext, db: sqlite_utils.Database) -> store.CertRow | None:
    """The certificate to seal with: not revoked, valid now, the latest expiry."""
    now = _utc(ctx.clock())
    for row in store.certs(db):
        if row.revoked_at is None and dt.datetime.fromisoformat(row.not_before) <= now < dt.datetime.fromisoformat(
                row.not_after):
            return row
    return None


def credentials(ctx: AppContext) -> SealCredentials | None:
    """The unit's seal as this PC holds it, applied by the signed-in person; None without a valid certificate."""
    db = ctx.store.reader()
    row = _current(ctx, db)
    if row is None:
        return None
    key = store.key_by_id(db, row.key_id)
    assert key is not None  # seal_certs.key_id references seal_keys
    cert = x509.load_der_x509_certificate(row.cert_der)
    unit_name = [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    return SealCredentials(key=_load_key(key), certificate=cert,
                           chain=tuple(x509.load_der_x509_certificate(c) for c in row.chain),
                           unit_name=unit_name[0] if unit_name else ctx.settings.get("unit.name"),
                           seal_name=ctx.settings.get("seal.name"), signer=ctx.session.name)


def status(ctx: AppContext) -> dict[str, Any]:
    """Every certificate this PC holds, newest first, and whether a request is waiting."""
    db = ctx.store.reader()
    now = _utc(ctx.clock())
    current = _current(ctx, db)
    out = []
    for row in store.certs(db):
        cert = x509.load_der_x509_certificate(row.cert_der)
        names = [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
        if row.revoked_at:
            state = "已吊销"
        elif now >= dt.datetime.fromisoformat(row.not_after):
            state = "已过期"
        elif now < dt.datetime.fromisoformat(row.not_before):
            state = "尚未生效"
        else:
            state = "有效"
        out.append({"serial": row.serial, "unit": row.unit, "unit_name": names[0] if names else "",
                    "not_before": row.not_before, "not_after": row.not_after, "revoked": row.revoked_at is not None,
                    "revoked_at": row.revoked_at, "reason": row.revocation_reason, "state": state,
                    "current": current is not None and row.serial == current.serial})
    pending = store.pending_key(db)
    return {"certificates": out, "pending_request": pending.request_id if pending else None,
            "root_pinned": _root(db) is not None}


def _needs_renewal(ctx: AppContext, db: sqlite_utils.Database) -> tuple[bool, str | None]:
    """(renew?, the serial a new certificate supersedes)."""
    rows = store.certs(db)
    if not rows:
        return False, None  # the first certificate is asked for by a person (`seal request`)
    pending = store.pending_key(db)
    if pending is not None and pending.request_id is not None:
        return False, None  # asked already: the certificate is on its way through the feed
    current = _current(ctx, db)
    if current is None:
        return True, None  # revoked or expired: a new one, nothing to supersede
    left = dt.datetime.fromisoformat(current.not_after) - _utc(ctx.clock())
    if left <= dt.timedelta(days=ctx.settings.get("seal.renew_days")):
        return True, current.serial
    return False, None


def _renew(ctx: AppContext, client: PlatformClient) -> None:
    renew, supersedes = _needs_renewal(ctx, ctx.store.reader())
    if not renew:
        return
    if not seal_policy.may_ever_request(parse_role(ctx.session.role)):
        log.info("seal certificate due for renewal; %s (%s) may not ask", ctx.session.user, ctx.session.role)
        return
    try:
        request_certificate(ctx, client, supersedes=supersedes)
    except PlatformRefused as e:  # a person not named a seal holder: the sync goes on, the log says why
        log.warning("seal certificate renewal refused: %s", e.log)


def before_pull(ctx: AppContext, client: PlatformClient) -> None:
    """Pin the platform's root once; renew a certificate near its end. Before the feed is read, so the
    new certificate (and the CRL revoking the one it supersedes) arrive in the same run."""
    try:
        pin_root(ctx, client)
    except (PlatformRefused, PlatformError) as e:
        # A platform without a CA, or a bundle that does not fit (hostile, or broken): nothing is pinned,
        # and casework syncs all the same; the next run asks again.
        log.warning("platform root not pinned: %s", e.log)
        return
    _renew(ctx, client)


def after_pull(ctx: AppContext, client: PlatformClient) -> None:
    """Write the trust files again; a certificate the feed has just revoked is replaced (it arrives next run)."""
    write_trust_files(ctx)
    if _root(ctx.store.reader()) is not None:
        _renew(ctx, client)
