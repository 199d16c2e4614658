"""``python -m app``: the window's operations without a window (DESIGN §9).

A thin layer: parse arguments, call a use case in ``app.services``, print the result. Exit
0 on success, 2 on a user error (message on stderr, nothing written), 1 on a bug.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app import (
    cli_catalog,
    cli_devices,
    cli_documents,
    cli_evaluation,
    cli_figures,
    cli_notices,
    cli_seal,
    cli_supervision,
)
from app.core.deadlines import compute_deadline
from app.core.errors import UserError
from app.core.lifecycle import RECEIVE_CHANNELS, ActionType
from app.core.workcal import WorkCalendar
from app.logs import setup_logging
from app.services import context as ctxmod
from app.services import joint_desk, licences, maintenance, queries, signin, sync_run, unit_settings, verify_remote
from app.services.review_sheets import perform
from app.store import faults
from app.store.bundled import HOLIDAY_FILE, load_json

log = logging.getLogger("cli")
#: who a script signs in as (with CHUANGKOU_PASSWORD); default: the last person to sign in on this PC
USER_ENV = "CHUANGKOU_USER"
#: ``verify`` found a broken chain: neither a user error (2) nor a bug (1).
EXIT_TAMPERED = 3


def default_data_dir() -> Path:
    env = os.environ.get("CHUANGKOU_DATA")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "chuangkou"


class Output:
    """Prints either for people or as one JSON document."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def emit(self, data: Any, human: Callable[[Any], str]) -> None:
        if self.as_json:
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            print(human(data))


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”格式应为 YYYY-MM-DD") from None


