"""Blobs on the city platform: which are missing, tus uploads (by hand, with tuspy, cut off), downloads."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tusclient.client import TusClient

from tests.platform_fixture import platform  # noqa: F401
from tests.support.platform import COUNTY, OTHER_COUNTY, PASSWORD, TOWNSHIP, USERS, PlatformProcess
from tests.support.platform_api import (
    TUS,
    NewCase,
    bearer,
    create_upload,
    missing,
    patch,
    push_one,
    sha256,
    token,
    upload,
)

WAIT = 10.0  # bound on waiting for the server to notice a dropped connection; never reached when it works


@pytest.fixture
def client(platform: PlatformProcess) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=10) as c:
        yield c


@pytest.fixture
def tok(client: httpx.Client) -> str:
    return token(client, TOWNSHIP)


def _head(client: httpx.Client, tok: str, location: str) -> httpx.Response:
    return client.head(location, headers={**TUS, **bearer(tok)})


def _checksum(algo: str, data: bytes) -> str:
    return f"{algo} {base64.b64encode(hashlib.new(algo, data).digest()).decode()}"


# -- which blobs are missing ----------------------------------------------------------------------


def test_missing_lists_exactly_the_unknown_hashes(client: httpx.Client, tok: str) -> None:
    known = upload(client, tok, os.urandom(1000))
    unknown_1, unknown_2 = sha256(os.urandom(10)), sha256(os.urandom(10))
    assert missing(client, tok, [unknown_1, known, unknown_2]) == [unknown_1, unknown_2]
    assert missing(client, tok, [known]) == []
    assert missing(client, tok, []) == []
    # Asked twice, named once; upper-case hex is the same hash.
    assert missing(client, tok, [unknown_1, unknown_1.upper(), known.upper()]) == [unknown_1]


def test_missing_refuses_what_is_not_a_hash(client: httpx.Client, tok: str) -> None:
    r = client.post("/api/v1/blobs/missing", json={"hashes": ["not-a-hash"]}, headers=bearer(tok))
    assert r.status_code == 422


# -- tus by hand ----------------------------------------------------------------------------------


def test_options_advertises_tus_and_its_extensions(client: httpx.Client) -> None:
    r = client.options("/files")
    assert r.status_code in (200, 204)
    assert r.headers["tus-version"] == "1.0.0"
    assert r.headers["tus-resumable"] == "1.0.0"
    assert set(r.headers["tus-extension"].split(",")) >= {"creation", "checksum", "termination", "expiration"}
    assert "sha256" in r.headers["tus-checksum-algorithm"].split(",")
    assert int(r.headers["tus-max-size"]) > 0


def test_create_head_patch_in_chunks(client: httpx.Client, tok: str) -> None:
    data = os.urandom(100_000)
    location = create_upload(client, tok, len(data), sha256(data))
    head = _head(client, tok, location)
    assert head.status_code == 200
    assert head.headers["upload-offset"] == "0"
    assert head.headers["upload-length"] == str(len(data))
    assert head.headers["upload-expires"].endswith("GMT")
    assert head.headers["cache-control"] == "no-store"

    r = patch(client, tok, location, 0, data[:40_000], **{"Upload-Checksum": _checksum("sha256", data[:40_000])})
    assert r.status_code == 204
    assert r.headers["upload-offset"] == "40000"
    assert "upload-expires" in r.headers
    assert _head(client, tok, location).headers["upload-offset"] == "40000"
    assert missing(client, tok, [sha256(data)]) == [sha256(data)]  # not a blob before it is whole

    r = patch(client, tok, location, 40_000, data[40_000:], **{"Upload-Checksum": _checksum("sha1", data[40_000:])})
    assert r.status_code == 204
    assert r.headers["upload-offset"] == str(len(data))
    assert missing(client, tok, [sha256(data)]) == []


def test_head_on_a_finished_upload_says_it_is_complete(client: httpx.Client, tok: str) -> None:
    """tus 1.0: a finished upload answers Upload-Offset = Upload-Length, so a client that lost the
    last PATCH's reply does not send the file again."""
    data = os.urandom(3000)
    location = create_upload(client, tok, len(data), sha256(data))
    assert patch(client, tok, location, 0, data).status_code == 204
    head = _head(client, tok, location)
    assert head.status_code == 200
    assert head.headers["upload-offset"] == head.headers["upload-length"] == str(len(data))
    done = patch(client, tok, location, len(data), b"")  # resumed at the end: nothing left to send
    assert done.status_code == 204 and done.headers["upload-offset"] == str(len(data))
    assert patch(client, tok, location, 0, data).status_code == 409
    assert patch(client, tok, location, len(data), b"x").status_code == 413
    assert missing(client, tok, [sha256(data)]) == []
    empty = create_upload(client, tok, 0, sha256(b""))
    assert (_head(client, tok, empty).headers["upload-offset"], _head(client, tok, empty).headers["upload-length"]) \
        == ("0", "0")
    # Still the uploader's alone, and gone once terminated (the blob stays).
    assert _head(client, token(client, COUNTY), location).status_code == 404
    assert client.delete(location, headers={**TUS, **bearer(tok)}).status_code == 204
    assert _head(client, tok, location).status_code == 404
    assert missing(client, tok, [sha256(data)]) == []


