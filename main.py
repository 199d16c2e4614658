"""Start the Chuangkou desktop window (``python main.py --demo`` to try it on sample data)."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app.cli import USER_ENV, default_data_dir, private_files
from app.core.errors import UserError
from app.logs import TailHandler, setup_logging
from app.services import signed_in, signin
from app.services.context import AppContext, init_data_dir, local_now
from app.services.demo_platform import DemoPlatform
from app.services.sync_run import PASSWORD_ENV

log = logging.getLogger("main")
DEMO_ORG = "11450403MB0123456N"
DEMO_CASES = 60
#: the demo unit's address and phones, printed on its notices
DEMO_UNIT = {"unit.address": "梧州市万秀区城东镇新兴二路12号", "unit.phone": "0774-3822345",
             "unit.complaint_phone": "12345"}
#: the demo people's password (the demo platform's accounts share it too)
DEMO_PASSWORD = "chuangkou-demo"
#: the offline demo's people (with a platform, its seeded accounts)
OFFLINE_DEMO_PEOPLE = (("demo-reviewer", "演示审核员", "reviewer"), ("demo-approver", "演示审批员", "approver"),
                       ("demo-clerk", "演示受理员", "clerk"))


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="chuangkou", description="窗口 — 政务服务受理（桌面程序）。启动后先登录；"
        f"无人值守启动（脚本、截图）时可设置环境变量 {PASSWORD_ENV}（及 {USER_ENV}）代替登录。")
    parser.add_argument("--data", type=Path, default=None,
                        help=f"数据目录（默认 {default_data_dir()}）")
    parser.add_argument("--demo", action="store_true",
                        help="在临时目录中生成演示数据并打开（不影响正式数据）")
    parser.add_argument("--lang", choices=("zh_CN", "en"), default=None,
                        help="界面语言（默认取设置 ui.language）")
    parser.add_argument("--screenshot", type=Path, default=None, metavar="FILE",
                        help="列表加载完成后把窗口截图保存为 PNG 并退出")
    return parser.parse_args(argv)


def prepare_environment() -> None:
    # The PySide6 wheel has no fcitx plugin; fcitx5 also serves the ibus protocol (DESIGN §10).
    if sys.platform.startswith("linux") and not os.environ.get("QT_IM_MODULE"):
        os.environ["QT_IM_MODULE"] = "ibus"


def make_demo() -> tuple[AppContext, TailHandler, DemoPlatform | None]:
    """A throwaway data folder with sample cases in every state, and a local platform if possible.

    The unit's clerk, reviewer and approver each sign in for real (online with the platform, so
    each has a key slot here; offline, after slots made as their first sign-in would), so the
    window can lock and switch between them; the clerk stays signed in.
    """
    from app.services import demo_platform, devices, unit_settings
    from app.services.demo import make_demo_data

    folder = Path(tempfile.mkdtemp(prefix="chuangkou-demo-"))
    data = folder / "data"
    platform = None
    if demo_platform.available():
        print("正在启动演示用市级平台…", flush=True)
        try:
            platform = demo_platform.start(folder / "platform")
        except RuntimeError as e:
            print(f"演示用市级平台未能启动，将离线演示：{e}", flush=True)
    org = platform.township()["code"] if platform else DEMO_ORG
    init_data_dir(data, org, platform.url if platform else "")
    tail = setup_logging(data, console=sys.stderr is not None)
    if platform:
        accounts = [platform.user_of(org, role) for role in ("reviewer", "approver", "clerk")]
        logins = [(a["username"], a["password"]) for a in accounts]
    else:  # nobody to vouch for a person: they are enrolled here as if they had signed in online once
        _enrol_offline_demo(data, org)
        logins = [(user, DEMO_PASSWORD) for user, _, _ in OFFLINE_DEMO_PEOPLE]
    check = demo_password_check(data)
    staff = [check(user, password, True) for user, password in logins]
    people, tokens = [u.session for u in staff], [u.tokens for u in staff]
    # the clerk's, with the unit's name and window number (case numbers carry it) as the platform said
    ctx = devices.use_simulated_devices(signed_in.open_signed_in(data, staff[-1]))
    for name, value in DEMO_UNIT.items():  # what the unit's notices print beside its name
        ctx = unit_settings.set_setting(ctx, name, value)
    try:
        if platform:
            _demo_seal(ctx, people[1], tokens[1])
        forward_to = platform.township()["parent"] if platform else None
        print(f"正在生成演示数据（{DEMO_CASES} 件办件）…", flush=True)
        make_demo_data(ctx, folder / "pages", DEMO_CASES, forward_to=forward_to, staff=people[:-1])
        if platform:
            _demo_sync(ctx, people, tokens)
    except BaseException:
        ctx.close()
        if platform:
            platform.stop()
        raise
    print(f"演示数据目录：{data}", flush=True)
    print(f"演示账号（锁屏解锁、切换用户时使用）：{'、'.join(u for u, _ in logins)}，口令 {logins[-1][1]}", flush=True)
    if platform:
        print(f"演示用市级平台：{platform.url}（数据在 {folder / 'platform'}）", flush=True)
    return ctx, tail, platform


def demo_password_check(data: Path) -> Callable[[str, str, bool], signin.Unlocked]:
    """Sign-ins on the demo folder, for the demo itself and the window's sign-in screens: real ones,
    but a person's platform tokens stay in memory (a throwaway platform has no business in the OS
    keyring)."""
    from app.sync.client import PlatformClient
    from app.sync.credentials import MemoryTokens

    def check(user: str, password: str, prefer_online: bool) -> signin.Unlocked:
        tokens = MemoryTokens()
        unlocked = signin.sign_in(data, user, password, clock=local_now, prefer_online=prefer_online,
                                  client_factory=lambda url, _, ca: PlatformClient(url, tokens, ca_bundle=ca))
        return dataclasses.replace(unlocked, tokens=tokens) if unlocked.unit is not None else unlocked

    return check


def _enrol_offline_demo(data: Path, org: str) -> None:
    """Key slots for the offline demo's people, as their first (online) sign-in would have made them."""
    import datetime as dt

    from app.core.session import Session
    from app.core.settings import Settings
    from app.store import keyslots
    from app.store.crypto import Argon2Params

    keys = keyslots.load(data)
    key = keyslots.enrolment_key(keys)
    assert key is not None
    params = Argon2Params(memory_kib=int(Settings().get("signin.argon2_memory_kib")))
    for user, name, role in OFFLINE_DEMO_PEOPLE:
        profile = Session(user=user, name=name, role=role, unit=org).profile()
        keys = keys.with_slot(keyslots.user_slot(keys, user, DEMO_PASSWORD, [key], profile, dt.datetime.now(dt.UTC),
                                                 params))
    keyslots.save(data, dataclasses.replace(keys.without("enrolment"), last_user=OFFLINE_DEMO_PEOPLE[-1][0]))


