"""Every setting of the app, declared once: name, type, default and description.

The store keeps the values a unit chose; everything else reads them through
:class:`Settings`, which refuses names that are not declared here.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.core.errors import UserError
from app.core.platform_address import check_platform_url


def _absolute_path(value: str) -> None:
    # The window and the command line start in different folders: a relative path would
    # name a different file in each.
    if value and not os.path.isabs(value):
        raise UserError("请填写文件的完整路径（如 C:\\证书\\单位CA.pem 或 /home/用户/单位CA.pem），而不是“{value}”",
                        value=value,
                        log=f"relative path {value!r} refused")


def _paper_check_days(value: int) -> None:
    if value < 1:
        raise UserError("告知承诺件核查纸质材料的期限应至少为 1 个工作日", log=f"commitment.check_days {value} below 1")


@dataclass(frozen=True, slots=True)
class Setting:
    """The declaration of one setting."""

    name: str
    type: type
    default: Any
    description: str
    #: The only values allowed, when the setting is one of a few words.
    choices: tuple[str, ...] = ()
    #: Raises :class:`UserError` (its message says what is wrong) for a value that has the
    #: right type but must not be set; run on new values only, not on stored ones.
    check: Callable[[Any], None] | None = None


DECLARED: tuple[Setting, ...] = (
    Setting("unit.org", str, "", "本单位统一社会信用代码（init --org 时写入）"),
    Setting("unit.name", str, "", "本单位名称"),
    Setting("unit.address", str, "", "本单位地址（印在通知书上）"),
    Setting("unit.phone", str, "", "本单位咨询电话（印在通知书上；为空时用事项的咨询电话）"),
    Setting("unit.complaint_phone", str, "", "投诉电话（印在通知书上；为空时用事项的投诉电话）"),
    Setting("notice.footer", str, "", "通知书页脚的附注（如办公时间、取件地点）"),
    Setting("notice.progress_url", str, "",
            "申请人查询办理进度的平台网址（印成通知书上的二维码）；为空时使用市级平台地址",
            check=check_platform_url),
    Setting("print.mode", str, "preview", "打印通知书：preview（先预览）或 silent（直接送往打印机）",
            ("preview", "silent")),
    Setting("print.printer", str, "", "打印通知书的打印机名称；为空时使用系统默认打印机"),
    Setting("unit.window_no", int, 1, "窗口编号（1–99），写入受理编号以免多窗口离线编号冲突"),
    Setting("platform.url", str, "", "市级政务服务平台地址（https://…；仅本机测试可用 http://）；为空时仅离线工作",
            check=check_platform_url),
    Setting("platform.ca_bundle", str, "",
            "本单位 CA 证书文件（PEM 或 DER 格式）的完整路径，平台使用内网自建 CA 签发的证书时填写；"
            "为空时使用操作系统信任的证书", check=_absolute_path),
    Setting("platform.user", str, "", "登录市级平台的用户名（口令和令牌只存于系统密钥环）"),
    Setting("sync.interval", int, 30, "联网时自动同步的间隔（秒）"),
    Setting("sync.probe_seconds", int, 10, "检查市级平台是否在线的间隔（秒），断网后状态栏据此及时显示“离线”"),
    Setting("sync.run_seconds", int, 50, "一次同步最长运行的时间（秒），未完成的部分下次继续"),
    Setting("sync.run_requests", int, 300, "一次同步最多向平台发出的请求数，未完成的部分下次继续"),
    Setting("signin.offline_days", int, 30, "上次联网登录后，可在本机离线登录的天数"),
    Setting("signin.max_failures", int, 5, "连续输错口令多少次后锁定该账号"),
    Setting("signin.lock_minutes", int, 15, "输错口令锁定的分钟数"),
    Setting("signin.idle_minutes", int, 15, "无操作多少分钟后锁定屏幕（命令行登录保持的分钟数）"),
    Setting("signin.argon2_memory_kib", int, 65536, "本机口令校验（Argon2id）使用的内存（KiB），越大越难暴力破解"),
    Setting("commitment.check_days", int, 20,
            "告知承诺件准予后，须在多少个工作日内核查申请人报送的纸质材料（按本单位工作日历计算）",
            check=_paper_check_days),
    Setting("deadline.yellow_days", int, 2, "剩余工作日不多于此数时显示黄灯（临近）"),
    Setting("supervision.answer_days", int, 5, "挂号督办时，被督办单位须在多少个工作日内回复（督办回复期限的默认值）"),
    # 榕政办〔2018〕212号 §22 rated in four levels; the national 好差评 (GB/T 39734-2020) has five.
    Setting("evaluation.four_levels", bool, False,
            "好差评只用四级（非常满意、满意、基本满意、不满意），不显示“非常不满意”；为否时按国家标准用五级"),
    Setting("seal.name", str, "行政审批专用章", "电子印章的名称（印在印章五角星下方，写入证书）"),
    Setting("seal.key_type", str, "ec-p256", "新生成的印章密钥类型：ec-p256（ECDSA P-256）或 rsa-3072",
            ("ec-p256", "rsa-3072")),
    Setting("seal.renew_days", int, 30, "印章证书到期前多少天在同步时自动申请新证书（换用新密钥）"),
    Setting("ui.language", str, "zh_CN", "界面语言：zh_CN 或 en", ("zh_CN", "en")),
    Setting("imaging.color_materials", str, "",
            "始终保留彩色的材料名称，用顿号或逗号分隔（如：营业执照、彩色照片）；填 * 表示所有材料"),
    # Devices: a name is what 「设备」 and `devices list` show ("sane:…", "sim:scanner"…);
    # empty means the first one of its kind found attached.
    Setting("devices.scanner", str, "", "使用的扫描仪（设备名称）；为空时使用找到的第一台"),
    Setting("devices.scanner_source", str, "adf", "扫描来源：flatbed（平板）、adf（自动进纸）或 duplex（双面）",
            ("flatbed", "adf", "duplex")),
    Setting("devices.scanner_dpi", int, 300, "扫描分辨率（dpi）"),
    Setting("devices.scanner_mode", str, "color", "扫描色彩：color（彩色）、gray（灰度）或 lineart（黑白）",
            ("color", "gray", "lineart")),
    Setting("devices.camera", str, "", "使用的高拍仪（设备名称）；为空时使用找到的第一台"),
    Setting("devices.card_reader", str, "", "使用的护照/电子证件读卡器（PC/SC 读卡器名称）；为空时使用第一台"),
    Setting("devices.id_reader", str, "",
            "身份证阅读器：serial:串口（如 serial:/dev/ttyUSB0、serial:COM3）、sdt:厂商动态库路径，或 sim:id_reader"),
    Setting("devices.signature_pad", str, "", "使用的签名板（设备名称）；为空时在屏幕上手写签名"),
    Setting("devices.timeout", int, 30, "等待设备响应的最长时间（秒），超时即提示检查连接"),
    Setting("devices.sim_scanner_folder", str, "", "模拟扫描仪读取的图片文件夹；为空时生成示例页"),
    Setting("devices.sim_camera_file", str, "", "模拟高拍仪播放的视频或图片文件；为空时生成示例画面"),
    Setting("devices.sim_signature_file", str, "", "模拟签名板回放的签名记录文件（CKSG 格式）；为空时回放内置样例"),
)
_BY_NAME = {s.name: s for s in DECLARED}
#: how a yes/no setting may be typed on the command line
_BOOL_WORDS = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False, "是": True, "否": False}


class Settings:
    """Typed access to declared settings over a mapping of stored values."""

    def __init__(self, stored: Mapping[str, Any] | None = None) -> None:
        self._values: dict[str, Any] = {}
        for name, value in (stored or {}).items():
            if name in _BY_NAME:
                # A stored value this version no longer allows falls back to the default
                # rather than stopping the app from opening; `config set` refuses new ones.
                # Checks are not run here: a stored platform address over plain http is kept
                # so that the client refuses it in words, rather than reading as «not set».
                with contextlib.suppress(TypeError, ValueError):
                    self._values[name] = self._typed(_BY_NAME[name], value)

    @staticmethod
    def declaration(name: str) -> Setting:
        try:
            return _BY_NAME[name]
        except KeyError:
            raise KeyError(f"undeclared setting {name!r}") from None

    @classmethod
    def coerce(cls, name: str, value: Any) -> Any:
        """``value`` as the setting's type; TypeError/ValueError if it is not one, UserError if refused."""
        decl = cls.declaration(name)
        value = cls._typed(decl, value)
        if decl.check is not None:
            decl.check(value)
        return value

    @staticmethod
    def _typed(decl: Setting, value: Any) -> Any:
        name = decl.name
        if decl.type is int and isinstance(value, str):
            value = int(value)
        if decl.type is bool and isinstance(value, str):
            value = _BOOL_WORDS.get(value.strip().lower(), value)
        if not isinstance(value, decl.type):
            raise TypeError(f"setting {name} expects {decl.type.__name__}, got {value!r}")
        if decl.choices and value not in decl.choices:
            raise ValueError(f"setting {name} must be one of {decl.choices}, got {value!r}")
        return value

    def get(self, name: str) -> Any:
        return self._values.get(name, self.declaration(name).default)

    def with_value(self, name: str, value: Any) -> Settings:
        """A copy with one value changed (the caller stores it too)."""
        return Settings({**self._values, name: self.coerce(name, value)})


def name_list(text: str) -> frozenset[str]:
    """The names in a list setting written the way a clerk types it: 、 ， , ; or spaces between."""
    for sep in "、，,；; \u3000":
        text = text.replace(sep, "\n")
    return frozenset(n.strip() for n in text.splitlines() if n.strip())
