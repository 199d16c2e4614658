"""Seeded generators of test pages whose right answer is known: A4 text, tables, seals, photos, shots.

Every generator is deterministic: the same seed always gives the same pixels. Pages are RGB
``uint8`` arrays (H, W, 3), white paper (255) and black ink (0), A4 at the given dpi
(2480×3508 at 300 dpi). Angles are in degrees, positive = counter-clockwise as seen on screen
(OpenCV's and Pillow's convention). Boxes are ``(x, y, w, h)`` in pixels; points are ``(x, y)``.
"""

from __future__ import annotations

import math
import random
from functools import lru_cache
from pathlib import Path
from typing import Literal

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

Image = npt.NDArray[np.uint8]

FONT_PATH = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "DroidSansFallbackFull.ttf"
A4_MM = (210.0, 297.0)
SEAL_RED = (205, 32, 38)


@lru_cache(maxsize=32)
def font(size_px: int) -> ImageFont.FreeTypeFont:
    """The CJK font at a pixel size (cached: loading the 4 MB font costs ~50 ms)."""
    return ImageFont.truetype(str(FONT_PATH), size_px)


def page_size(dpi: int = 300) -> tuple[int, int]:
    """(width, height) in pixels of an A4 page at ``dpi``."""
    return round(A4_MM[0] / 25.4 * dpi), round(A4_MM[1] / 25.4 * dpi)


