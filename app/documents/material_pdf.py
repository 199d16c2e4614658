"""One material (电子材料) = one PDF of its pages, embedded without re-encoding.

Each page is an encoded image as the page pipeline stores it (CCITT G4 single-strip TIFF,
baseline JPEG or PNG); img2pdf embeds it as it is (G4 → /CCITTFaxDecode, JPEG →
/DCTDecode, byte for byte). A page's rotation is the PDF page's /Rotate, so turning a page
in the material editor never touches its pixels.

Page size: the image's own resolution gives its paper size when that is believable,
otherwise the page is an A4 sheet:

- A resolution is believed when it is stated (JFIF/EXIF, PNG pHYs, TIFF tags) and passes
  :func:`app.core.paper.believable_dpi`: within 50–2400 dpi, and the paper it implies fits
  on A0 — or on A3 below 100 dpi, where cameras' and screenshot tools' 72 and 96 dpi belong.
- Otherwise (a phone photo "at 72 dpi" would be a metre wide) the page is A4, portrait or
  landscape like the image, with the image scaled to fit and centred.

Metadata is written twice, in the document information dictionary (what ``pdfinfo``
shows) and in XMP: ``dc:title`` is the material's name; the case id, material name and the
SHA-256 of each page's stored bytes, in page order, are in the namespace :data:`XMP_NS`
(prefix ``ck``: ``ck:caseId``, ``ck:material``, ``ck:pageSha256`` as an ``rdf:Seq``).
Dates are the ``created`` argument (the case's receive time) and the file /ID is derived
from the content, so the same inputs always give the same bytes: a material PDF is a
content-addressed blob.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

import img2pdf
import pikepdf
from PIL import Image

from app.core.paper import A4_MM, MM_PER_INCH, PAGE_ROTATIONS, believable_dpi

#: The XMP namespace of Chuangkou's material records (a name, not a web page).
XMP_NS = "https://chuangkou.example/ns/material/1.0/"
XMP_PREFIX = "ck"
PRODUCER = "Chuangkou"

_MM = 72 / MM_PER_INCH
_A4 = (A4_MM[0] * _MM, A4_MM[1] * _MM)

pikepdf.models.PdfMetadata.register_xml_namespace(XMP_NS, XMP_PREFIX)


@dataclass(frozen=True, slots=True)
class PdfPage:
    """One page to embed: its encoded image and the clockwise turn to show it with."""

    data: bytes
    rotation: int = 0

    def __post_init__(self) -> None:
        if self.rotation not in PAGE_ROTATIONS:
            raise ValueError(f"page rotation must be one of {PAGE_ROTATIONS}, not {self.rotation!r}")


@dataclass(frozen=True, slots=True)
class MaterialMeta:
    """What a material PDF says about itself, read back from its XMP."""

    case_id: str
    material: str
    page_hashes: tuple[str, ...]


def page_layout(width_px: int, height_px: int, dpi: tuple[float, float] | None) -> tuple[float, float, float, float]:
    """Page width and height, then image width and height on it, in points (see the module doc)."""
    if dpi is not None and believable_dpi(width_px, height_px, dpi):
        width, height = width_px / dpi[0] * 72, height_px / dpi[1] * 72
        return width, height, width, height
    page_w, page_h = (_A4[1], _A4[0]) if width_px > height_px else _A4
    scale = min(page_w / width_px, page_h / height_px)
    return page_w, page_h, width_px * scale, height_px * scale


def build_material_pdf(
    pages: Sequence[PdfPage | bytes], *, case_id: str, material: str, page_hashes: Sequence[str],
    created: dt.datetime, modified: dt.datetime | None = None,
) -> bytes:
    """The material's PDF: one page per image, in order, with its metadata.

    ``pages`` may also be plain bytes (rotation 0). ``page_hashes`` are the SHA-256 of each
    page's stored bytes. ``created`` is the case's receive time, ``modified`` the time of the
    amendment that rebuilt it (default: ``created``): the same inputs always give the same
    bytes (and the same blob).
    """
    items = [p if isinstance(p, PdfPage) else PdfPage(p) for p in pages]
    if not items:
        raise ValueError("a material PDF needs at least one page")
    if len(page_hashes) != len(items):
        raise ValueError(f"{len(items)} pages but {len(page_hashes)} page hashes")
    layouts = iter([page_layout(*_size_and_dpi(p.data)) for p in items])

    def layout(width_px: int, height_px: int, _dpi: object) -> tuple[float, float, float, float]:
        # img2pdf asks once per image, in order; it would assume 96 dpi where none is stated.
        return next(layouts)

    # Rotation.ifvalid: a JPEG's own EXIF turn (a phone photo passed through) is kept as
    # /Rotate too; the page's requested rotation is added on top below.
    embedded = img2pdf.convert([p.data for p in items], layout_fun=layout, rotation=img2pdf.Rotation.ifvalid,
                               first_frame_only=True, nodate=True, engine=img2pdf.Engine.pikepdf)
    with pikepdf.open(io.BytesIO(embedded)) as pdf:
        for page, item in zip(pdf.pages, items, strict=True):
            turn = (int(page.obj.get("/Rotate", 0)) + item.rotation) % 360
            if turn:
                page.obj.Rotate = turn
            elif "/Rotate" in page.obj:
                del page.obj["/Rotate"]
        _write_metadata(pdf, case_id, material, list(page_hashes), created, modified or created)
        # img2pdf's /ID is not reproducible; without one, qpdf derives both halves from the content.
        if "/ID" in pdf.trailer:
            del pdf.trailer["/ID"]
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, min_version="1.4", linearize=False,
                 object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()


def _size_and_dpi(data: bytes) -> tuple[int, int, tuple[float, float] | None]:
    with Image.open(io.BytesIO(data)) as img:
        if getattr(img, "n_frames", 1) != 1 and img.format == "TIFF":
            raise ValueError("a material page must be a single image, not a multi-page TIFF")
        raw = img.info.get("dpi")
        try:
            dpi = (float(raw[0]), float(raw[1])) if isinstance(raw, tuple) and len(raw) == 2 else None
        except (TypeError, ValueError, ZeroDivisionError):
            dpi = None
        return img.width, img.height, dpi


def _write_metadata(pdf: pikepdf.Pdf, case_id: str, material: str, hashes: list[str], created: dt.datetime,
                    modified: dt.datetime) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = material
        meta["dc:description"] = f"案件 {case_id} 的材料“{material}”，共 {len(hashes)} 页"
        meta["xmp:CreatorTool"] = PRODUCER
        meta["pdf:Producer"] = PRODUCER
        meta["xmp:CreateDate"] = created.isoformat()
        for key in ("xmp:ModifyDate", "xmp:MetadataDate"):
            meta[key] = modified.isoformat()
        meta[f"{{{XMP_NS}}}caseId"] = case_id
        meta[f"{{{XMP_NS}}}material"] = material
        meta[f"{{{XMP_NS}}}pageSha256"] = hashes  # a list is written as an ordered rdf:Seq
    # The same facts where tools that ignore XMP look; pikepdf mirrored the standard keys.
    pdf.docinfo["/ChuangkouCaseId"] = case_id
    pdf.docinfo["/ChuangkouMaterial"] = material
    pdf.docinfo["/ChuangkouPageSHA256"] = " ".join(hashes)


def read_material_metadata(pdf_bytes: bytes) -> MaterialMeta:
    """Case id, material and page hashes from a material PDF's XMP; ValueError if absent or unreadable."""
    try:
        with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
            meta = pdf.open_metadata()
            case_id = meta.get(f"{{{XMP_NS}}}caseId")
            material = meta.get(f"{{{XMP_NS}}}material")
            hashes = meta.get(f"{{{XMP_NS}}}pageSha256")
    except pikepdf.PdfError as e:
        raise ValueError(f"not a readable PDF: {e}") from None
    if not isinstance(case_id, str) or not isinstance(material, str) or not isinstance(hashes, list):
        raise ValueError("the PDF carries no Chuangkou material metadata")
    return MaterialMeta(case_id, material, tuple(str(h) for h in hashes))