def test_a_client_that_lost_the_last_reply_does_not_upload_again(tmp_path: Path,
                                                                  platform: PlatformProcess) -> None:  # noqa: F811
    from app.sync.client import PlatformClient
    from app.sync.credentials import MemoryTokens
    from app.sync.platform_api import PlatformApi
    from app.sync.retry import RetryPolicy
    from app.sync.uploads import TusUploader

    data = os.urandom(200_000)
    path = tmp_path / "page.jpg"
    path.write_bytes(data)
    with PlatformClient(platform.url, MemoryTokens(), policy=RetryPolicy(attempts=3, base=0.01, cap=0.05)) as c:
        c.login(USERS[TOWNSHIP], PASSWORD)
        # The PATCH is carried out whole, but its reply is lost.
        platform.fault(500, count=1, path_prefix="/files/", after=True)
        uploader = TusUploader(c)
        uploader.upload(sha256(data), data, None, lambda url, offset: None)
        platform.clear_faults()
        assert uploader.stats.cuts == 1
        assert uploader.stats.sent == len(data)  # HEAD said it was done: not one byte sent again
        assert PlatformApi(c).missing([sha256(data)]) == set()


def test_create_says_when_the_upload_expires(client: httpx.Client, tok: str) -> None:
    r = client.post("/files", headers={**TUS, **bearer(tok), "Upload-Length": "10"})
    assert r.status_code == 201
    assert r.headers["upload-expires"].endswith("GMT")
    assert r.headers["location"].startswith(str(client.base_url).rstrip("/") + "/files/")


def test_create_refuses_bad_requests(client: httpx.Client, tok: str) -> None:
    base = {**TUS, **bearer(tok)}
    assert client.post("/files", headers={**bearer(tok), "Upload-Length": "10"}).status_code == 412
    assert client.post("/files", headers=base).status_code == 400
    for length in ("-1", "+10", "1_0", "0x10", "ten"):
        assert client.post("/files", headers={**base, "Upload-Length": length}).status_code == 400, length
    assert client.post("/files", headers={**base, "Upload-Length": str(1 << 40)}).status_code == 413
    bad_meta = {**base, "Upload-Length": "10", "Upload-Metadata": "sha256 not*base64"}
    assert client.post("/files", headers=bad_meta).status_code == 400
    not_a_hash = {**base, "Upload-Length": "10", "Upload-Metadata": f"sha256 {base64.b64encode(b'abc').decode()}"}
    assert client.post("/files", headers=not_a_hash).status_code == 400
    assert client.post("/files", headers={**TUS, "Upload-Length": "10"}).status_code == 401