def _px(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


def _pt(pt: float, dpi: int) -> int:
    return max(6, round(pt / 72 * dpi))


# --- text that reads like what windows receive -------------------------------------------------

_UNITS = ["市场监督管理局", "人力资源和社会保障局", "自然资源局", "住房和城乡建设局", "民政局", "卫生健康委员会",
          "行政审批局", "公安局出入境管理大队", "不动产登记中心", "医疗保障局", "退役军人事务局", "教育局"]
_PLACES = ["长洲区", "万秀区", "龙圩区", "苍梧县", "藤县", "蒙山县", "岑溪市", "兴宁区", "青秀区", "江南区"]
_TITLES = ["营业执照变更登记申请书", "个体工商户设立登记申请书", "最低生活保障申请书", "不动产登记申请书",
           "身份证明", "情况说明", "授权委托书", "居住证明", "社会保险关系转移申请表", "建设工程规划许可申请",
           "食品经营许可申请书", "承诺书", "家庭经济状况说明", "退休审批申请", "临时救助申请书"]
_NAMES = ["韦秀英", "黄志强", "李桂兰", "莫建华", "陈海燕", "覃立新", "梁文静", "蒙小军", "罗美玲", "潘国庆"]
_SENTENCES = [
    "本人{name}，公民身份号码{idno}，现住{place}新兴二路{n}号，因经营需要，特申请办理营业执照变更登记。",
    "根据《中华人民共和国市场主体登记管理条例》及其实施细则的有关规定，现将有关情况说明如下。",
    "本单位于{year}年{month}月经{place}{unit}核准登记，统一社会信用代码为{code}。",
    "申请人承诺所提交的材料真实、合法、有效，复印件与原件一致，如有虚假，愿意承担相应的法律责任。",
    "经营范围变更为：日用百货、五金交电、文具用品的零售；预包装食品销售（不含冷藏冷冻食品）。",
    "兹证明{name}同志系我单位在职职工，自{year}年起在我单位工作至今，表现良好，特此证明。",
    "因家庭成员患病，长期需要照顾，家庭收入明显低于当地最低生活保障标准，生活十分困难。",
    "现委托{name2}作为我的代理人，代为办理上述事项的申请、材料递交、领取文书等相关手续。",
    "请贵局按照相关规定予以审查办理，所需材料已按照申请材料清单要求一并提交，请予受理。",
    "该房屋坐落于{place}城东路{n}号，建筑面积{area}平方米，权利人为{name}，不存在抵押、查封等情况。",
    "申请人已阅知办理须知，知晓承诺不实的法律后果，同意有关部门对承诺内容进行核查。",
    "本次申请涉及的注册资本由人民币{money}万元增加至人民币{money2}万元，出资方式为货币。",
    "特此申请，请予批准。如需补充材料，本人将在规定期限内补齐，联系电话{phone}。",
    "所附材料包括：身份证复印件一份、户口簿复印件一份、收入证明一份、其他相关证明材料。",
    "上述情况属实，村（居）民委员会已于{year}年{month}月{day}日进行公示，公示期间无异议。",
    "法定代表人{name}，住所地为{place}工业园区{n}号，经营期限为长期。",
    "按照一网通办、一窗受理的工作要求，申请人可通过窗口或网上办理，办理时限为{days}个工作日。",
]


def _sentence(rng: random.Random, template: str | None = None) -> str:
    template = template if template is not None else rng.choice(_SENTENCES)
    return template.format(
        name=rng.choice(_NAMES), name2=rng.choice(_NAMES), place=rng.choice(_PLACES), unit=rng.choice(_UNITS),
        idno=f"4504{rng.randrange(10**13, 10**14)}", n=rng.randrange(1, 300), year=rng.randrange(1998, 2025),
        month=rng.randrange(1, 13), day=rng.randrange(1, 29), area=f"{rng.uniform(40, 180):.2f}",
        money=rng.randrange(10, 100), money2=rng.randrange(100, 1000), phone=f"138{rng.randrange(10**7, 10**8)}",
        code=f"91450{rng.randrange(10**12, 10**13)}X", days=rng.choice([3, 5, 10, 15, 20]))


def _fullwidth(text: str) -> str:
    """ASCII letters and digits as their full-width forms: the CJK font has no Latin glyphs."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _paragraph(rng: random.Random) -> str:
    picked = rng.sample(range(len(_SENTENCES)), rng.randrange(1, 4))
    return _fullwidth("".join(_sentence(rng, _SENTENCES[i]) for i in picked))


_NO_LINE_START = set("，。、；：？！）》」")


def _wrap(text: str, first: int, width: int) -> list[str]:
    """Character-wrap ``text``: ``first`` characters on the first line, ``width`` on the others.
    Punctuation that may not start a line hangs at the end of the previous one, as in print."""
    out, pos, n = [], 0, first
    while pos < len(text):
        end = pos + n
        if end < len(text) and text[end] in _NO_LINE_START:
            end += 1
        out.append(text[pos:end])
        pos = end
        n = width
    return out


def _canvas(dpi: int) -> tuple[PILImage.Image, ImageDraw.ImageDraw]:
    im = PILImage.new("L", page_size(dpi), 255)
    return im, ImageDraw.Draw(im)


def _rgb(im: PILImage.Image) -> Image:
    return cv2.cvtColor(np.asarray(im, dtype=np.uint8), cv2.COLOR_GRAY2RGB)


def _title(draw: ImageDraw.ImageDraw, text: str, y: int, dpi: int) -> int:
    """Draws a centred bold-looking title at ``y``; returns the y below it."""
    f = font(_pt(18, dpi))
    w = draw.textlength(text, font=f)
    x = (page_size(dpi)[0] - w) / 2
    # The fallback font has no bold face: a stroke fakes one.
    draw.text((x, y), text, font=f, fill=0, stroke_width=max(1, dpi // 150), stroke_fill=0)
    return y + round(_pt(18, dpi) * 2.0)


def _text_page(seed: int, dpi: int, lines: int | None, margin_mm: float) -> tuple[PILImage.Image, int]:
    """The text page as a grey Pillow image, and the y of its signature line."""
    rng = random.Random(seed)
    im, draw = _canvas(dpi)
    width, height = page_size(dpi)
    margin = _px(margin_mm, dpi)
    size = _pt(12, dpi)
    f = font(size)
    pitch = size  # CJK glyphs are one em wide
    leading = round(size * 1.65)
    per_line = (width - 2 * margin) // pitch - 1  # room for a hanging punctuation mark
    y = _title(draw, rng.choice(_TITLES), margin, dpi)
    draw.text((margin, y), f"{rng.choice(_PLACES)}{rng.choice(_UNITS)}：", font=f, fill=0)
    y += leading
    bottom = height - margin - 3 * leading
    budget = lines if lines is not None else max(0, (bottom - y) // leading)
    while budget > 0 and y + leading <= bottom:
        for i, line in enumerate(_wrap(_paragraph(rng), per_line - 2, per_line)[:budget]):
            if y + leading > bottom:
                break
            draw.text((margin + (2 * pitch if i == 0 else 0), y), line, font=f, fill=0)
            y += leading
            budget -= 1
    date = f"{rng.randrange(2019, 2026)}年{rng.randrange(1, 13)}月{rng.randrange(1, 29)}日"
    signature_y = y + leading // 2
    for text in (f"申请人（签字）：{rng.choice(_NAMES)}", _fullwidth(date)):
        y += leading // 2
        draw.text((width - margin - draw.textlength(text, font=f), y), text, font=f, fill=0)
        y += leading
    return im, signature_y


def text_page(seed: int = 0, dpi: int = 300, lines: int | None = None, *, margin_mm: float = 25.0) -> Image:
    """A Chinese application letter: centred title, addressee, indented paragraphs with ragged last
    lines, then a right-aligned signature and date. ``lines`` = number of body lines (None: fill
    the page). ``margin_mm`` moves text closer to the paper's edges (for crop tests)."""
    return _rgb(_text_page(seed, dpi, lines, margin_mm)[0])


_LABELS = ["申请人姓名", "性别", "出生日期", "公民身份号码", "联系电话", "户籍地址", "现住址", "工作单位",
           "申请事项", "办理方式", "家庭人口", "月收入（元）", "开户银行", "银行账号", "经办人", "受理编号"]


def table_page(seed: int = 0, dpi: int = 300) -> Image:
    """A registration form: title, a ruled table of labels and filled-in values, notes below."""
    rng = random.Random(seed)
    im, draw = _canvas(dpi)
    width = page_size(dpi)[0]
    margin = _px(20, dpi)
    y = _title(draw, rng.choice(_TITLES).replace("书", "表"), margin, dpi)
    f = font(_pt(11, dpi))
    rows = rng.randrange(10, 15)
    row_h = round(_pt(11, dpi) * 2.4)
    x0, x1 = margin, width - margin
    cols = [x0, x0 + (x1 - x0) * 22 // 100, x0 + (x1 - x0) * 55 // 100, x0 + (x1 - x0) * 72 // 100, x1]
    rule = max(2, dpi // 100)
    labels = rng.sample(_LABELS, k=min(len(_LABELS), rows * 2))
    pad = (row_h - _pt(11, dpi)) // 2
    for r in range(rows):
        top = y + r * row_h
        draw.line([(x0, top), (x1, top)], fill=0, width=rule)
        for c in range(2):
            label = labels[(2 * r + c) % len(labels)]
            draw.text((cols[2 * c] + pad, top + pad), label, font=f, fill=0)
            value = _fullwidth(_sentence(rng))[: rng.randrange(3, 10)]
            draw.text((cols[2 * c + 1] + pad, top + pad), value, font=f, fill=0)
    bottom = y + rows * row_h
    draw.line([(x0, bottom), (x1, bottom)], fill=0, width=rule)
    for x in cols:
        draw.line([(x, y), (x, bottom)], fill=0, width=rule)
    note_y = bottom + row_h
    per_line = (x1 - x0) // _pt(11, dpi)
    for line in _wrap("备注：" + _paragraph(rng), per_line, per_line)[:4]:
        draw.text((x0, note_y), line, font=f, fill=0)
        note_y += round(_pt(11, dpi) * 1.6)
    return _rgb(im)


ONE_LINERS = ["本页以下空白", "申请人（签字）：", "以下无正文", "（此页无正文）", "经办人：　　　　日期："]


def one_line_page(seed: int = 0, dpi: int = 300, text: str | None = None) -> Image:
    """White paper with one short line of text (「本页以下空白」 or a signature line) at a random place."""
    rng = random.Random(seed)
    im, draw = _canvas(dpi)
    width, height = page_size(dpi)
    text = text if text is not None else rng.choice(ONE_LINERS)
    f = font(_pt(12, dpi))
    w = draw.textlength(text, font=f)
    margin = _px(25, dpi)
    x = rng.uniform(margin, width - margin - w)
    y = rng.uniform(margin, height - margin - _pt(12, dpi))
    draw.text((x, y), text, font=f, fill=0)
    return _rgb(im)


def _smooth_field(rng: np.random.Generator, shape: tuple[int, int], cells: int = 6) -> npt.NDArray[np.float32]:
    """Smooth random field in [-1, 1]: low-res noise scaled up (cheap, and no visible blocks)."""
    h, w = shape
    small = rng.uniform(-1, 1, size=(cells, max(2, round(cells * w / h)))).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC).clip(-1, 1)


def blank_page(seed: int = 0, dpi: int = 300, noise: bool = True) -> Image:
    """White paper as a scanner sees the empty back of a sheet: slightly uneven light, sensor noise,
    a few dust specks and a very faint mirrored bleed-through of the front's text."""
    width, height = page_size(dpi)
    if not noise:
        return np.full((height, width, 3), 255, np.uint8)
    rng = np.random.default_rng(seed)
    gray = 247.0 + 4.0 * _smooth_field(rng, (height, width), 4)
    # Bleed-through: the front page, mirrored, blurred, at a few grey levels of contrast.
    front = cv2.cvtColor(text_page(seed, dpi), cv2.COLOR_RGB2GRAY)[:, ::-1]
    front = cv2.GaussianBlur(front, (0, 0), dpi / 100)
    gray -= (255.0 - front.astype(np.float32)) * rng.uniform(0.015, 0.03)
    out = _with_noise(gray.clip(0, 255).astype(np.uint8), 2.0, seed)
    for _ in range(int(rng.integers(3, 9))):
        c = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        cv2.circle(out, c, int(rng.integers(1, max(2, dpi // 150) + 1)), int(rng.integers(60, 160)), -1)
    return cv2.cvtColor(out, cv2.COLOR_GRAY2RGB)


# --- seals and photos ---------------------------------------------------------------------------

def _star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    pts = []
    for i in range(10):
        rad = r if i % 2 == 0 else r * 0.382
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    return pts


def seal(img: Image, center: tuple[int, int], radius: int, text: str | None = None) -> Image:
    """Stamps a red round official seal (ring, star, unit name around the top, «专用章» below) onto
    ``img`` in place, as ink over the page (dark text stays dark), and returns it."""
    size = 2 * radius + 4
    mask = PILImage.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    c = size / 2
    ring = max(2, radius // 16)
    draw.ellipse([c - radius, c - radius, c + radius, c + radius], outline=255, width=ring)
    draw.polygon(_star(c, c, radius * 0.3), fill=255)
    text = text if text is not None else "梧州市" + _UNITS[radius % len(_UNITS)]
    glyph = max(8, round(radius * 0.26))
    f = font(glyph)
    span = math.radians(min(250.0, 18.0 * len(text)))
    for i, ch in enumerate(text):
        a = -math.pi / 2 - span / 2 + span * (i + 0.5) / len(text)
        tile = PILImage.new("L", (glyph * 2, glyph * 2), 0)
        ImageDraw.Draw(tile).text((glyph / 2, glyph / 2), ch, font=f, fill=255)
        tile = tile.rotate(-math.degrees(a) - 90, resample=PILImage.Resampling.BICUBIC)
        r_text = radius - ring - glyph * 0.75
        x, y = c + r_text * math.cos(a) - glyph, c + r_text * math.sin(a) - glyph
        mask.paste(255, (round(x), round(y)), tile)
    small = font(max(6, round(radius * 0.16)))
    label = "行政审批专用章"
    draw.text((c - draw.textlength(label, font=small) / 2, c + radius * 0.45), label, font=small, fill=255)
    alpha = np.asarray(mask, dtype=np.float32) / 255.0
    # Real seal ink is uneven: some places print lighter.
    rng = np.random.default_rng(radius)
    alpha *= 0.8 + 0.2 * _smooth_field(rng, alpha.shape, 5)
    x0, y0 = center[0] - size // 2, center[1] - size // 2
    h, w = img.shape[:2]
    sx0, sy0, sx1, sy1 = max(0, x0), max(0, y0), min(w, x0 + size), min(h, y0 + size)
    if sx0 >= sx1 or sy0 >= sy1:
        return img
    a = alpha[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0, None]
    region = img[sy0:sy1, sx0:sx1].astype(np.float32)
    tint = np.array(SEAL_RED, np.float32) / 255.0
    img[sy0:sy1, sx0:sx1] = (region * (1 - a + a * tint)).clip(0, 255).astype(np.uint8)
    return img


def photo_block(img: Image, box: tuple[int, int, int, int], seed: int = 0) -> Image:
    """Paints a continuous-tone colourful photo-like block into ``box`` = (x, y, w, h) in place."""
    x, y, w, h = box
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    out = np.empty((h, w, 3), np.float32)
    for ch in range(3):
        field = _smooth_field(rng, (h, w), 4)
        ramp = (xx / max(w, 1) * rng.uniform(-1, 1) + yy / max(h, 1) * rng.uniform(-1, 1))
        out[..., ch] = 128 + 70 * field + 50 * ramp
    # A few soft blobs stand in for faces and objects.
    for _ in range(4):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.1, 0.3) * min(w, h)
        weight = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r))[..., None]
        out = out * (1 - weight) + rng.uniform(20, 235, size=3).astype(np.float32) * weight
    out += rng.normal(0, 6, size=out.shape).astype(np.float32)
    img[y:y + h, x:x + w] = out.clip(0, 255).astype(np.uint8)
    return img


def mixed_page(seed: int = 0, dpi: int = 300) -> Image:
    """A certificate-like page: text, a photo block in the lower half, a red seal over the signature."""
    rng = random.Random(seed)
    im, signature_y = _text_page(seed, dpi, rng.randrange(10, 16), 25.0)
    page = _rgb(im)
    width, height = page_size(dpi)
    bw, bh = _px(rng.uniform(60, 90), dpi), _px(rng.uniform(45, 70), dpi)
    photo_block(page, (_px(25, dpi), height - _px(40, dpi) - bh, bw, bh), seed)
    seal(page, (width - _px(rng.uniform(50, 70), dpi), signature_y + _px(5, dpi)), _px(21, dpi))
    return page


# --- what scanning does to a page ----------------------------------------------------------------

def rotate_page(img: Image, angle_deg: float, fill: int = 255) -> Image:
    """``img`` turned by exactly ``angle_deg`` (counter-clockwise) on a canvas grown to hold it all."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), angle_deg, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = math.ceil(w * cos + h * sin), math.ceil(w * sin + h * cos)
    m[0, 2] += (nw - w) / 2
    m[1, 2] += (nh - h) / 2
    border = (fill,) * (img.shape[2] if img.ndim == 3 else 1)
    return cv2.warpAffine(img, m, (nw, nh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=border)


def scanner_borders(img: Image, seed: int = 0) -> Image:
    """The page framed by what a flatbed or feeder adds: black, dark or grey bands of different
    widths on each side (0.5–4 % of the width), noisy, with a soft shadow line at the paper's edge."""
    rng = np.random.default_rng(seed)
    h, w = img.shape[:2]
    widths = [int(rng.integers(max(2, w // 200), max(3, w // 25))) for _ in range(4)]  # top, right, bottom, left
    top, right, bottom, left = widths
    base = float(rng.choice([18.0, 40.0, 75.0, 130.0]))
    shape = (h + top + bottom, w + left + right)
    canvas = _with_noise((base + 12 * _smooth_field(rng, shape, 5)).clip(0, 255).astype(np.uint8), 4, seed)
    out = cv2.cvtColor(canvas, cv2.COLOR_GRAY2RGB) if img.ndim == 3 else canvas
    # One side in a different tone: feeders often show grey on one edge, black on the others.
    side = int(rng.integers(0, 4))
    tone = float(rng.choice([30.0, 110.0, 160.0]))
    if side == 0:
        out[:top] = tone
    elif side == 1:
        out[:, w + left:] = tone
    elif side == 2:
        out[h + top:] = tone
    else:
        out[:, :left] = tone
    out[top:top + h, left:left + w] = img
    return out


def _with_noise(img: Image, sigma: float, seed: int) -> Image:
    """``img`` plus Gaussian noise, saturated to 0..255 (OpenCV's generator: 10× numpy's speed)."""
    flat = img.reshape(img.shape[0], -1)
    noise = np.empty(flat.shape, np.int16)
    cv2.setRNGSeed(seed)
    cv2.randn(noise, 0.0, float(sigma))
    return cv2.add(flat, noise, dtype=cv2.CV_8U).reshape(img.shape)


def add_noise(img: Image, sigma: float, seed: int = 0) -> Image:
    """``img`` plus Gaussian sensor noise of standard deviation ``sigma`` grey levels."""
    return _with_noise(img, sigma, seed)


def blur(img: Image, sigma: float) -> Image:
    """``img`` out of focus: Gaussian blur of ``sigma`` pixels."""
    return cv2.GaussianBlur(img, (0, 0), sigma)


def darken(img: Image, factor: float) -> Image:
    """``img`` with every level multiplied by ``factor`` (< 1: an underexposed, dark scan)."""
    return (img.astype(np.float32) * factor).clip(0, 255).astype(np.uint8)


# --- document camera shots -------------------------------------------------------------------------

Background = Literal["wood", "desk", "dark"]


def _background(rng: np.random.Generator, kind: Background, shape: tuple[int, int]) -> npt.NDArray[np.float32]:
    """A textured surface under the camera, drawn at half size (it is smooth) and scaled up."""
    h, w = shape[0] // 2, shape[1] // 2
    out = np.empty((h, w, 3), np.float32)
    if kind == "wood":
        yy = np.arange(h, dtype=np.float32)[:, None]
        warp = 12 * _smooth_field(rng, (h, w), 3)
        grain = np.sin((yy + warp) * rng.uniform(0.08, 0.16)) * 0.5 + 0.5
        base = np.array([150, 98, 58], np.float32) * rng.uniform(0.85, 1.1)
        out[:] = base * (0.8 + 0.25 * grain[..., None])
    elif kind == "desk":
        base = np.array([204, 199, 188], np.float32) * rng.uniform(0.95, 1.02)
        out[:] = base * (1 + 0.03 * _smooth_field(rng, (h, w), 8))[..., None]
    else:
        base = np.array([38, 36, 42], np.float32) * rng.uniform(0.7, 1.3)
        out[:] = base * (1 + 0.15 * _smooth_field(rng, (h, w), 10))[..., None]
    return cv2.resize(out, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)


def camera_shot(page: Image, seed: int = 0, out_size: tuple[int, int] = (3264, 2448),
                background: Background = "wood") -> tuple[Image, npt.NDArray[np.float64]]:
    """A document camera's photo of ``page``: placed with a known perspective (a few degrees of
    rotation and keystone, all corners inside the frame) on a textured background, unevenly lit,
    slightly soft and noisy. ``out_size`` is (width, height). Returns the shot and the paper's true
    corners (4×2, TL, TR, BR, BL) in OpenCV pixel-centre coordinates of the shot."""
    rng = np.random.default_rng(seed)
    fw, fh = out_size
    ph, pw = page.shape[:2]
    # A pinhole camera looking down at the sheet, tilted a few degrees: the corners are a true
    # perspective image of the page's rectangle, so its aspect ratio can be recovered.
    focal = fw * rng.uniform(0.85, 1.2)
    for _ in range(200):
        tall = rng.uniform(0.62, 0.86) * fh
        gamma = math.radians(rng.uniform(2.0, 8.0) * rng.choice([-1.0, 1.0]))  # turned on the desk
        alpha, beta = (math.radians(rng.uniform(-7.0, 7.0)) for _ in range(2))  # camera tilt
        hw, hh = pw / 2, ph / 2
        rect = np.array([[-hw, -hh, 0.0], [hw, -hh, 0.0], [hw, hh, 0.0], [-hw, hh, 0.0]])
        rz = np.array([[math.cos(gamma), math.sin(gamma), 0], [-math.sin(gamma), math.cos(gamma), 0], [0, 0, 1]])
        rx = np.array([[1, 0, 0], [0, math.cos(alpha), -math.sin(alpha)], [0, math.sin(alpha), math.cos(alpha)]])
        ry = np.array([[math.cos(beta), 0, math.sin(beta)], [0, 1, 0], [-math.sin(beta), 0, math.cos(beta)]])
        depth = ph * focal / tall
        shift = np.array([rng.uniform(-0.12, 0.12) * fw, rng.uniform(-0.08, 0.08) * fh]) * depth / focal
        world = rect @ (ry @ rx @ rz).T + np.array([shift[0], shift[1], depth])
        corners = np.asarray(focal * world[:, :2] / world[:, 2:] + [fw / 2, fh / 2], np.float64)
        margin = 0.03 * fh
        if (corners.min(axis=0) >= margin).all() and (corners[:, 0] <= fw - margin).all() and (
                corners[:, 1] <= fh - margin).all():
            break
    scale_h = float(np.linalg.norm(corners[3] - corners[0]))
    # Shrink the page first so the perspective warp does not alias the text.
    s = min(1.0, scale_h * 1.1 / ph)
    small = cv2.resize(page, (round(pw * s), round(ph * s)), interpolation=cv2.INTER_AREA) if s < 1 else page
    sh, sw = small.shape[:2]
    src = np.array([[-0.5, -0.5], [sw - 0.5, -0.5], [sw - 0.5, sh - 0.5], [-0.5, sh - 0.5]], np.float32)
    hom = cv2.getPerspectiveTransform(src, corners.astype(np.float32))
    warped = cv2.warpPerspective(small, hom, (fw, fh), flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_REPLICATE)
    # Coverage of each output pixel by the paper, anti-aliased at the edges (supersampled mask).
    mask = np.zeros((fh * 2, fw * 2), np.uint8)
    cv2.fillConvexPoly(mask, np.round((2 * corners + 0.5) * 16).astype(np.int32), 255, cv2.LINE_AA, shift=4)
    alpha = cv2.resize(mask, (fw, fh), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    # The shadow under the sheet is smooth: computed small and scaled up.
    small_size = (fw // 8, fh // 8)
    shadow = cv2.GaussianBlur(cv2.resize(alpha, small_size, interpolation=cv2.INTER_AREA), (0, 0), 0.01 * fh / 8)
    shadow = np.roll(shadow, (max(1, int(0.006 * fh / 8)), max(1, int(0.004 * fw / 8))), axis=(0, 1))
    bg = _background(rng, background, (fh, fw))
    bg *= cv2.resize(1 - 0.25 * shadow, (fw, fh), interpolation=cv2.INTER_LINEAR)[..., None]
    # blendLinear divides by the sum of the weights, so the light is applied afterwards.
    return _photograph(cv2.blendLinear(warped.astype(np.float32), bg, alpha, 1 - alpha), rng, seed), corners


def _photograph(scene: npt.NDArray[np.float32], rng: np.random.Generator, seed: int) -> Image:
    """What the camera makes of a scene: light falling off from a random spot, noise, softness."""
    fh, fw = scene.shape[:2]
    yy, xx = np.mgrid[0:fh // 8, 0:fw // 8].astype(np.float32) * 8
    lx, ly = rng.uniform(0.2, 0.8) * fw, rng.uniform(0.2, 0.8) * fh
    light = 0.97 - 0.6 * ((xx - lx) ** 2 + (yy - ly) ** 2) / (fw * fw + fh * fh)
    light += 0.04 * _smooth_field(rng, light.shape, 3)
    scene = scene * cv2.resize(light, (fw, fh), interpolation=cv2.INTER_LINEAR)[..., None]
    return cv2.GaussianBlur(_with_noise(scene.clip(0, 255).astype(np.uint8), 2.5, seed), (0, 0), 0.7)


def empty_shot(seed: int = 0, out_size: tuple[int, int] = (3264, 2448), background: Background = "wood") -> Image:
    """A camera shot of the bare background: no sheet in it."""
    rng = np.random.default_rng(seed)
    return _photograph(_background(rng, background, (out_size[1], out_size[0])), rng, seed)


def filling_shot(page: Image, seed: int = 0, out_size: tuple[int, int] = (3264, 2448)) -> Image:
    """A camera shot so close that the page fills the frame: no paper edge is visible."""
    rng = np.random.default_rng(seed)
    fw, fh = out_size
    ph, pw = page.shape[:2]
    # The middle of the page at the frame's shape, turned sideways to fill a landscape frame.
    turned = np.ascontiguousarray(page.transpose(1, 0, 2)[::-1]) if fw > fh and ph > pw else page
    th, tw = turned.shape[:2]
    cw, ch = (tw, round(tw * fh / fw)) if tw * fh / fw <= th else (round(th * fw / fh), th)
    y0, x0 = (th - ch) // 2, (tw - cw) // 2
    scene = cv2.resize(turned[y0:y0 + ch, x0:x0 + cw], (fw, fh), interpolation=cv2.INTER_AREA)
    return _photograph(scene.astype(np.float32), rng, seed)


def save(path: Path, pixels: Image, dpi: int, **kw: object) -> Path:
    """Write a generated page as a scanner's file would be, stating its resolution."""
    PILImage.fromarray(pixels).save(path, dpi=(dpi, dpi), **kw)
    return path
