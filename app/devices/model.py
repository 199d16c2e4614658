"""What the rest of the app knows of a device: its name, kind, label and status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.core.errors import N_

DeviceKind = Literal["scanner", "camera", "smartcard", "id_reader", "signature_pad"]
DeviceStatus = Literal["ready", "busy", "absent", "error"]

#: The clerk's word for each kind (the 「设备」 page and ``devices list``).
KIND_LABELS: dict[DeviceKind, str] = {
    "scanner": N_("扫描仪"), "camera": N_("高拍仪"), "smartcard": N_("读卡器（护照/电子证件）"),
    "id_reader": N_("身份证阅读器"), "signature_pad": N_("签名板"),
}
STATUS_LABELS: dict[DeviceStatus, str] = {"ready": "就绪", "busy": "忙", "absent": "未连接", "error": "故障"}


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """One device as discovery found it.

    ``name`` is stable across runs and is what settings store ("sane:test:0",
    "serial:/dev/ttyUSB0", "sim:scanner"); ``label`` is what the clerk reads; ``detail``
    says why a device is not ready.
    """

    name: str
    kind: DeviceKind
    label: str
    status: DeviceStatus = "ready"
    simulated: bool = False
    detail: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "kind": self.kind, "label": self.label, "status": self.status,
                "simulated": self.simulated, "detail": self.detail}