def test_offset_mismatch_is_409_and_names_the_offset(client: httpx.Client, tok: str) -> None:
    data = os.urandom(1000)
    location = create_upload(client, tok, len(data), sha256(data))
    assert patch(client, tok, location, 0, data[:300]).status_code == 204
    r = patch(client, tok, location, 0, data[:300])
    assert r.status_code == 409
    assert r.headers["upload-offset"] == "300"
    assert patch(client, tok, location, 500, data[500:]).status_code == 409
    assert _head(client, tok, location).headers["upload-offset"] == "300"


def test_wrong_content_type_is_415(client: httpx.Client, tok: str) -> None:
    data = os.urandom(100)
    location = create_upload(client, tok, len(data))
    r = patch(client, tok, location, 0, data, **{"Content-Type": "application/octet-stream"})
    assert r.status_code == 415
    assert _head(client, tok, location).headers["upload-offset"] == "0"


def test_concurrent_patches_of_one_upload_are_taken_one_at_a_time(client: httpx.Client, tok: str,
                                                                  platform: PlatformProcess) -> None:  # noqa: F811
    data = os.urandom(400_000)
    location = create_upload(client, tok, len(data), sha256(data))
    statuses: list[int] = []

    def send() -> None:
        with httpx.Client(timeout=WAIT) as c:
            statuses.append(patch(c, tok, location, 0, data).status_code)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # One writes the whole file; the others find the offset moved (or the upload already a blob).
    assert sorted(statuses)[0] == 204 and statuses.count(204) == 1, statuses
    assert set(statuses) <= {204, 404, 409}
    assert missing(client, tok, [sha256(data)]) == []


def test_a_chunk_with_a_wrong_checksum_is_460_and_not_kept(client: httpx.Client, tok: str) -> None:
    data = os.urandom(2000)
    location = create_upload(client, tok, len(data), sha256(data))
    assert patch(client, tok, location, 0, data[:1000]).status_code == 204
    r = patch(client, tok, location, 1000, data[1000:], **{"Upload-Checksum": _checksum("sha256", b"other")})
    assert r.status_code == 460
    assert _head(client, tok, location).headers["upload-offset"] == "1000"
    r = patch(client, tok, location, 1000, data[1000:], **{"Upload-Checksum": _checksum("md5", data[1000:])})
    assert r.status_code == 204
    assert missing(client, tok, [sha256(data)]) == []


def test_an_unknown_checksum_algorithm_is_400(client: httpx.Client, tok: str) -> None:
    location = create_upload(client, tok, 10)
    r = patch(client, tok, location, 0, b"0123456789", **{"Upload-Checksum": "crc32 AAAAAA=="})
    assert r.status_code == 400
    assert _head(client, tok, location).headers["upload-offset"] == "0"


def test_bytes_beyond_the_declared_length_are_refused(client: httpx.Client, tok: str) -> None:
    location = create_upload(client, tok, 10)
    assert patch(client, tok, location, 0, b"x" * 11).status_code == 413
    assert _head(client, tok, location).headers["upload-offset"] == "0"


def test_content_that_does_not_match_its_sha256_never_becomes_a_blob(client: httpx.Client, tok: str) -> None:
    data, claimed = os.urandom(5000), sha256(b"what the client meant to send")
    location = create_upload(client, tok, len(data), claimed)
    r = patch(client, tok, location, 0, data)
    assert r.status_code == 460
    assert r.json()["detail"]["code"] == "hash_mismatch"
    assert missing(client, tok, [claimed, sha256(data)]) == [claimed, sha256(data)]
    assert _head(client, tok, location).status_code == 404  # the client starts a new upload


def test_an_empty_file_uploads(client: httpx.Client, tok: str) -> None:
    empty = sha256(b"")
    location = create_upload(client, tok, 0, empty)
    assert location
    assert missing(client, tok, [empty]) == []


