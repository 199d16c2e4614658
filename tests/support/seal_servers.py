"""What the platform publishes for seals, served on 127.0.0.1 for the tests: CRLs over HTTP and an
RFC 3161 time-stamping service.

The TSA answers with pyHanko's own RFC 3161 responder (``DummyTimeStamper``: real tokens signed by
the TSA certificate a test makes), behind a real HTTP endpoint, so the signing code goes through
the same HTTP client it uses against the platform. The CA helper's platform TSA can replace it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from tests.support.pki import Issued


def local_timestamper(tsa: Issued, chain: tuple[x509.Certificate, ...] = ()) -> DummyTimeStamper:
    """An in-process RFC 3161 responder signing with ``tsa`` (embeds ``chain`` in its tokens)."""
    key = asn1_keys.PrivateKeyInfo.load(tsa.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa.cert.public_bytes(serialization.Encoding.DER)), tsa_key=key,
        certs_to_embed=[asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in chain])


@dataclass
class SealServices:
    """The running server: ``files`` by path (CRLs), and the TSA at ``/tsa`` while ``tsa_up``."""

    port: int = 0
    files: dict[str, bytes] = field(default_factory=dict)
    tsa: DummyTimeStamper | None = None
    tsa_up: bool = True
    requests: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def crl_base(self) -> str:
        return f"{self.base}/crl/"

    @property
    def tsa_url(self) -> str:
        return f"{self.base}/tsa"

    def publish_crl(self, name: str, crl: x509.CertificateRevocationList) -> None:
        self.files[f"/crl/{name}"] = crl.public_bytes(serialization.Encoding.DER)


@contextmanager
def seal_services() -> Iterator[SealServices]:
    """Serve CRLs and a TSA on 127.0.0.1 (a free port) for the duration of the block."""
    state = SealServices()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet in test output
            pass

        def _send(self, code: int, body: bytes, ctype: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            state.requests.append(f"GET {self.path}")
            body = state.files.get(self.path)
            if body is None:
                self._send(404, b"not found", "text/plain")
            else:
                self._send(200, body, "application/pkix-crl")

        def do_POST(self) -> None:
            state.requests.append(f"POST {self.path}")
            length = min(int(self.headers.get("Content-Length") or 0), 64 * 1024)
            data = self.rfile.read(length)
            if self.path != "/tsa" or state.tsa is None or not state.tsa_up:
                self._send(503, b"unavailable", "text/plain")
                return
            resp = state.tsa.request_tsa_response(tsp.TimeStampReq.load(data))
            self._send(200, resp.dump(), "application/timestamp-reply")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="seal-services", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
