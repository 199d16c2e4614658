"""Sealing a PDF with a unit's e-seal: PAdES signatures through pyHanko, with the red seal visible.

Every operation is an incremental update: the bytes of earlier revisions are never rewritten, so
a township's seal stays valid when the county seals the same file later (a second field, placed
elsewhere), and the applicant's signature and its stroke data (:func:`attach_strokes`, done
before sealing) sit inside the range the seal signs.

Levels (ETSI EN 319 142-1):

- :func:`seal` makes **B-T** when a time-stamping service is given and answers (the signature
  carries a signature time-stamp), **B-B** otherwise. A TSA that is down never stops a seal: the
  result says B-B and why, and the caller adds the time-stamp later.
- :func:`add_timestamp` is that later time-stamp: a **document time-stamp** (``ETSI.RFC3161``
  ``/DocTimeStamp``) in a new revision, not an upgrade of the signature's unsigned attributes.
  An upgrade would rewrite the signature's ``/Contents``, i.e. bytes of the sealed revision (and
  could outgrow the space reserved for it); a document time-stamp appends, covers the seal and
  everything before it, and EN 319 142-1 (5.3) accepts it as the B-T time-stamp. Every validator
  (pyHanko, Adobe, poppler) reads it without special support.
- :func:`make_lta` is **B-LTA** for the archive: the DSS with each signature's chain and CRLs,
  then a document time-stamp over it, so the file still verifies after the seal's certificate
  has expired or its CRL is gone.

The visible seal is the widget's appearance, drawn by :mod:`app.documents.seal_stamp` at 100 %
opacity (pyHanko's stamp background would be 60 %). It multiplies with the page like stamp ink:
the unit's name and date under it stay legible. Its paths add no text to the page.

``SealFamily.SM2`` credentials are refused (see ``docs/sm2.md``).
"""

from __future__ import annotations

import datetime as dt
import enum
import io
import json
import logging
from dataclasses import dataclass
from typing import Any

from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pyhanko.pdf_utils import embed, generic, layout
from pyhanko.pdf_utils.content import PdfResources, RawContent, ResourceType
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.validation import add_validation_info
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from app.core.errors import UserError
from app.documents.notice_layout import FOOTER_TOP, SEAL_BOX, Box
from app.documents.seal_credentials import SealCredentials, SealFamily
from app.documents.seal_stamp import DIAMETER_MM, seal_content, text_content, wrap_text
from app.documents.trust_material import TrustMaterial, asn1_cert
from app.store.bundled import NOTICE_FONT_FILE

log = logging.getLogger("documents")

_PT = 72 / 25.4
_MD = "sha256"
#: a seal field is named Seal1, Seal2 …; a document has at most this many (a bound on hostile input too)
MAX_SEALS = 50
#: stroke data larger than this is not a pad's (a few minutes of writing is ~200 kB)
MAX_STROKES_BYTES = 5 * 1024 * 1024


class PadesLevel(enum.StrEnum):
    """The PAdES baseline level a signature reaches (ETSI EN 319 142-1)."""

    B_B = "B-B"
    B_T = "B-T"
    B_LT = "B-LT"
    B_LTA = "B-LTA"


@dataclass(frozen=True)
class SealPlacement:
    """Where the seal goes: a page (0-based; negative from the end) and its square, mm from the top-left."""

    box: Box
    page: int = -1

    @classmethod
    def centred(cls, x_mm: float, y_mm: float, *, page: int = -1, diameter_mm: float = DIAMETER_MM
                ) -> SealPlacement:
        return cls(Box(x_mm - diameter_mm / 2, y_mm - diameter_mm / 2, diameter_mm, diameter_mm), page)


#: a notice's seal: 42 mm across, its star over the unit's name and date at the foot of the seal
#: box (pressed over them, as on paper), its lower edge on the footer's rule
NOTICE_SEAL = SealPlacement.centred(SEAL_BOX.x + SEAL_BOX.w / 2, FOOTER_TOP - DIAMETER_MM / 2)


@dataclass(frozen=True)
class SealResult:
    """A sealed PDF, the level it reached, and why it has no time-stamp when it has none."""

    pdf: bytes
    level: PadesLevel
    field: str
    #: empty when time-stamped (or no TSA was given); otherwise why the TSA did not answer
    timestamp_problem: str = ""


class TimestampUnavailable(Exception):
    """The time-stamping service did not answer; try again at the next sync."""


def _check_credentials(creds: SealCredentials) -> None:
    if creds.family is SealFamily.SM2:
        raise UserError("本机的印章证书是国密（SM2）算法，暂不支持用于电子签章。"
                        "请向市级平台申请 ECDSA 或 RSA 印章证书。",
                        log=f"SM2 seal credentials refused for {creds.unit_name!r} (docs/sm2.md)")
    key = creds.key
    if isinstance(key, ec.EllipticCurvePrivateKey):
        if key.curve.name not in ("secp256r1", "secp384r1"):
            raise ValueError(f"seal key on curve {key.curve.name}: only P-256 and P-384")
    elif isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < 2048:
            raise ValueError(f"RSA seal key of {key.key_size} bits")
    else:
        raise TypeError(f"seal key of type {type(key).__name__}")
    fmt = serialization.PublicFormat.SubjectPublicKeyInfo
    if (key.public_key().public_bytes(serialization.Encoding.DER, fmt)
            != creds.certificate.public_key().public_bytes(serialization.Encoding.DER, fmt)):
        raise ValueError("the seal key does not belong to the seal certificate")