def test_delete_ends_an_upload(client: httpx.Client, tok: str) -> None:
    data = os.urandom(1000)
    location = create_upload(client, tok, len(data), sha256(data))
    assert patch(client, tok, location, 0, data[:500]).status_code == 204
    r = client.delete(location, headers={**TUS, **bearer(tok)})
    assert r.status_code == 204
    assert r.headers["tus-resumable"] == "1.0.0"
    assert _head(client, tok, location).status_code == 404
    assert patch(client, tok, location, 500, data[500:]).status_code == 404
    assert missing(client, tok, [sha256(data)]) == [sha256(data)]


def test_another_users_upload_is_not_found(client: httpx.Client, tok: str) -> None:
    data = os.urandom(1000)
    location = create_upload(client, tok, len(data), sha256(data))
    other = token(client, COUNTY)
    assert _head(client, other, location).status_code == 404
    assert patch(client, other, location, 0, data).status_code == 404
    assert client.delete(location, headers={**TUS, **bearer(other)}).status_code == 404
    assert _head(client, tok, location).headers["upload-offset"] == "0"  # untouched for its owner


def test_unknown_upload_ids_are_404(client: httpx.Client, tok: str, platform: PlatformProcess) -> None:  # noqa: F811
    for upload_id in ("0" * 32, "nope", "..%2F..%2Fplatform.sqlite3", "%00"):
        assert _head(client, tok, f"{platform.url}/files/{upload_id}").status_code == 404


def test_tuspy_uploads_a_file_in_checked_chunks(client: httpx.Client, tok: str, tmp_path: Path,
                                                platform: PlatformProcess) -> None:  # noqa: F811
    data = os.urandom(1_500_000)
    path = tmp_path / "scan.pdf"
    path.write_bytes(data)
    tus = TusClient(platform.url + "/files", headers=bearer(tok))
    # file_stream rather than file_path: tuspy never closes a file it opened itself (ResourceWarning).
    with path.open("rb") as stream:
        uploader = tus.uploader(file_stream=stream, chunk_size=256 * 1024, metadata={"sha256": sha256(data)},
                                upload_checksum=True)
        uploader.upload()
    assert uploader.offset == len(data)
    assert uploader.url.startswith(platform.url + "/files/")
    assert missing(client, tok, [sha256(data)]) == []


def test_a_cut_off_patch_keeps_the_bytes_that_arrived(client: httpx.Client, tok: str,
                                                      platform: PlatformProcess) -> None:  # noqa: F811
    data = os.urandom(300_000)
    location = create_upload(client, tok, len(data), sha256(data))
    assert patch(client, tok, location, 0, data[:50_000]).status_code == 204
    chunk, half = data[50_000:], 125_000
    request = (f"PATCH {httpx.URL(location).path} HTTP/1.1\r\nHost: 127.0.0.1:{platform.port}\r\n"
               f"Authorization: Bearer {tok}\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 50000\r\n"
               f"Content-Type: application/offset+octet-stream\r\nContent-Length: {len(chunk)}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", platform.port), timeout=WAIT) as sock:
        sock.sendall(request + chunk[:half])
    deadline = time.monotonic() + WAIT
    while (offset := int(_head(client, tok, location).headers["upload-offset"])) == 50_000:
        assert time.monotonic() < deadline, "the server never noticed the dropped connection"
        time.sleep(0.05)
    assert offset == 50_000 + half
    # The client resumes at the server's offset and the whole file becomes the blob.
    r = patch(client, tok, location, offset, data[offset:])
    assert r.status_code == 204
    assert missing(client, tok, [sha256(data)]) == []


# -- downloads ------------------------------------------------------------------------------------