def _read_applicant(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError("找不到申请人文件“{path}”", path=path, log=f"applicant file not found: {path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise UserError("申请人文件“{path}”不是有效的 UTF-8 JSON：{e}", path=path, e=e,
                        log=f"applicant file {path} is not UTF-8 JSON: {e}") from None


# -- commands ------------------------------------------------------------------------------
def private_files() -> None:
    """Everything this process writes is for this account only: logs, locks, exports (0600, folders 0700)."""
    if os.name == "posix":
        os.umask(0o077)


def cmd_init(args: argparse.Namespace, out: Output) -> None:
    ctxmod.init_data_dir(args.data, args.org, args.platform or "", ca_bundle=args.ca_bundle or "")
    out.emit({"org": args.org.strip().upper(), "data": str(args.data)},
             lambda d: f"已初始化数据目录 {d['data']}（单位 {d['org']}）")


def cmd_catalog_list(ctx: ctxmod.AppContext, args: argparse.Namespace, out: Output) -> None:
    items = [
        {"code": i.code, "name": i.name, "tier": str(i.tier), "promised_days": i.promised_days,
         "legal_days": i.legal_days,
         "materials": [{"name": m.name, "required": m.required} for m in i.materials]}
        for i in ctx.catalog
    ]
    out.emit(items, lambda rows: "\n".join(
        f"{r['code']}  {r['name']}  承诺{r['promised_days']}个工作日  材料{len(r['materials'])}项" for r in rows))


def _page_notes(d: dict[str, Any], verb: str) -> list[str]:
    """The blank pages left out and the flagged pages taken anyway (``verb``: 收件, 接收)."""
    lines = []
    if d["dropped_blank"]:
        lines.append("已去除空白页：" + "；".join(f"材料“{f['material']}”第{f['page']}页" for f in d["dropped_blank"]))
    if d["accepted_warnings"]:
        lines.append(f"以下问题已注明理由后{verb}：")
        lines.extend(f["message"] for f in d["accepted_warnings"])
    return lines


def _human_new_case(d: dict[str, Any]) -> str:
    return "\n".join([f"已收件：{d['case_no']}", *_page_notes(d, "收件")])


def cmd_case_new(ctx: ctxmod.AppContext, args: argparse.Namespace, out: Output) -> None:
    from app.services import intake  # here, not at the top: OpenCV and the PDF tools add ~1 s to every command
    materials = [intake.parse_material_arg(m) for m in args.material or []]
    options = intake.IntakeOptions(accept_warnings=args.accept_warnings, keep_blank=args.keep_blank,
                                   source=args.source)
    try:
        made = intake.new_case(ctx, args.item, _read_applicant(args.applicant), materials, options,
                               extra={"channel": args.channel} if args.channel != RECEIVE_CHANNELS[0] else None)
    except intake.PageQualityError as e:
        raise UserError("{detail}\n（如确认无误，可加 --accept-warnings 理由 后重新收件）",
                        detail=e.message, log=e.log) from None
    out.emit({"id": made.id, "case_no": made.case_no,
              "dropped_blank": [f.to_dict() for f in made.dropped_blank],
              "accepted_warnings": [f.to_dict() for f in made.accepted_warnings]}, _human_new_case)


def _human_amended(d: dict[str, Any]) -> str:
    lines = [f"{d['case_no']}：材料已补正，当前状态：{d['status_label']}"]
    if d["rebuilt"]:
        lines.append("已重新生成：" + "、".join(d["rebuilt"]))
    return "\n".join([*lines, *_page_notes(d, "接收")])


def cmd_case_amend(ctx: ctxmod.AppContext, args: argparse.Namespace, out: Output) -> None:
    from app.services import amend, intake
    plan = amend.parse_edits(args.edit or [])
    options = intake.IntakeOptions(accept_warnings=args.accept_warnings, keep_blank=args.keep_blank,
                                   source=args.source)
    try:
        done = amend.amend_materials(ctx, args.case, plan, options)
    except intake.PageQualityError as e:
        raise UserError("{detail}\n（如确认无误，可加 --accept-warnings 理由 后重新提交）",
                        detail=e.message, log=e.log) from None
    out.emit({"id": done.case_id, "case_no": done.case_no, "status": str(done.status),
              "status_label": done.status.label, "rebuilt": list(done.rebuilt),
              "dropped_blank": [f.to_dict() for f in done.dropped_blank],
              "accepted_warnings": [f.to_dict() for f in done.accepted_warnings]}, _human_amended)


def _action_payload(kind: ActionType, args: argparse.Namespace) -> dict[str, Any]:
    p: dict[str, Any] = {}
    for key in ("reason", "to", "result", "text", "method", "tracking", "pickup_code"):
        value = getattr(args, key, None)
        if value is not None:
            p[key] = value
    if getattr(args, "missing", None):
        p["missing"] = args.missing
    if getattr(args, "days", None) is not None:
        p["promised_days"] = args.days
    if getattr(args, "returns", None):
        p["returns"] = [_return_line(x) for x in args.returns]
    return p


def _joint_departments(ctx: ctxmod.AppContext, specs: Sequence[str]) -> list[dict[str, Any]]:
    """``--department CODE=YYYY-MM-DD[,可选]`` as the payload's departments."""
    asked = []
    for spec in specs:
        code, _, rest = spec.partition("=")
        day, _, flag = rest.partition(",")
        try:
            due = dt.date.fromisoformat(day.strip())
        except ValueError:
            raise UserError("联审部门应写作 单位代码=YYYY-MM-DD（非必须参加的加“,可选”），现为“{spec}”",
                            spec=spec[:80], log="bad --department") from None
        asked.append((code.strip().upper(), due, flag.strip() not in ("可选", "optional")))
    return joint_desk.departments_payload(ctx, asked)


def _return_line(text: str) -> dict[str, str]:
    """One ``--return 材料=补正内容`` of a 退回."""
    material, sep, what = text.partition("=")
    if not sep:
        raise UserError("--return 应写作“材料名称=需补正的内容”，而不是“{value}”", value=text[:80],
                        log="--return without '='")
    return {"material": material.strip(), "what": what.strip()}


def cmd_case_action(ctx: ctxmod.AppContext, args: argparse.Namespace, out: Output) -> None:
    kind = ActionType(args.action.replace("-", "_"))
    payload = _action_payload(kind, args)
    if kind is ActionType.JOINT_REVIEW:
        payload["departments"] = _joint_departments(ctx, args.department)
    res = perform(ctx, args.case, kind, payload)
    body: dict[str, Any] = {"id": res.case_id, "case_no": res.case_no, "action_id": res.action_id,
                            "status": str(res.status)}
    issued = licences.issued_licence(ctx, res.case_id) if kind is ActionType.ISSUE else None
    if issued is not None:
        body["licence"] = {"id": str(issued.id), "kind": str(issued.kind), "name": issued.name,
                           "pdf_sha256": issued.pdf_sha256,
                           "valid_until": issued.valid_until.isoformat() if issued.valid_until else None}

    def human(d: dict[str, Any]) -> str:
        line = f"{d['case_no']}：{kind.label}完成，当前状态：{res.status.label}"
        return line + (f"\n证照标识：{d['licence']['id']}" if "licence" in d else "")

    out.emit(body, human)


_PAGE_KINDS = {"bitonal": "黑白", "gray": "灰度", "color": "彩色"}


def _local(iso: str) -> str:
    """A stored time as the reader's clock shows it, to the minute."""
    return f"{dt.datetime.fromisoformat(iso).astimezone():%Y-%m-%d %H:%M}"


def _platform_time(action: dict[str, Any]) -> str:
    """When the platform received an action, or why it has not (for ``case show``)."""
    sync = action.get("sync") or {}
    if sync.get("state") == "refused":
        return f"平台拒绝：{sync.get('reason') or '未说明原因'}"
    if sync.get("received_at"):
        return f"平台 {_local(sync['received_at'])}"
    return "平台已接收" if sync.get("state") == "accepted" else "待同步"


def _human_case(c: dict[str, Any]) -> str:
    from app.services import intake
    lines = [f"受理编号  {c['case_no']}", f"事项      {c['item_name']}（{c['item_code']}）",
             f"申请人    {c['applicant']['name']}", f"状态      {c['status_label']}"]
    if c["deadline"]:
        d = c["deadline"]
        lines.append(f"办结时限  {d['date']}{'（暂定）' if d['provisional'] else ''}")
    if c["missing"]:
        lines.append("需补齐    " + "、".join(c["missing"]))
    for m in c["materials"]:
        lines.append(f"材料      {m['name']}（{len(m['pages'])}页）")
        for n, p in enumerate(m["pages"], 1):
            notes = [intake.page_message(code, n) for code in (["blank"] if p["blank"] else []) + p["warnings"]]
            kind = _PAGE_KINDS.get(p["kind"], p["kind"])
            if p.get("rotation"):
                notes.insert(0, f"顺时针旋转{p['rotation']}°")
            if p.get("present") is False:
                notes.append("图像尚未从平台下载")
            lines.append(f"  第{n}页  {kind}  {p['bytes'] / 1024:.0f} KB" + ("  " + "；".join(notes) if notes else ""))
    if e := c.get("evaluation"):
        why = f"（{'、'.join(e['reasons'])}）" if e["reasons"] else ""
        due = f"，须于 {e['follow_up_due']} 前回访整改" if e["follow_up_due"] else ""
        lines.append(f"好差评    {e['level']}{why}{due}")
    lines.extend(f"缴费      {f['amount']} 元  订单号 {f['reference']}" for f in c.get("fees", []))
    if j := c.get("joint"):
        lines.append(f"联审      {j['rule_label']}" + (f"；{j['waiting']}" if j["waiting"] else ""))
        for d in j["departments"]:
            state = f"{d['result']}：{d['text']}" if d["result"] else ("逾期未反馈" if d["late"] else "未反馈")
            lines.append(f"  {d['name']}  期限 {d['due']}{'' if d['required'] else '（可选）'}  {state}")
    units = c.get("units", {})
    if c.get("holder") and c["holder"] != c.get("org"):
        lines.append(f"办理单位  {units.get(c['holder'], c['holder'])}")
    for o in c.get("overrides", []):
        pages = "；".join(f"材料“{p['material']}”{p['message']}" for p in o["pages"])
        lines.append(f"质检放行  {o['reason']}（{o['actor_label']}）  {pages}")
    for f in c.get("forwards", []):
        if f["text"]:
            lines.append(f"上报意见  {units.get(f['unit'], f['unit'])}：{f['text']}")
    for o in c.get("opinions", []):
        lines.append(f"上级意见  {o.get('unit_name') or o['unit']}：{o['result']}  {o['text']}")
    for a in c["actions"]:
        lines.append(f"  {_local(a['at'])}  {a['label']}  {a.get('actor_label') or a['actor']}  {_platform_time(a)}")
    for n in c.get("notices", []):
        lines.append(f"通知书    {n['kind']}  {n['at'][:16].replace('T', ' ')}" + ("  已签名" if n["signed"] else ""))
    return "\n".join(lines)


def cmd_case_show(ctx: ctxmod.AppContext, args: argparse.Namespace, out: Output) -> None:
    from app.services import audit
    out.emit(audit.open_case(ctx, args.case), _human_case)


def cmd_case_list(ctx: ctxmod.AppContext, args: argparse.Namespace, out: Output) -> None:
    rows = queries.list_cases(ctx, status=args.status, search=args.search)
    out.emit(rows, lambda rs: "\n".join(
        f"{r['case_no']}  {r['status']:<18} {r['light'] or '-':<6} {r['applicant']}  {r['item_name']}"
        for r in rs) or "没有符合条件的办件")


def cmd_case_export(ctx: ctxmod.AppContext, args: argparse.Namespace, out: Output) -> None:
    from app.services import export
    files = export.export_case(ctx, args.case, Path(args.out))
    note = "注意：导出的文件未加密（含申请人个人信息），请妥善保管，用后删除"
    out.emit({"files": [str(f) for f in files], "plaintext": True}, lambda d: "\n".join([*d["files"], note]))


def cmd_case_viewers(ctx: ctxmod.AppContext, args: argparse.Namespace, out: Output) -> None:
    from app.services import audit
    seen = audit.viewers_everywhere(ctx, args.case) if args.platform else audit.viewers(ctx, args.case)
    out.emit(seen, lambda rows: "\n".join(f"{r['at'][:16].replace('T', ' ')}  {r['actor_name']}（{r['actor']}）  "
                                           f"{r['what_label']}  {r['unit']}" for r in rows) or "没有查看记录")


def cmd_away(ctx: ctxmod.AppContext, args: argparse.Namespace, out: Output) -> None:
    from app.services import people
    result = people.mark_away(ctx, args.user, not args.back)
    out.emit(result, lambda d: f"{d['user']} 已{'标记为不在岗，由B岗（备岗）办理' if d['away'] else '回到岗位'}")


def cmd_deadline(args: argparse.Namespace, out: Output) -> None:
    if args.days < 0:
        raise UserError("工作日数不能为负数", log=f"negative day count {args.days}")
    unlocked = _signed_in(args.data, required=False) if (args.data / "chuangkou.sqlite3").is_file() else None
    if unlocked is not None:  # the platform's newer holiday years are in the (encrypted) database
        ctx = ctxmod.open_context(args.data, unlocked.session, unlocked.keys)
        cal = ctx.calendar
        ctx.close()
    else:
        cal = WorkCalendar.from_table(load_json(HOLIDAY_FILE))
    d = compute_deadline(cal, args.accepted, args.days)
    note = "（暂定：该年度法定节假日尚未公布，按周一至周五计算）"
    out.emit({"deadline": d.due.isoformat(), "provisional": d.provisional},
             lambda x: x["deadline"] + (note if x["provisional"] else ""))


def cmd_config_list(ctx: ctxmod.AppContext, args: argparse.Namespace, out: Output) -> None:
    out.emit(unit_settings.list_settings(ctx), lambda rows: "\n".join(
        f"{r['name']} = {r['value']!r}\n    {r['description']}" for r in rows))


def cmd_config_set(ctx: ctxmod.AppContext, args: argparse.Namespace, out: Output) -> None:
    value = unit_settings.set_setting(ctx, args.name, args.value).settings.get(args.name)
    out.emit({"name": args.name, "value": value}, lambda d: f"已设置 {d['name']} = {d['value']!r}")


def cmd_gc(ctx: ctxmod.AppContext, args: argparse.Namespace, out: Output) -> None:
    r = maintenance.collect_garbage(ctx)
    out.emit({"removed": r.removed, "skipped": r.skipped},
             lambda d: "数据目录正被其他程序使用，未清理" if d["skipped"] else f"已清理 {d['removed']} 个无用文件")


def cmd_verify(ctx: ctxmod.AppContext, args: argparse.Namespace, out: Output) -> int:
    breaks = maintenance.verify_chain(ctx)
    if args.against_platform:
        seen = {(b.case_id, b.action_id) for b in breaks}
        breaks += [b for b in verify_remote.against_platform(ctx) if (b.case_id, b.action_id) not in seen]
    out.emit({"ok": not breaks, "broken": [
        {"case_id": b.case_id, "case_no": b.case_no, "action_id": b.action_id, "seq": b.seq, "reason": b.reason}
        for b in breaks]}, lambda d: "操作记录完整，未发现篡改" if d["ok"] else "\n".join(b.describe() for b in breaks))
    return EXIT_TAMPERED if breaks else 0


def cmd_recover(args: argparse.Namespace, out: Output) -> None:
    unlocked = _signed_in(args.data)
    assert unlocked is not None
    report = maintenance.recover(args.data, unlocked.keys[0], org=args.org, platform_url=args.platform)
    out.emit(report.to_dict(), lambda _: "\n".join(report.lines()))


def _password(prompt_ok: bool) -> str | None:
    password = os.environ.get(sync_run.PASSWORD_ENV)
    if password is None and prompt_ok and sys.stdin.isatty():
        password = getpass.getpass("口令：")
    return password


def _signed_in(data: Path, *, required: bool = True) -> signin.Unlocked | None:
    """Who runs this command: ``CHUANGKOU_PASSWORD`` (with ``CHUANGKOU_USER`` or the last user to sign
    in here), else the session ``login`` keeps in the OS keyring. UserError if nobody (and ``required``)."""
    keys = signin.load_keys(data)
    password = os.environ.get(sync_run.PASSWORD_ENV)
    user = os.environ.get(USER_ENV) or (keys.last_user if keys is not None else "")
    if password and user:
        return signin.sign_in(data, user, password, clock=ctxmod.local_now, prefer_online=False)
    held = signin.held_session(data, ctxmod.local_now)
    if held is not None or not required:
        return held
    raise UserError("请先登录：python -m app login --user 用户名（或为脚本设置环境变量 {password_env}）",
                    password_env=sync_run.PASSWORD_ENV,
                    log="command without a signed-in user")


def cmd_login(args: argparse.Namespace, out: Output) -> None:
    password = _password(prompt_ok=True)
    if password is None:
        raise UserError("请输入口令：在终端运行，或设置环境变量 {password_env}", password_env=sync_run.PASSWORD_ENV,
                        log="login without a terminal or password variable")
    unlocked = signin.sign_in(args.data, args.user, password, clock=ctxmod.local_now, prefer_online=True)
    ctx = ctxmod.open_context(args.data, unlocked.session, unlocked.keys, tokens=unlocked.tokens)
    try:
        if unlocked.unit is not None:
            sync_run.record_sign_in(ctx, unlocked.unit)
    finally:
        ctx.close()
    keys = signin.load_keys(args.data)
    held = keys is not None and signin.hold_session(keys, unlocked.session.user, ctxmod.local_now)
    s = unlocked.session
    how = "联网登录" if s.online else "离线登录（平台暂时无法连接）"
    where = ("登录状态保存在系统密钥环中，无操作 15 分钟后需重新登录" if held else
             f"本机没有可用的系统密钥环，不保存登录状态：每条命令需设置环境变量 {sync_run.PASSWORD_ENV}")
    out.emit({"user": s.user, "name": s.name, "role": s.role, "org": s.unit, "online": s.online, "held": held},
             lambda d: f"已登录：{s.label}，{how}；{where}")


def cmd_rekey(args: argparse.Namespace, out: Output) -> None:
    password = _password(prompt_ok=True)
    keys = signin.load_keys(args.data)
    user = os.environ.get(USER_ENV) or (keys.last_user if keys is not None else "")
    if password is None or not user:
        raise UserError("请在终端运行，或设置环境变量 {password_env}（和 {user_env}）",
                        password_env=sync_run.PASSWORD_ENV, user_env=USER_ENV,
                        log="rekey without a password")
    signin.rekey(args.data, user, password, clock=ctxmod.local_now)
    out.emit({"rekeyed": True, "user": user},
             lambda d: "已更换本机数据密钥，全部材料和数据库已用新密钥重新加密。其他人员下次需联网登录一次。")


def cmd_whoami(args: argparse.Namespace, out: Output) -> None:
    unlocked = _signed_in(args.data, required=False)
    if unlocked is None:
        out.emit({"user": None}, lambda d: "未登录")
        return
    s = unlocked.session
    out.emit({"user": s.user, "name": s.name, "role": s.role, "org": s.unit,
              "posts": [{"item_code": c, "post": p} for c, p in s.posts]}, lambda d: f"{s.label}，单位 {s.unit}")


def cmd_logout(args: argparse.Namespace, out: Output) -> None:
    unlocked = _signed_in(args.data, required=False)
    signed_out = False
    if unlocked is not None:
        ctx = ctxmod.open_context(args.data, unlocked.session, unlocked.keys)
        try:
            signed_out = sync_run.logout(ctx)
        finally:
            ctx.close()
    signin.end_held_session(args.data)
    out.emit({"signed_out": True, "platform_tokens": signed_out},
             lambda d: "已退出登录" + ("，市级平台的令牌已失效" if signed_out else ""))


def _human_sync(d: dict[str, Any]) -> str:
    text = f"已上传 {d['pushed']} 项操作，接收 {d['pulled']} 项变更，待上传办件 {d['pending']} 件"
    for r in d.get("refused", []):
        text += f"\n平台未接收：办件 {r['case_no']}：{r['reason']}"
    if d.get("set_aside"):
        text += f"\n另有 {d['set_aside']} 项平台变更本机暂时无法处理，已暂存，之后的同步会再试（详见日志）"
    if d.get("others"):
        text += f"\n另有 {d['others']} 件办件的下一步操作由本机其他人员办理，需其本人登录本机后上传"
    if d.get("note"):
        text += f"\n{d['note']}"
    return text


def cmd_sync(ctx: ctxmod.AppContext, args: argparse.Namespace, out: Output) -> None:
    while True:
        report = sync_run.sync_once(ctx)
        out.emit({"pushed": report.pushed, "pulled": report.pulled, "pending": report.pending,
                  "refused": report.refused, "set_aside": report.set_aside, "note": report.note,
                  "others": report.others}, _human_sync)
        if args.once:
            return
        time.sleep(max(ctx.settings.get("sync.interval"), 5))


# -- parser --------------------------------------------------------------------------------
_ACTION_OPTIONS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "accept": [("--days", {"type": int, "help": "承诺时限（工作日），默认取事项目录"})],
    "reject": [("--reason", {"required": True, "help": "不予受理的理由"})],
    "notify-missing": [("--missing", {"action": "append", "required": True, "help": "缺少或需补正的材料，可重复"})],
    "start-review": [],
    "suspend": [("--reason", {"required": True, "help": "中止计时的原因（现场踏勘、专家评审、补正…）"})],
    "resume": [],
    "withdraw": [("--reason", {"help": "撤回原因"})],
    "forward": [("--to", {"required": True, "help": "上报的单位代码"}), ("--text", {"help": "本级意见"})],
    "opinion": [("--result", {"required": True, "choices": ["同意", "退回", "不同意"]}),
                ("--text", {"required": True}),
                ("--return", {"action": "append", "dest": "returns",
                              "help": "退回时需补正的材料及内容，写作“材料名称=需补正的内容”，可重复"})],
    "decide": [("--result", {"required": True, "choices": ["准予", "不予"]}), ("--text", {})],
    "issue": [("--text", {"help": "结果文书说明"})],
    "deliver": [("--method", {"required": True, "choices": ["窗口自取", "邮寄", "自助终端"]}),
                ("--tracking", {"help": "邮寄单号（邮寄时必填）"}),
                ("--pickup-code", {"help": "自助终端取件码（自助终端时必填）"})],
    "archive": [],
    "revoke-licence": [("--reason", {"required": True, "help": "注销证照的理由"})],
    "paper-check": [("--result", {"required": True, "choices": ["属实", "不属实"],
                                  "help": "告知承诺件纸质材料的核查结果"}),
                    ("--text", {"help": "核查情况（不属实时必填）"})],
    "joint-review": [("--department", {"action": "append", "required": True, "metavar": "单位代码=YYYY-MM-DD[,可选]",
                                       "help": "联审部门及其反馈期限，可重复；加“,可选”表示非必须参加"})],
    "joint-opinion": [("--result", {"required": True, "choices": ["同意", "不同意"]}), ("--text", {"required": True})],
}


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", type=Path, default=argparse.SUPPRESS, help="数据目录")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="输出 JSON")
    p = argparse.ArgumentParser(prog="python -m app", parents=[common], description="窗口（Chuangkou）命令行")
    sub = p.add_subparsers(dest="command", required=True)

    init = sub.add_parser("init", parents=[common], help="初始化本单位数据目录")
    init.add_argument("--org", required=True, help="本单位统一社会信用代码或行政区划代码")
    init.add_argument("--platform", help="市级平台地址（https://…）")
    init.add_argument("--ca-bundle", help="本单位 CA 证书文件的完整路径（平台使用内网自建 CA 时填写，首次登录即需要）")
    init.set_defaults(run=cmd_init, needs_ctx=False)

    cli_seal.add_parsers(sub, common)

    catalog = sub.add_parser("catalog", parents=[common], help="事项目录").add_subparsers(dest="sub", required=True)
    catalog.add_parser("list", parents=[common], help="列出事项").set_defaults(run=cmd_catalog_list)
    cli_catalog.add_parsers(catalog, common)

    case = sub.add_parser("case", parents=[common], help="办件").add_subparsers(dest="sub", required=True)
    new = case.add_parser("new", parents=[common], help="收件：新建办件")
    new.add_argument("--item", required=True, help="事项基本编码")
    new.add_argument("--applicant", required=True, help="申请人 JSON 文件")
    new.add_argument("--material", action="append", help='"材料名称=第1页.jpg,第2页.png"，可重复')
    new.add_argument("--accept-warnings", metavar="理由", help="页面有质量问题（模糊、太暗…）时仍收件，并记录理由")
    new.add_argument("--keep-blank", action="store_true", help="保留空白页（默认去除）")
    new.add_argument("--source", choices=["auto", "scanner", "camera"], default="auto",
                     help="页面来源：扫描仪、高拍仪或自动判断（默认）")
    new.add_argument("--channel", choices=RECEIVE_CHANNELS, default=RECEIVE_CHANNELS[0],
                     help="收件渠道：窗口（默认）或网上（网上申报、窗口接件），计入月报")
    new.set_defaults(run=cmd_case_new)
    amend_p = case.add_parser(
        "amend", parents=[common], help="补正材料：插入、删除、调整顺序、旋转或重新扫描页面（受理前）",
        description="按给出的顺序修改材料；页码从1开始，按前一步修改后的材料计。例如：\n"
                    "  --edit rotate 申请表 2 90   --edit rescan 申请表 3 新扫描.jpg\n"
                    "  --edit insert 申请表 2 a.jpg b.jpg   --edit delete 申请表 4   --edit move 申请表 5 1\n"
                    "  --edit add 户口簿 p1.jpg p2.jpg   --edit remove 营业执照",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    amend_p.add_argument("case", help="受理编号或办件 ID")
    amend_p.add_argument("--edit", action="append", nargs="+", required=True, metavar="修改",
                         help="insert|rescan|delete|move|rotate|add|remove 材料名称 …，可重复")
    amend_p.add_argument("--accept-warnings", metavar="理由", help="新页面有质量问题时仍接收，并记录理由")
    amend_p.add_argument("--keep-blank", action="store_true", help="保留空白页（默认去除）")
    amend_p.add_argument("--source", choices=["auto", "scanner", "camera"], default="auto",
                         help="新页面来源：扫描仪、高拍仪或自动判断（默认）")
    amend_p.set_defaults(run=cmd_case_amend)
    for name, options in _ACTION_OPTIONS.items():
        sp = case.add_parser(name, parents=[common], help=ActionType(name.replace("-", "_")).label)
        sp.add_argument("case", help="受理编号或办件 ID")
        for flag, kw in options:
            sp.add_argument(flag, **kw)
        sp.set_defaults(run=cmd_case_action, action=name)
    cli_evaluation.add_parsers(case, common)
    cli_notices.add_parser(case, common)
    show = case.add_parser("show", parents=[common], help="查看办件")
    show.add_argument("case")
    show.set_defaults(run=cmd_case_show)
    lst = case.add_parser("list", parents=[common], help="办件列表")
    lst.add_argument("--status")
    lst.add_argument("--search")
    lst.set_defaults(run=cmd_case_list)
    exp = case.add_parser("export", parents=[common], help="导出办件材料")
    exp.add_argument("case")
    exp.add_argument("--out", required=True)
    exp.set_defaults(run=cmd_case_export)
    viewers = case.add_parser("viewers", parents=[common], help="谁查看过该办件（效能监察）")
    viewers.add_argument("case", help="受理编号或办件 ID")
    viewers.add_argument("--platform", action="store_true", help="从市级平台读取各单位的查看记录（需联网）")
    viewers.set_defaults(run=cmd_case_viewers)

    dl = sub.add_parser("deadline", parents=[common], help="计算办结时限")
    dl.add_argument("--accepted", type=_date, required=True, help="受理日期 YYYY-MM-DD")
    dl.add_argument("--days", type=int, required=True, help="时限（工作日）")
    dl.set_defaults(run=cmd_deadline, needs_ctx=False)

    login = sub.add_parser("login", parents=[common],
                           help=f"登录市级平台（口令取自 {sync_run.PASSWORD_ENV} 或提示输入）")
    login.add_argument("--user", required=True, help="平台用户名")
    login.set_defaults(run=cmd_login, needs_ctx=False)
    logout = sub.add_parser("logout", parents=[common], help="退出登录（本机登录状态和平台令牌随即失效）")
    logout.set_defaults(run=cmd_logout, needs_ctx=False)
    away = sub.add_parser("away", parents=[common], help="标记A岗人员不在岗（由B岗办理），或回到岗位")
    away.add_argument("--user", help="标记的人员（默认本人；单位管理员可标记本单位人员）")
    away.add_argument("--back", action="store_true", help="回到岗位")
    away.set_defaults(run=cmd_away)
    rekey = sub.add_parser("rekey", parents=[common], help="更换本机数据密钥（全部数据用新密钥重新加密）")
    rekey.set_defaults(run=cmd_rekey, needs_ctx=False)
    whoami = sub.add_parser("whoami", parents=[common], help="显示当前登录的人员")
    whoami.set_defaults(run=cmd_whoami, needs_ctx=False)
    sync = sub.add_parser("sync", parents=[common], help="与市级平台同步（上传办件、接收变更）")
    sync.add_argument("--once", action="store_true", help="同步一次后退出（默认持续同步）")
    sync.set_defaults(run=cmd_sync)

    config = sub.add_parser("config", parents=[common], help="本单位设置").add_subparsers(dest="sub", required=True)
    config.add_parser("list", parents=[common], help="列出全部设置").set_defaults(run=cmd_config_list)
    config_set = config.add_parser("set", parents=[common], help="修改一项设置")
    config_set.add_argument("name", help="设置名称，如 imaging.color_materials")
    config_set.add_argument("value", help="新的值")
    config_set.set_defaults(run=cmd_config_set)

    cli_devices.add_parsers(sub, common)
    cli_figures.add_parsers(sub, common)
    cli_documents.add_parsers(sub, common)
    cli_supervision.add_parsers(sub, common)
    sub.add_parser("gc", parents=[common], help="清理中断写入留下的文件").set_defaults(run=cmd_gc)
    verify = sub.add_parser("verify", parents=[common], help="校验操作记录链（发现篡改时退出码为3）")
    verify.add_argument("--against-platform", action="store_true",
                        help="同时与市级平台接收时记录的操作链核对（可发现连同链尾一起被改写的记录）")
    verify.set_defaults(run=cmd_verify)
    recover = sub.add_parser(
        "recover", parents=[common], help="修复损坏的本地数据库（损坏的文件另存保留，不删除）",
        description="数据库损坏时使用（窗口程序提示「本地数据库文件已损坏」）。先关闭窗口程序。\n"
                    "损坏的文件连同 -wal 文件移到 数据目录/damaged/<时间>/，不删除、不改动；\n"
                    "新建数据库，从损坏的文件中读回能读出的一切：完整的办件逐件恢复，不完整的逐件列出；\n"
                    "材料文件（blobs/）原样保留。之后同步一次：已同步到市级平台的办件会自动取回。\n"
                    "未同步又未能恢复的办件会列出受理编号、申请人和事项，请按纸质材料重新收件；\n"
                    "这些受理编号保留，不会再分配给新办件。报告另存为 damaged/<时间>/恢复报告.txt。\n"
                    "数据库完好时不做任何改动。",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    recover.add_argument("--org", help="损坏的文件中读不出本单位代码时，用这里给出的代码")
    recover.add_argument("--platform", help="损坏的文件中读不出市级平台地址时，用这里给出的地址")
    recover.set_defaults(run=cmd_recover, needs_ctx=False)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    private_files()
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as e:  # argparse has printed its message; usage errors are user errors
        return int(e.code or 0)
    args.data = getattr(args, "data", None) or default_data_dir()
    out = Output(getattr(args, "json", False))
    setup_logging(args.data if args.data.is_dir() else None, console=False)
    try:
        if not getattr(args, "needs_ctx", True):
            return int(args.run(args, out) or 0)
        unlocked = _signed_in(args.data)
        assert unlocked is not None
        ctx = ctxmod.open_context(args.data, unlocked.session, unlocked.keys, tokens=unlocked.tokens)
        try:
            return int(args.run(ctx, args, out) or 0)
        finally:
            ctx.close()
    except Exception as e:
        # A storage failure that got past the store (a read, a download's partial file) is the
        # clerk's to fix like any other user error; everything else is a bug.
        user = e if isinstance(e, UserError) else faults.classify(e, args.data)
        if user is None:
            log.exception("bug while running %s", sys.argv)
            raise
        log.warning("user error: %s", user.log)
        print(user.message, file=sys.stderr)
        return 2
