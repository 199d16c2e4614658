"""Export one case (material PDFs + ``case.json``) for a USB transfer or a check."""

from __future__ import annotations

import json
import re
from pathlib import Path

from app.core.errors import UserError
from app.services import audit
from app.services.context import AppContext
from app.services.queries import show_case

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def safe_name(text: str, limit: int = 80) -> str:
    """A file name that Windows and Linux both accept."""
    cleaned = _UNSAFE.sub("_", text).strip(" .") or "_"
    return cleaned[:limit]


def export_case(ctx: AppContext, ref: str, out: Path) -> list[Path]:
    """Write ``NN-材料名称.pdf`` for each material and ``case.json``; returns the files."""
    case = show_case(ctx, ref)
    if out.exists() and not out.is_dir():
        raise UserError("导出位置“{out}”不是文件夹", out=out, log=f"export target is not a folder: {out}")
    audit.record(ctx, "export", case["id"], case_no=case["case_no"], files=len(case["materials"]) + 1)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for n, m in enumerate(case["materials"], 1):
        target = out / f"{n:02d}-{safe_name(m['name'])}.pdf"
        if not ctx.store.blobs.verify(m["pdf_sha256"]):
            raise UserError("材料“{name}”的文件已损坏或丢失，无法导出，请联系技术支持", name=m["name"],
                            log=f"blob {m['pdf_sha256']} missing or corrupt in case {case['case_no']}")
        target.write_bytes(ctx.store.blobs.read(m["pdf_sha256"]))
        files.append(target)
    manifest = out / "case.json"
    manifest.write_text(json.dumps(case, ensure_ascii=False, indent=2), encoding="utf-8")
    files.append(manifest)
    return files