def _demo_seal(ctx: AppContext, approver: Any, kept: Any) -> None:
    """The approver asks the demo platform's CA for the unit's seal certificate, as a real unit's does
    once: the notices, review sheets and licences the demo issues then bear the unit's e-seal."""
    from app.services import seal_keys, sync_run

    print("正在向演示平台申请单位电子印章证书…", flush=True)
    as_approver = dataclasses.replace(ctx, session=approver, tokens=kept)
    with sync_run.make_client(as_approver) as client:
        seal_keys.request_certificate(as_approver, client)
    sync_run.sync_once(as_approver)


def _demo_sync(ctx: AppContext, people: list[Any], tokens: list[Any]) -> None:
    """Each person uploads their own steps (the platform takes a step only from its doer), in rounds
    until a round moves nothing (a case's next step may wait for a colleague's earlier one)."""
    from app.services import sync_run

    for _ in range(8):
        moved = 0
        for person, kept in zip(people, tokens, strict=True):
            moved += sync_run.sync_once(dataclasses.replace(ctx, session=person, tokens=kept)).pushed
        if not moved:
            return


def unattended_sign_in(data: Path) -> AppContext | None:
    """A start with nobody at the screen (a script, a screenshot): ``CHUANGKOU_PASSWORD`` (with
    ``CHUANGKOU_USER`` or the last person to sign in here) signs in as the command line's does.

    None without it: the window opens on its sign-in screen. The command line's held session
    (``login``) does not open the window: whoever sits at it signs in.
    """
    password = os.environ.get(PASSWORD_ENV)
    if not password:
        return None
    keys = signin.load_keys(data)
    user = os.environ.get(USER_ENV) or (keys.last_user if keys is not None else "")
    unlocked = signin.sign_in(data, user, password, clock=local_now, prefer_online=False)
    return signed_in.open_signed_in(data, unlocked)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    prepare_environment()
    private_files()
    qt_argv = [sys.argv[0]]
    platform = None
    ctx: AppContext | None = None  # opened here, closed here
    check = None
    try:
        if args.demo:
            ctx, tail, platform = make_demo()
            start: AppContext | Path = ctx
            check = demo_password_check(ctx.data_dir)
        else:
            data = args.data or default_data_dir()
            tail = setup_logging(data if data.is_dir() else None, console=sys.stderr is not None)
            signed_in.people_here(data)  # a folder that cannot be opened at all says so before the sign-in screen
            ctx = unattended_sign_in(data)
            start = ctx or data
    except UserError as e:
        log.info("cannot start: %s", e.log)
        print(e.message, file=sys.stderr)
        from app.ui.app import show_startup_error

        show_startup_error(qt_argv, e.message)
        return 2
    from app.ui import app  # Qt is imported only once the data folder is known to be good

    try:
        return app.run(start, qt_argv, language=args.lang, screenshot=args.screenshot, tail=tail,
                       check_password=check)
    finally:
        if ctx is not None:
            ctx.close()
        if platform:
            platform.stop()


if __name__ == "__main__":
    sys.exit(main())
