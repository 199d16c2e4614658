"""The link to the platform: HTTPS that verifies, the unit's own CA, and no plain http off this machine.

The CA and the certificates are made here, at run time, in a temporary folder. The platform is
the real process over TLS; the windows are the real command line, in process.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization

from app.core.platform_address import UnsafePlatformAddress, check_platform_url, is_loopback_host
from app.services import sync_run
from app.sync import deadline, tls
from app.sync.client import LinkDown, PlatformClient
from app.sync.credentials import MemoryTokens
from app.sync.retry import RetryPolicy
from tests.conftest import PERSON
from tests.support import folders
from tests.support.pki import TestCA
from tests.support.platform import TOWNSHIP, PlatformProcess, ServerTLS
from tests.test_sync_e2e import Window

CERT_MESSAGE = "无法验证平台的安全证书"
HTTP_MESSAGE = "平台地址必须使用 https://"
QUICK = RetryPolicy(attempts=3, base=0.01, cap=0.05)


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_run, "DEFAULT_POLICY", QUICK)


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return TestCA.create(tmp_path_factory.mktemp("ca"))


@pytest.fixture(scope="module")
def platform(ca: TestCA, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlatformProcess]:
    folder = tmp_path_factory.mktemp("platform")
    with PlatformProcess(folder, tls=ca.issue(folder, ["127.0.0.1", "localhost"])) as p:
        yield p


class TLSServer:
    """A bare TLS listener on 127.0.0.1: completes handshakes with ``server`` (or never answers one)."""

    def __init__(self, server: ServerTLS | None) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)  # closing a socket does not wake a thread blocked in accept()
        self.stopping = threading.Event()
        self.port = self.sock.getsockname()[1]
        self.handshakes = 0
        self.held: list[socket.socket] = []
        self.context: ssl.SSLContext | None = None
        if server is not None:
            self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.context.load_cert_chain(server.certfile, server.keyfile)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(5)
            self.handshakes += 1
            if self.context is None:
                self.held.append(conn)  # accepted, and the ClientHello is never answered
                continue
            try:
                with self.context.wrap_socket(conn, server_side=True) as tls_conn:
                    tls_conn.recv(1)
            except (OSError, ssl.SSLError):
                pass
            finally:
                conn.close()

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        self.sock.close()
        for conn in self.held:
            conn.close()


def _window(tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str, name: str = "township",
            *init: str) -> Window:
    window = Window(tmp_path / name, capsys)
    window.ok("init", "--org", TOWNSHIP, "--platform", url, *init)
    return window


def _log_text(window: Window) -> str:
    return (window.folder / "logs" / "chuangkou.log").read_text(encoding="utf-8")


def test_a_case_syncs_over_https_with_the_units_ca_and_waits_when_the_certificate_is_not_trusted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    platform: PlatformProcess, ca: TestCA, pages: dict[str, Path],
) -> None:
    assert platform.url.startswith("https://127.0.0.1:")
    # The unit's CA is set at init: the first sign-in is an online one, over HTTPS.
    window = _window(tmp_path, capsys, platform.url, "township", "--ca-bundle", str(ca.ca_file))
    window.login(TOWNSHIP, monkeypatch)
    applicant = tmp_path / "applicant.json"
    applicant.write_text(json.dumps(PERSON, ensure_ascii=False), encoding="utf-8")
    made = window.ok("case", "new", "--item", "GG00231000", "--applicant", str(applicant),
                     "--material", f"申请表={pages['text']}")

    # Without the unit's CA the system store is all there is: the private CA is not in it.
    window.ok("config", "set", "platform.ca_bundle", "")
    code, _, err = window.run("sync", "--once")
    assert code == 2 and CERT_MESSAGE in err and "不会丢失" in err and "Traceback" not in err
    assert "TLS certificate of 127.0.0.1" in _log_text(window)
    assert window.ok("case", "show", made["case_no"])["status"] == "received"

    # With it, the queued case goes up whole, and nothing waits any more.
    window.ok("config", "set", "platform.ca_bundle", str(ca.ca_file))
    report = window.ok("sync", "--once")
    assert (report["pushed"], report["pending"], report["refused"]) == (1, 0, [])
    assert window.ok("sync", "--once")["pushed"] == 0


def test_a_der_ca_file_works_too(platform: PlatformProcess, ca: TestCA, tmp_path: Path) -> None:
    der = tmp_path / "单位CA.cer"  # what Windows exports, under a Chinese name
    der.write_bytes(ca.cert.public_bytes(serialization.Encoding.DER))
    with PlatformClient(platform.url, MemoryTokens(), policy=QUICK, ca_bundle=str(der)) as client:
        assert client.request("GET", "/api/v1/health", auth=False).status == 200


def test_a_certificate_for_another_host_is_refused_once_and_not_retried(ca: TestCA, tmp_path: Path) -> None:
    server = TLSServer(ca.issue(tmp_path, ["platform.example.gov.cn"], stem="other"))
    try:
        with PlatformClient(f"https://127.0.0.1:{server.port}", MemoryTokens(), policy=QUICK,
                            ca_bundle=str(ca.ca_file)) as client, pytest.raises(tls.CertificateRefused) as caught:
            client.request("GET", "/api/v1/health", auth=False)
        assert CERT_MESSAGE in caught.value.message and "mismatch" in caught.value.log
        assert server.handshakes == 1  # a certificate does not get better by asking again
    finally:
        server.close()


@pytest.mark.parametrize("url", ["http://platform.invalid", "http://10.255.255.1:8080/", "HTTP://Platform.Example",
                                 "http://127.0.0.1.nip.io", "http://[::ffff:10.0.0.1]"])
def test_plain_http_off_this_machine_is_refused_before_anything_is_resolved(url: str) -> None:
    # ".invalid" never resolves: a network error here would mean the client had tried.
    with pytest.raises(UnsafePlatformAddress) as caught:
        PlatformClient(url, MemoryTokens())
    assert HTTP_MESSAGE in caught.value.message and "plain http refused" in caught.value.log


@pytest.mark.parametrize("url", ["http://127.0.0.1:8470", "http://127.8.9.10", "http://localhost:1/",
                                 "http://[::1]:8470", "https://platform.example.gov.cn", ""])
def test_https_anywhere_and_plain_http_on_loopback_are_allowed(url: str) -> None:
    check_platform_url(url)


def test_loopback_hosts() -> None:
    assert is_loopback_host("LOCALHOST.") and is_loopback_host("[::1]") and is_loopback_host("::ffff:127.0.0.1")
    assert not is_loopback_host("localhost.example") and not is_loopback_host("127.1")  # a resolver would decide
    assert not is_loopback_host("0.0.0.0")


def _local_address() -> str | None:
    """An address of this machine that is not loopback (no packet is sent to learn it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if is_loopback_host(address) else str(address)


def test_sync_refuses_a_stored_plain_http_address_without_connecting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    address = _local_address()
    if address is None:
        pytest.skip("this machine has no address besides loopback")
    listener = socket.create_server((address, 0))
    listener.settimeout(0.5)
    try:
        url = f"http://{address}:{listener.getsockname()[1]}"
        window = Window(tmp_path / "township", capsys)
        code, _, err = window.run("init", "--org", TOWNSHIP, "--platform", url)
        assert code == 2 and HTTP_MESSAGE in err  # init checks the address
        window = _window(tmp_path, capsys, "")
        folders.enrol(window.folder)
        conn = folders.connect(window.folder)  # stored by a version that did not check it
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('platform.url', ?)", [json.dumps(url)])
        conn.commit()
        conn.close()
        code, _, err = window.run("sync", "--once")
        assert code == 2 and HTTP_MESSAGE in err and "无法连接" not in err
        with pytest.raises(TimeoutError):
            listener.accept()  # the listener on that address was never reached
        code, _, err = window.run("config", "set", "platform.url", "http://platform.invalid")
        assert code == 2 and HTTP_MESSAGE in err
        code, _, err = window.run("config", "set", "platform.url", "https://platform.invalid")
        assert code == 0, err
    finally:
        listener.close()


def test_an_unusable_ca_bundle_is_named_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], platform: PlatformProcess, ca: TestCA,
) -> None:
    window = _window(tmp_path, capsys, platform.url)
    folders.enrol(window.folder)
    garbage = tmp_path / "单位CA.pem"
    garbage.write_text("# 梧州市政务外网 CA\n这不是证书\n", encoding="utf-8")
    empty = tmp_path / "empty.pem"
    empty.write_bytes(b"")
    key_only = tmp_path / "server.key"
    key_only.write_bytes(ca.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()))
    cases = [(garbage, "没有可用的证书"), (empty, "没有可用的证书"), (key_only, "没有可用的证书"),
             (tmp_path / "missing.pem", "找不到"), (tmp_path, "无法读取")]
    for path, words in cases:
        window.ok("config", "set", "platform.ca_bundle", str(path))
        code, _, err = window.run("sync", "--once")
        assert code == 2 and words in err and str(path) in err and "Traceback" not in err, (path, err)
    code, _, err = window.run("config", "set", "platform.ca_bundle", "ca.pem")
    assert code == 2 and "完整路径" in err


def test_a_tls_handshake_that_is_never_answered_ends_at_the_deadline(ca: TestCA) -> None:
    stall = TLSServer(None)
    try:
        url = f"https://127.0.0.1:{stall.port}"
        # The backend, alone: a 20 s connect timeout, a 1 s total deadline.
        with httpx.Client(transport=deadline.transport(verify=tls.ssl_context(str(ca.ca_file)))) as client:
            started = time.monotonic()
            with deadline.within(1.0), pytest.raises(httpx.ConnectTimeout):
                client.get(f"{url}/api/v1/health", timeout=20.0)
            assert time.monotonic() - started < 3.0
        # The whole client: one request's deadline bounds the handshake too.
        with PlatformClient(url, MemoryTokens(), ca_bundle=str(ca.ca_file), timeout=httpx.Timeout(20.0)) as pc:
            started = time.monotonic()
            with pytest.raises(LinkDown):
                pc.request("GET", "/api/v1/health", auth=False, retry=False, deadline=1.0)
            assert time.monotonic() - started < 3.0
    finally:
        stall.close()