def test_blobs_download_only_for_units_that_see_a_case_using_them(client: httpx.Client, tok: str) -> None:
    case = NewCase(blobs={})
    case.blobs = {sha256(d): d for d in (os.urandom(4000), os.urandom(300))}
    big_sha, big = next(iter(case.blobs.items()))
    case.upload_blobs(client, tok)
    # Uploaded, but no case refers to it yet: only the unit that uploaded it may read it.
    assert client.get(f"/api/v1/blobs/{big_sha}", headers=bearer(tok)).status_code == 200
    assert client.get(f"/api/v1/blobs/{big_sha}", headers=bearer(token(client, COUNTY))).status_code == 404

    assert push_one(client, tok, case.receive())["result"] == "accepted"
    r = client.get(f"/api/v1/blobs/{big_sha}", headers=bearer(tok))
    assert r.status_code == 200
    assert r.content == big
    assert r.headers["etag"] == f'"{big_sha}"'
    tail = client.get(f"/api/v1/blobs/{big_sha}", headers={**bearer(tok), "Range": "bytes=100-"})
    assert tail.status_code == 206
    assert tail.content == big[100:]
    assert tail.headers["content-range"] == f"bytes 100-{len(big) - 1}/{len(big)}"

    for unit in (COUNTY, OTHER_COUNTY):  # not forwarded: the county does not see it either
        r = client.get(f"/api/v1/blobs/{big_sha}", headers=bearer(token(client, unit)))
        assert r.status_code == 404
        assert r.json()["detail"]["code"] == "no_blob"
    assert client.get(f"/api/v1/blobs/{sha256(b'never')}", headers=bearer(tok)).status_code == 404
    assert client.get(f"/api/v1/blobs/{big_sha}").status_code == 401


# -- in-process: what a test cannot wait for over the wire -----------------------------------------


def test_a_silent_link_counts_as_cut_off() -> None:
    """A PATCH whose client stops sending (no FIN, no RST) gives up after the idle timeout."""
    from starlette.requests import ClientDisconnect, Request

    from city_platform.tus import _blocks

    async def receive() -> dict[str, object]:
        if not sent:
            sent.append(True)
            return {"type": "http.request", "body": b"first", "more_body": True}
        await asyncio.Event().wait()  # the link went quiet
        raise AssertionError("unreachable")

    async def read_all() -> list[bytes]:
        got = []
        request = Request({"type": "http", "method": "PATCH", "headers": []}, receive)
        with pytest.raises(ClientDisconnect):
            async for block in _blocks(request, 0.05):
                got.append(block)
        return got

    sent: list[bool] = []
    assert asyncio.run(read_all()) == [b"first"]


def test_expired_uploads_free_their_disk(tmp_path: Path) -> None:
    from city_platform.app import create_app
    from city_platform.config import PlatformConfig
    from city_platform.database import Database
    from city_platform.seed import DEMO_PASSWORD, seed_demo

    db_url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    seeding = Database(db_url)
    seed_demo(seeding)
    seeding.dispose()
    app = create_app(PlatformConfig(db_url=db_url, blobs_dir=tmp_path / "blobs", upload_ttl=0))
    uploads = tmp_path / "blobs" / "uploads"

    async def run() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            login = await c.post("/api/v1/auth/login", json={"username": USERS[TOWNSHIP], "password": DEMO_PASSWORD})
            headers = {**TUS, **bearer(login.json()["access_token"]), "Upload-Length": "100"}
            first = (await c.post("/files", headers=headers)).headers["location"]
            upload_id = first.rsplit("/", 1)[1]
            assert (uploads / upload_id).exists()
            assert (await c.head(first, headers=headers)).status_code == 410  # expired: the client starts again
            assert (await c.post("/files", headers=headers)).status_code == 201  # sweeps expired uploads
            assert not (uploads / upload_id).exists()
            assert (await c.head(first, headers=headers)).status_code == 404

    try:
        asyncio.run(run())
    finally:
        app.state.platform.db.dispose()
