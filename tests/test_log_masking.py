"""Resident ID and mobile numbers never reach a log line; hashes, case numbers and counts do, unchanged."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.core.masking import (
    MOBILE,
    RESIDENT_ID,
    has_personal_numbers,
    mask_id_number,
    mask_personal_numbers,
    mask_phone,
)
from app.logs import FORMAT, MaskingFormatter, setup_logging
from tests.conftest import PERSON

ID = "450403199001011525"
ID_X = str(PERSON["id_number"])  # 11010519491231002X
PHONE = str(PERSON["phone"])  # 13807740001
CASE_NO = "45040320240105410001"
SHA = "4504031990010115251380774000145040319900101152513807740001abcdef"


@pytest.mark.parametrize(("line", "expected"), [
    (f"user error: no case {ID!r}", "user error: no case '4504**********1525'"),
    (f"applicant {ID_X} phone {PHONE}", "applicant 1101**********002X phone 138****0001"),
    ("id 11010519491231002x.", "id 1101**********002x."),
    ("old card 450403900101152 read", "old card 4504*******1152 read"),
    (f'{{"id_number": "{ID}", "phone": "{PHONE}"}}', '{"id_number": "4504**********1525", "phone": "138****0001"}'),
    ("call +86 138-0774-0001 or 86 13907740002 or 8613507740003",
     "call +86 138-****-0001 or 86 139****0002 or 86135****0003"),
    (f"申请人韦秀英（身份证号{ID_X}，电话{PHONE}）提交了申请",
     "申请人韦秀英（身份证号1101**********002X，电话138****0001）提交了申请"),
    (f"GET /api/v1/search?id={ID}&tel={PHONE} -> 404",
     "GET /api/v1/search?id=4504**********1525&tel=138****0001 -> 404"),
    (f"case {CASE_NO} applicant {ID}", f"case {CASE_NO} applicant 4504**********1525"),
    (f"case {CASE_NO}:{ID}", f"case {CASE_NO}:4504**********1525"),
])
def test_personal_numbers_are_masked(line: str, expected: str) -> None:
    assert mask_personal_numbers(line) == expected
    assert not has_personal_numbers(expected)


@pytest.mark.parametrize("line", [
    f"blob {SHA} uploaded",  # SHA-256 hex, digit runs inside it included
    f"blob {'1' * 64} uploaded",
    f"action {uuid.UUID('13807740-0014-4504-8319-900101152513')} sent",
    f"case {CASE_NO} accepted; next 45040320240105410002",
    "2024-01-05T10:00:00.123456+08:00 sync started at 2024-01-05 10:00:00,123",
    "uploaded 7340032 of 104857600 bytes (12345678901 total, 1704441600123 ms)",
    "unit 12450403MB1904102K and 914504001234567890 (credit codes), window 41, seq 0001",
    "450403199001011525123 and 0450403199001011525 are longer than an ID",
    "port 8470, pid 13807, 1380774000 seconds",
])
def test_lookalikes_are_left_alone(line: str) -> None:
    assert mask_personal_numbers(line) == line


def test_the_single_number_helpers() -> None:
    assert mask_id_number(ID) == "4504**********1525" and mask_phone(PHONE) == "138****0001"
    assert mask_phone("+86 138 0774 0001") == "+86 138 **** 0001"
    assert RESIDENT_ID.fullmatch(ID_X) and MOBILE.fullmatch(PHONE) and not RESIDENT_ID.fullmatch(CASE_NO)


@pytest.fixture
def logged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Callable[[], str]]:
    """Yields ``start()``: logging as the app sets it up, into ``tmp_path``, returning ``written()``,
    what every handler wrote, joined. (Started in the test: capsys's stream is new for the call.)"""

    def start() -> Callable[[], str]:
        tail = setup_logging(tmp_path, console=True)

        def written() -> str:
            log_file = (tmp_path / "logs" / "chuangkou.log").read_text(encoding="utf-8")
            return "\n".join([log_file, *tail.lines, capsys.readouterr().err])

        return written

    yield start
    root = logging.getLogger()
    for h in [h for h in root.handlers if getattr(h, "_chuangkou", False)]:
        root.removeHandler(h)
        h.close()


def test_every_handler_masks_arguments_and_tracebacks(logged: Callable[[], Callable[[], str]]) -> None:
    written = logged()
    log = logging.getLogger("services.intake")
    log.warning("applicant %s, phone %s, case %s, blob %s", ID, PHONE, CASE_NO, SHA)
    log.info("申请人身份证号 %s 校验未通过", ID_X)
    try:
        raise ValueError(f"bad applicant {{'id_number': '{ID}', 'phone': '{PHONE}'}}")
    except ValueError:
        log.exception("bug while receiving case %s", CASE_NO)
    text = written()
    assert SHA in text  # the hash, which happens to hold both numbers, stays whole
    rest = text.replace(SHA, "")
    assert ID not in rest and ID_X not in rest and PHONE not in rest
    assert text.count("4504**********1525") == 3 * 2  # file, tail, console; message and traceback
    assert "Traceback (most recent call last)" in text and "申请人身份证号 1101**********002X 校验未通过" in text
    assert CASE_NO in text


def test_extra_fields_in_a_format_are_masked_too() -> None:
    formatter = MaskingFormatter(FORMAT + " [%(applicant)s]")
    record = logging.LogRecord("devices.id_reader", logging.INFO, __file__, 1, "card read", None, None)
    record.applicant = {"name": "韦秀英", "id_number": ID, "phone": PHONE}
    line = formatter.format(record)
    assert ID not in line and PHONE not in line and "'id_number': '4504**********1525'" in line


def test_a_command_that_logs_an_id_number_leaves_none_in_the_log_file(
    data_dir: Path, cli: Callable[..., tuple[int, str, str]],
) -> None:
    # A clerk types the applicant's ID number, then the phone, where the case number goes.
    for typed in (ID, PHONE):
        code, _, err = cli("case", "show", typed)
        assert code == 2 and typed in err  # the clerk's own screen shows what was typed
    logs = b"".join(p.read_bytes() for p in (data_dir / "logs").iterdir())
    assert b"no case '4504**********1525'" in logs and b"no case '138****0001'" in logs
    assert ID.encode() not in logs and PHONE.encode() not in logs
