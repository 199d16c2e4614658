"""``python -m app devices …``: list the devices, scan into a folder, read an ID card or passport.

Part of the command line (:mod:`app.cli`), kept apart to keep each module small; the same
thin layer over :mod:`app.services.devices`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from app.core.errors import UserError
from app.services.context import AppContext

if TYPE_CHECKING:
    from app.services import devices


class Output(Protocol):
    as_json: bool

    def emit(self, data: Any, human: Any) -> None: ...


def cmd_devices_list(ctx: AppContext, args: argparse.Namespace, out: Output) -> None:
    from app.services import devices  # here: the device stack is heavy and most commands need none of it
    found = [d.to_dict() for d in devices.list_devices(ctx)]

    def human(rows: list[dict[str, Any]]) -> str:
        lines = [f"{devices.kind_label(r['kind'])}\t{r['name']}\t{r['label']}\t{devices.status_label(r['status'])}"
                 + (f"\t{r['detail']}" if r["status"] != "ready" and r["detail"] else "") for r in rows]
        return "\n".join(lines)

    out.emit(found, human)


def cmd_devices_scan(ctx: AppContext, args: argparse.Namespace, out: Output) -> int:
    from app.services import devices  # here: the device stack is heavy and most commands need none of it
    done = 0

    def progress(page: devices.ScannedFile) -> None:
        nonlocal done
        done += 1
        if not out.as_json:
            print(f"第{done}页：{page.path.name}（{len(page.page.data) // 1024} KB）", file=sys.stderr)

    outcome = devices.scan_to_folder(ctx, Path(args.out), device=args.device, source=args.source, progress=progress)
    data = {"device": outcome.device.name, "pages": [p.to_dict() for p in outcome.pages]}
    out.emit(data, lambda d: f"已扫描 {len(d['pages'])} 页，保存在 {args.out}")
    if outcome.error is not None:
        print(outcome.error.message, file=sys.stderr)
        return 2
    return 0


def cmd_devices_read_card(ctx: AppContext, args: argparse.Namespace, out: Output) -> None:
    from app.services import devices  # here: the device stack is heavy and most commands need none of it
    passport = args.mrz is not None or (args.device or "").startswith("pcsc:")
    if passport:
        if args.mrz is None:
            raise UserError("读取护照需要证件资料页上的信息，请用 --mrz 给出机读码第二行，或证件号码、出生日期和有效期",
                            log="read-card on a PC/SC reader without --mrz")
        card = devices.read_passport(ctx, args.mrz, args.device)
        labels = _PASSPORT_LABELS
    else:
        card = devices.read_id_card(ctx, args.device)
        labels = _CARD_LABELS
    out.emit(card, lambda c: "\n".join(f"{label}：{c[key]}" for key, label in labels))


Labels = tuple[tuple[str, str], ...]
_CARD_LABELS: Labels = (
    ("name", "姓名"), ("sex", "性别"), ("nation", "民族"), ("birth", "出生"), ("address", "住址"),
    ("id_number", "公民身份号码"), ("authority", "签发机关"), ("valid_from", "有效期自"), ("valid_to", "有效期至"))
_PASSPORT_LABELS: Labels = (
    ("name", "姓名"), ("sex", "性别"), ("nationality", "国籍"), ("birth", "出生日期"), ("id_number", "证件号码"),
    ("issuing_state", "签发国"), ("expiry", "有效期至"))


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """The ``devices`` command and its subcommands."""
    dev = sub.add_parser("devices", parents=[common], help="设备：扫描仪、高拍仪、读卡器、签名板")
    cmds = dev.add_subparsers(dest="sub", required=True)
    cmds.add_parser("list", parents=[common], help="列出已连接和模拟的设备").set_defaults(run=cmd_devices_list)
    scan = cmds.add_parser("scan", parents=[common], help="扫描一批材料（经页面处理）保存到文件夹")
    scan.add_argument("--device", help="扫描仪名称（见 devices list）；默认用设置中的扫描仪")
    scan.add_argument("--source", choices=["flatbed", "adf", "duplex"], help="平板、自动进纸或双面；默认用设置")
    scan.add_argument("--out", required=True, help="保存扫描页的文件夹")
    scan.set_defaults(run=cmd_devices_scan)
    card = cmds.add_parser("read-card", parents=[common], help="读取身份证（或护照）并输出申请人信息")
    card.add_argument("--device", help="阅读器名称，如 serial:/dev/ttyUSB0、sdt:驱动库路径、sim:id_reader、"
                                       "pcsc:读卡器；默认用设置")
    card.add_argument("--mrz", metavar="机读码",
                      help="读护照/电子证件：资料页机读码第二行，或“证件号码 出生日期 有效期”")
    card.set_defaults(run=cmd_devices_read_card)