def _signer(creds: SealCredentials) -> signers.SimpleSigner:
    key = asn1_keys.PrivateKeyInfo.load(creds.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return signers.SimpleSigner(
        signing_cert=asn1_cert(creds.certificate), signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([asn1_cert(c) for c in creds.chain]))


@dataclass(frozen=True)
class SealNote:
    """Words drawn with a seal in its box: a level's opinion on the review sheet, signed off by its unit.

    A later level cannot add to the page (that would break the earlier seals); its words go into its
    own signature's appearance instead, in black, with the seal pressed over the signing line.
    """

    body: str
    #: the lines under the words, right-aligned under the seal (the unit's name, the date)
    signature: tuple[str, ...] = ()
    size_pt: float = 11.5


def _stamp_style(creds: SealCredentials, width_pt: float, height_pt: float,
                 note: SealNote | None = None) -> StaticStampStyle:
    resources = PdfResources()
    # Multiply, like ink: red over white stays red (opacity 1), black print under the seal stays black.
    resources[ResourceType.EXT_G_STATE][generic.pdf_name("/SealInk")] = generic.DictionaryObject(
        {generic.pdf_name("/BM"): generic.pdf_name("/Multiply"),
         generic.pdf_name("/CA"): generic.FloatObject(1), generic.pdf_name("/ca"): generic.FloatObject(1)})
    diameter = min(width_pt, height_pt, DIAMETER_MM * _PT)
    seal = seal_content(creds.unit_name, creds.seal_name, NOTICE_FONT_FILE, diameter / _PT)
    if note is None:
        drawing = b"/SealInk gs\n" + seal
    else:
        pad, size = 4.0, note.size_pt
        leading = size * 1.55
        room = max(1, int((height_pt - diameter - pad) // leading))
        words = wrap_text(note.body, NOTICE_FONT_FILE, size, width_pt - 2 * pad)[:room]
        sign_size = size - 0.5
        lines = list(note.signature)
        sign_top = 2 * pad + len(lines) * sign_size * 1.5
        drawing = b"\n".join((
            text_content(words, NOTICE_FONT_FILE, pad, height_pt - pad, size, leading),
            text_content(lines, NOTICE_FONT_FILE, 0, sign_top, sign_size, sign_size * 1.5,
                         align_right_at=width_pt - pad),
            b"/SealInk gs",
            f"q 1 0 0 1 {width_pt - diameter - pad:.2f} {pad:.2f} cm".encode("ascii"), seal, b"Q"))
    return StaticStampStyle(
        background=RawContent(drawing, resources=resources,
                              box=layout.BoxConstraints(width=width_pt, height=height_pt)),
        background_opacity=1.0, border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0)))


def _open(pdf: bytes) -> IncrementalPdfFileWriter:
    try:
        return IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as e:
        raise UserError("该文件不是可以盖章的 PDF 文件（{reason}）", reason=type(e).__name__,
                        log=f"cannot open PDF for sealing: {e!r}") from e


def _field_box(writer: IncrementalPdfFileWriter, placement: SealPlacement) -> tuple[int, tuple[int, int, int, int]]:
    count = int(writer.root["/Pages"]["/Count"])
    page = placement.page if placement.page >= 0 else count + placement.page
    if not 0 <= page < count:
        raise ValueError(f"seal on page {placement.page} of a {count}-page document")
    page_ref, _ = writer.find_page_for_modification(page)
    media_box: Any = _inherited(page_ref.get_object(), "/MediaBox")
    x0, _, _, y1 = (float(v) for v in media_box)
    b = placement.box
    left, top = x0 + b.x * _PT, y1 - b.y * _PT
    return page, (round(left), round(top - b.h * _PT), round(left + b.w * _PT), round(top))


def _inherited(page: generic.DictionaryObject, key: str) -> Any:
    """A page attribute, from the page or the nearest /Pages node above it (a hostile tree: bounded)."""
    node = page
    for _ in range(32):
        if key in node:
            return node[key]
        if "/Parent" not in node:
            break
        node = node["/Parent"]
    raise UserError("该 PDF 文件的页面缺少尺寸（{key}），无法盖章", key=key, log=f"no {key} on the page tree")


def _free_field_name(writer: IncrementalPdfFileWriter) -> str:
    taken = {name for name, _, _ in fields.enumerate_sig_fields(writer.prev, filled_status=None)}
    for n in range(1, MAX_SEALS + 1):
        if f"Seal{n}" not in taken:
            return f"Seal{n}"
    raise UserError("该文件已有 {count} 个签章，不能再加盖", count=MAX_SEALS, log="too many signature fields")


def _sign(pdf: bytes, creds: SealCredentials, placement: SealPlacement, timestamper: TimeStamper | None,
          reason: str, location: str, note: SealNote | None) -> tuple[bytes, str]:
    writer = _open(pdf)
    name = _free_field_name(writer)
    page, box = _field_box(writer, placement)
    meta = signers.PdfSignatureMetadata(
        field_name=name, md_algorithm=_MD, name=creds.signer or None, reason=reason or None,
        location=location or None, subfilter=fields.SigSeedSubFilter.PADES)
    signer = signers.PdfSigner(meta, _signer(creds), timestamper=timestamper,
                               stamp_style=_stamp_style(creds, box[2] - box[0], box[3] - box[1], note),
                               new_field_spec=fields.SigFieldSpec(name, on_page=page, box=box))
    out = signer.sign_pdf(writer)
    return bytes(out.getbuffer()), name


def seal(pdf: bytes, creds: SealCredentials, placement: SealPlacement = NOTICE_SEAL, *,
         timestamper: TimeStamper | None = None, reason: str = "加盖电子印章", location: str = "",
         note: SealNote | None = None) -> SealResult:
    """``pdf`` with the unit's seal on it (a new signature field), B-T if ``timestamper`` answers, else B-B.

    ``creds.signer`` goes into the signature as its signer's name (/Name); the unit is in the
    certificate. A refusal of the TSA (down, slow, a bad reply) gives a B-B seal, never an error.
    Without ``note`` the box is the seal's square; with it, the box holds the words and the seal at its
    lower right.
    """
    _check_credentials(creds)
    if timestamper is not None:
        try:
            signed, name = _sign(pdf, creds, placement, timestamper, reason, location, note)
            return SealResult(signed, PadesLevel.B_T, name)
        # pyHanko's TimestampRequestError is an OSError, like the socket's; the platform's stamper says
        # why it got no timestamp with a UserError (shown when the clerk asks for one, not here).
        except (OSError, UserError) as e:
            log.warning("time-stamping service unavailable, sealing without a time-stamp: %r", e)
            problem = str(e) or type(e).__name__
    else:
        problem = ""
    signed, name = _sign(pdf, creds, placement, None, reason, location, note)
    return SealResult(signed, PadesLevel.B_B, name, problem)


def add_timestamp(pdf: bytes, timestamper: TimeStamper) -> bytes:
    """A document time-stamp over everything in ``pdf`` (why not an upgrade: see the module docstring).

    Raises :class:`TimestampUnavailable` if the service does not answer.
    """
    writer = _open(pdf)
    try:
        out = signers.PdfTimeStamper(timestamper).timestamp_pdf(writer, _MD)
    except (OSError, UserError) as e:
        raise TimestampUnavailable(str(e) or type(e).__name__) from e
    return bytes(out.getbuffer())


def make_lta(pdf: bytes, trust: TrustMaterial, timestamper: TimeStamper) -> bytes:
    """B-LTA for the archive: each signature's chain and CRLs into the DSS, then a document time-stamp.

    ``trust`` must hold the CRLs that cover every certificate of every chain (the platform's
    current ones): the DSS records them, so the file verifies after the certificates expire.
    Raises :class:`TimestampUnavailable` if the service does not answer.
    """
    vc = trust.validation_context(revocation="hard-fail")
    current = pdf
    count = len(PdfFileReader(io.BytesIO(current), strict=False).embedded_signatures)
    for i in range(min(count, MAX_SEALS)):
        sig = PdfFileReader(io.BytesIO(current), strict=False).embedded_signatures[i]
        out = add_validation_info(sig, vc, in_place=False, output=io.BytesIO())
        current = bytes(out.getbuffer())
    writer = _open(current)
    try:
        stamped = signers.PdfTimeStamper(timestamper).timestamp_pdf(writer, _MD, validation_context=vc)
    except (OSError, UserError) as e:
        raise TimestampUnavailable(str(e) or type(e).__name__) from e
    return bytes(stamped.getbuffer())


def attach_strokes(pdf: bytes, strokes_json: bytes, name: str = "申请人签名笔迹.json") -> bytes:
    """``pdf`` with the applicant's stroke data attached (EmbeddedFiles and the catalogue's /AF, as data).

    Done before sealing, so the attachment lies inside the range the seal signs.
    """
    if len(strokes_json) > MAX_STROKES_BYTES:
        raise ValueError(f"stroke data of {len(strokes_json)} bytes")
    json.loads(strokes_json)  # ValueError if it is not the pad's JSON
    if not name or "/" in name or "\\" in name or len(name) > 120:
        raise ValueError(f"attachment name {name!r}")
    writer = _open(pdf)
    now = dt.datetime.now(dt.UTC)
    data = embed.EmbeddedFileObject.from_file_data(
        writer, data=strokes_json, mime_type="application/json",
        params=embed.EmbeddedFileParams(creation_date=now, modification_date=now))
    ascii_name = name if name.isascii() else "signature-strokes.json"
    embed.embed_file(writer, embed.FileSpec(
        file_spec_string=ascii_name, file_name=name, embedded_data=data, description="申请人手写签名笔迹（签名板采集）",
        af_relationship=generic.pdf_name("/Data")))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
