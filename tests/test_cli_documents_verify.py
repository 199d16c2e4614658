"""``python -m app documents verify`` as an archivist runs it: Chinese lines, --json, exit codes, the
data folder's pki/ or --trust-root/--crl, and hostile files (not a PDF, truncated) as exit 2."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.cli import main as cli_main
from app.core.notice_kinds import NoticeKind
from app.documents import pades
from app.documents.notices import render
from app.store.bundled import NOTICE_FONT_FILE
from tests.support.pki import SealPKI
from tests.support.seal_tools import (
    TOWNSHIP,
    credentials,
    flip_byte_in_signed_range,
    notice_details,
    write_crl,
    write_pem,
)


@dataclass
class Files:
    folder: Path
    sealed: Path
    revoked: Path
    root: Path
    crl: Path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Files]:
    folder = tmp_path_factory.mktemp("verify-cli")
    pki = SealPKI.create()
    good, _ = credentials(pki, TOWNSHIP, "12450403MB1904102X")
    bad, bad_cert = credentials(pki, TOWNSHIP, "12450403MB1904102X", signer="陈晓")
    notice = render(notice_details(NoticeKind.ACCEPTANCE), NOTICE_FONT_FILE)
    sealed, revoked = folder / "sealed.pdf", folder / "revoked.pdf"
    sealed.write_bytes(pades.seal(notice, good).pdf)
    revoked.write_bytes(pades.seal(notice, bad).pdf)
    crl = pki.issuing_crl([(bad_cert.cert, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))])
    yield Files(folder, sealed, revoked, write_pem(folder / "root.pem", pki.root.cert),
                write_crl(folder / "issuing.crl", crl))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli_main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_valid_seal_in_chinese_exit_0(files: Files, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "documents", "verify", str(files.sealed), "--trust-root", str(files.root),
                       "--crl", str(files.crl))
    assert code == 0
    assert f"签章单位：{TOWNSHIP}" in out and "签章人：黄丽" in out and "签章时间：" in out
    assert "时间戳：无" in out and "未被改动" in out and "当前证书状态：未吊销" in out
    assert "结论：全部签章有效" in out


def test_broken_and_revoked_exit_3(files: Files, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(flip_byte_in_signed_range(files.sealed.read_bytes()))
    code, out, _ = run(capsys, "documents", "verify", str(broken), "--trust-root", str(files.root))
    assert code == 3 and "已被改动" in out and "有签章无效" in out

    code, out, _ = run(capsys, "--json", "documents", "verify", str(files.revoked), "--trust-root", str(files.root),
                       "--crl", str(files.crl))
    report = json.loads(out)
    assert code == 3 and report["valid"] is False
    [seal] = report["signatures"]
    assert seal["signer"] == "陈晓" and seal["revocation_now"]["status"] == "revoked"
    assert seal["unit"] == TOWNSHIP


def test_the_data_folders_pki_is_used_without_signing_in(files: Files, capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "pki" / "roots").mkdir(parents=True)
    (data / "pki" / "crls").mkdir()
    (data / "pki" / "roots" / "platform.pem").write_bytes(files.root.read_bytes())
    (data / "pki" / "crls" / "issuing.crl").write_bytes(files.crl.read_bytes())
    (data / "pki" / "crls" / "junk.crl").write_bytes(b"not a crl")  # a bad download is skipped
    code, out, _ = run(capsys, "--data", str(data), "documents", "verify", str(files.revoked))
    assert code == 3 and "当前证书状态：已吊销" in out
    code, _, err = run(capsys, "--data", str(tmp_path / "empty"), "documents", "verify", str(files.sealed))
    assert code == 2 and "没有可信的根证书" in err


@pytest.mark.parametrize("content", [b"hello, not a pdf", None], ids=["not-a-pdf", "truncated"])
def test_a_hostile_file_is_a_chinese_error_exit_2(files: Files, capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                  content: bytes | None) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(content if content is not None else files.sealed.read_bytes()[:3000])
    code, out, err = run(capsys, "documents", "verify", str(bad), "--trust-root", str(files.root))
    assert code == 2 and out == "" and ("不是 PDF" in err or "已损坏或不完整" in err), err
    code, _, err = run(capsys, "documents", "verify", str(tmp_path / "missing.pdf"), "--trust-root", str(files.root))
    assert code == 2 and "找不到文件" in err
