"""The device use cases the window and the CLI share: the twins, the 测试 action, the choice."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest

from app.core.errors import UserError
from app.core.settings import Settings
from app.core.signature import CaptureDevice, encode, strokes_from
from app.devices import pcsc_simulated, registry
from app.devices.emrtd import AccessDenied
from app.devices.errors import DeviceMissing
from app.services import devices, intake, queries, unit_settings
from app.services.context import AppContext
from app.store.blobs import sha256_hex
from tests.conftest import PERSON


def test_demo_mode_chooses_every_simulated_twin(ctx: AppContext) -> None:
    ctx = devices.use_simulated_devices(ctx)
    twins = [d for d in devices.list_devices(ctx) if d.simulated]
    assert {d.kind for d in twins} == {"scanner", "camera", "smartcard", "id_reader", "signature_pad"}
    assert all(devices.chosen(ctx, d) for d in twins)


@pytest.mark.parametrize(("name", "starts"), [("sim:scanner", "扫描正常："), ("sim:id_reader", "读卡正常："),
                                              ("sim:signature_pad", "签名正常："),
                                              ("sim:camera", "拍摄正常：2592×1944"),
                                              ("sim:card_reader", "读卡器正常：读卡器上有证件")])
def test_the_test_action_of_each_twin_says_what_came_back(ctx: AppContext, name: str, starts: str) -> None:
    info = next(d for d in devices.list_devices(ctx) if d.name == name)
    result = devices.try_device(ctx, info)
    assert result.startswith(starts)


def test_reading_a_card_hides_most_of_the_id_number_in_the_test_result(ctx: AppContext) -> None:
    info = next(d for d in devices.list_devices(ctx) if d.name == "sim:id_reader")
    card = devices.read_id_card(ctx, info.name)
    shown = devices.try_device(ctx, info)
    assert card["id_number"] not in shown and "********" in shown


def test_no_pad_chosen_points_to_the_devices_page(ctx: AppContext) -> None:
    with pytest.raises(DeviceMissing, match="尚未选择签名板"):
        registry.open_signature_pad(ctx.settings)


def test_the_simulated_reader_opens_its_specimen_only_with_the_right_mrz(ctx: AppContext) -> None:
    holder = devices.read_passport(ctx, pcsc_simulated.SPECIMEN_KEY_TEXT, pcsc_simulated.NAME)
    assert (holder["name"], holder["id_type"], holder["id_number"]) == ("ERIKSSON, ANNA MARIA", "passport", "L898902C")
    with pytest.raises(AccessDenied, match="证件信息不符"):
        devices.read_passport(ctx, "L898902C 1969-08-06 1994-06-24", pcsc_simulated.NAME)


def test_the_simulated_pad_replays_a_recording_chosen_in_the_settings(ctx: AppContext, tmp_path: Path) -> None:
    recorded = strokes_from([[(0, 0, 0, 0.5), (2000, 300, 150, 0.6), (4000, 0, 300, 0.7), (6000, 900, 450, 0.4),
                              (8000, 100, 600, 0.5), (9000, 800, 750, 0.5), (10000, 50, 900, 0.6),
                              (11000, 700, 1050, 0.6), (12000, 200, 1200, 0.5), (13000, 600, 1350, 0.5)]],
                            units_per_metre=100_000, device=CaptureDevice("录制用签名板"))
    (tmp_path / "sig.bin").write_bytes(encode(recorded))
    ctx = unit_settings.set_setting(ctx, "devices.sim_signature_file", str(tmp_path / "sig.bin"))
    with closing(registry.open_signature_pad(ctx.settings, "sim:signature_pad")) as pad:
        assert pad.capture() == recorded
    (tmp_path / "sig.bin").write_bytes(b"not a signature")
    with (closing(registry.open_signature_pad(ctx.settings, "sim:signature_pad")) as pad,
          pytest.raises(UserError, match="已损坏或格式不受支持")):
        pad.capture()


def test_a_stored_setting_no_longer_allowed_falls_back_to_its_default() -> None:
    settings = Settings({"devices.scanner_source": "feeder", "devices.scanner_dpi": 200})
    assert settings.get("devices.scanner_source") == "adf" and settings.get("devices.scanner_dpi") == 200


def test_a_material_scanned_at_the_window_is_stored_as_scanned_not_processed_again(ctx: AppContext) -> None:
    ctx = devices.use_simulated_devices(ctx)
    seen: list[object] = []
    scan = devices.scan_material(ctx, "申请表", progress=seen.append)
    assert scan.error is None and len(scan.pages) == len(seen) == 3
    made = intake.new_case(ctx, "GG00231000", PERSON, [intake.MaterialInput("申请表", (), scan.pages)])
    stored = queries.show_case(ctx, made.case_no)["materials"][0]["pages"]
    assert [p["sha256"] for p in stored] == [sha256_hex(p.data) for p in scan.pages]
