"""Start the Chuangkou desktop window (``python main.py --demo`` to try it on sample data)."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.cli import default_data_dir, private_files
from app.core.errors import UserError
from app.logs import TailHandler, setup_logging
from app.services.context import AppContext, init_data_dir, local_now, open_context
from app.services.demo_platform import DemoPlatform

log = logging.getLogger("main")
DEMO_ORG = "11450403MB0123456N"
DEMO_CASES = 60


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="chuangkou", description="窗口 — 政务服务受理（桌面程序）")
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

    With the platform, the unit's clerk, reviewer and approver each sign in for real (online, so
    each has a key slot here and the window can switch between them); the clerk stays signed in.
    """
    from app.core.session import Session
    from app.services import demo_platform, devices, sync_run
    from app.services.demo import make_demo_data
    from app.store import keyslots

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
        staff = [_demo_sign_in(data, platform.user_of(org, role)) for role in ("reviewer", "approver", "clerk")]
        people, tokens = [u.session for u in staff], [u.tokens for u in staff]
        keys = staff[-1].keys
    else:  # nobody to vouch for a person: the throwaway folder opens with its enrolment key
        key = keyslots.enrolment_key(keyslots.load(data))
        assert key is not None
        people = [Session(user=f"demo-{role}", name=name, role=role, unit=org)
                  for role, name in (("reviewer", "演示审核员"), ("approver", "演示审批员"), ("clerk", "演示受理员"))]
        keys, tokens = [key], [None, None, None]
    clerk = people[-1]
    ctx = devices.use_simulated_devices(open_context(data, clerk, keys, tokens=tokens[-1]))
    try:
        if platform:  # the unit's name and window number (case numbers carry it), as the platform said
            ctx = sync_run.record_sign_in(ctx, staff[-1].unit)
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
    if platform:
        print(f"演示用市级平台：{platform.url}（数据在 {folder / 'platform'}）", flush=True)
    return ctx, tail, platform


def _demo_sign_in(data: Path, account: dict[str, Any]) -> Any:
    """A demo person's real, online sign-in; their tokens stay in memory (a throwaway platform
    has no business in the OS keyring)."""
    from app.services import signin
    from app.sync.client import PlatformClient
    from app.sync.credentials import MemoryTokens

    tokens = MemoryTokens()
    unlocked = signin.sign_in(data, account["username"], account["password"], clock=local_now,
                              client_factory=lambda url, _, ca: PlatformClient(url, tokens, ca_bundle=ca))
    return dataclasses.replace(unlocked, tokens=tokens)


def _demo_sync(ctx: AppContext, people: list[Any], tokens: list[Any]) -> None:
    """Each person uploads their own steps (the platform takes a step only from its doer), a few rounds."""
    from app.services import sync_run

    for _ in range(3):
        for person, kept in zip(people, tokens, strict=True):
            report = sync_run.sync_once(dataclasses.replace(ctx, session=person, tokens=kept))
        if not report.others and report.pending == 0:
            return


def open_signed_in(data: Path) -> AppContext:
    """The folder for whoever is signed in (``login``'s session or ``CHUANGKOU_PASSWORD``).

    The window's own sign-in screen replaces this in the next step (issue 13, part 1).
    """
    from app.cli import _signed_in

    unlocked = _signed_in(data)
    assert unlocked is not None
    return open_context(data, unlocked.session, unlocked.keys, tokens=unlocked.tokens)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    prepare_environment()
    private_files()
    qt_argv = [sys.argv[0]]
    platform = None
    try:
        if args.demo:
            ctx, tail, platform = make_demo()
        else:
            data = args.data or default_data_dir()
            tail = setup_logging(data if data.is_dir() else None, console=sys.stderr is not None)
            ctx = open_signed_in(data)
    except UserError as e:
        log.info("cannot start: %s", e.log)
        print(e.message, file=sys.stderr)
        from app.ui.app import show_startup_error

        show_startup_error(qt_argv, e.message)
        return 2
    from app.ui import app  # Qt is imported only once the data folder is known to be good

    try:
        return app.run(ctx, qt_argv, language=args.lang, screenshot=args.screenshot, tail=tail)
    finally:
        ctx.close()
        if platform:
            platform.stop()


if __name__ == "__main__":
    sys.exit(main())
