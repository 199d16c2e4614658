"""How much of a thin, flaky uplink the material upload uses (tus, resuming at the platform's offset).

About 30 MB of materials in files of 0.2–8 MB go to a real city platform (``python -m city_platform
serve``, SQLite, on 127.0.0.1) through a fault proxy that throttles the link (1 MB/s each way by
default) and cuts the connection every 1.5 MB uploaded. In the same run, the same sizes (fresh
bytes, so the platform does not have them yet) go up the naive way: create an upload and PATCH
the whole file from byte 0; after a cut, start a new upload from scratch; give up after a few
tries. Printed: goodput as a fraction of the link, the ratio to the naive way, the bytes sent
again, and what re-sending a material the platform already has costs on the wire. No
assertions: the numbers are for people; the exit code is 1 only if an upload did not verify.

    python bench/sync.py                          # ~30 MB, 1 MB/s, a cut every 1.5 MB
    python bench/sync.py --quick                  # ~8 MB smoke run
    python bench/sync.py --link 500000 --cut-every 1000000
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

import httpx

from app.core.errors import UserError
from app.sync.client import DEFAULT_TIMEOUT, PlatformClient
from app.sync.credentials import MemoryTokens
from app.sync.retry import RetryPolicy
from app.sync.uploads import TUS, TusUploader
from tests.support.faultproxy import FaultProxy
from tests.support.platform import PASSWORD, TOWNSHIP, USERS, PlatformProcess

MB = 1_000_000
SIZES = (0.2, 0.5, 1, 2, 3, 4, 5, 6, 8)  # MB, 29.7 in all
QUICK_SIZES = (0.2, 0.5, 1, 2, 4)  # MB, 7.7 in all
POLICY = RetryPolicy(attempts=8, base=0.05, cap=1.0)
NAIVE_TRIES = 5
KNOWN_LIMIT = 2048  # bytes on the wire to "re-send" a material the platform already has

GOODPUT_TARGET = 0.85
RATIO_TARGET = 3.0


@dataclass(frozen=True)
class Material:
    path: Path
    size: int
    sha256: str


@dataclass
class Outcome:
    """One way of uploading the set: what got there, how long it took, what it cost on the wire."""

    done: int = 0  # files the platform has
    done_bytes: int = 0
    seconds: float = 0.0
    wire_up: int = 0  # client->server bytes through the proxy (HTTP, no TCP/IP headers)
    wire_down: int = 0
    cuts: int = 0  # by the proxy
    failed: list[str] = field(default_factory=list)  # files given up (naive) or that raised (ours)
    tries: int = 0  # naive: upload attempts in all
    sent: int = 0  # ours: bytes handed to the network by the uploader
    gained: int = 0  # ours: bytes the platform gained
    seen_cuts: int = 0  # ours: cuts the uploader noticed
    requests: Counter[str] = field(default_factory=Counter)
    backoff: float = 0.0  # ours: seconds slept between retries

    def goodput(self, link: int) -> float:
        return self.done_bytes / (self.seconds * link) if self.seconds > 0 else 0.0


def make_materials(folder: Path, sizes: Sequence[float], seed: int) -> list[Material]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, mb in enumerate(sizes):
        data = rng.randbytes(round(mb * MB))
        sha = hashlib.sha256(data).hexdigest()
        path = folder / f"{i:02d}-{sha[:12]}.pdf"
        path.write_bytes(data)
        out.append(Material(path, len(data), sha))
    return out


def upload_ours(url: str, tokens: MemoryTokens, proxy: FaultProxy, materials: Sequence[Material]) -> Outcome:
    """What a window's sync does for each material the platform lacks: ``TusUploader.upload``."""
    outcome = Outcome()

    def sleep(seconds: float) -> None:
        outcome.backoff += seconds
        time.sleep(seconds)

    def count(request: httpx.Request) -> None:
        outcome.requests[request.method] += 1

    up, down, cuts = proxy.bytes_up, proxy.bytes_down, proxy.cuts
    with PlatformClient(url, tokens, policy=POLICY, sleep=sleep) as client:
        client.http.event_hooks["request"].append(count)
        uploader = TusUploader(client)
        started = time.perf_counter()
        for m in materials:
            try:
                uploader.upload(m.sha256, m.path.read_bytes(), None, save=lambda url, offset: None)
            except UserError as e:
                outcome.failed.append(f"{m.path.name}: {e.log}")
                continue
            outcome.done += 1
            outcome.done_bytes += m.size
        outcome.seconds = time.perf_counter() - started
    time.sleep(0.1)  # let the proxy count the last bytes it forwarded
    outcome.wire_up, outcome.wire_down = proxy.bytes_up - up, proxy.bytes_down - down
    outcome.cuts = proxy.cuts - cuts
    outcome.sent, outcome.gained, outcome.seen_cuts = uploader.stats.sent, uploader.stats.gained, uploader.stats.cuts
    return outcome


def _metadata(sha256: str) -> str:
    return f"sha256 {base64.b64encode(sha256.encode()).decode()}"


def naive_upload(http: httpx.Client, auth: dict[str, str], m: Material) -> int:
    """Create an upload and PATCH the whole file; after a cut, start over. Tries made, negative if given up."""
    data = m.path.read_bytes()
    for attempt in range(1, NAIVE_TRIES + 1):
        try:
            r = http.post("/files", headers={**TUS, **auth, "Upload-Length": str(m.size),
                                             "Upload-Metadata": _metadata(m.sha256)})
            if r.status_code != 201:
                raise RuntimeError(f"tus create -> {r.status_code}: {r.text[:200]}")
            r = http.patch(r.headers["location"], content=data, headers={
                **TUS, **auth, "Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"})
            if r.status_code == 204 and int(r.headers["upload-offset"]) == m.size:
                return attempt
        except httpx.TransportError:
            continue
    return -NAIVE_TRIES


def upload_naive(url: str, tokens: MemoryTokens, proxy: FaultProxy, materials: Sequence[Material]) -> Outcome:
    current = tokens.load()
    assert current is not None
    auth = {"Authorization": f"Bearer {current.access}"}
    outcome = Outcome()
    up, down, cuts = proxy.bytes_up, proxy.bytes_down, proxy.cuts
    with httpx.Client(base_url=url, timeout=DEFAULT_TIMEOUT) as http:
        started = time.perf_counter()
        for m in materials:
            tries = naive_upload(http, auth, m)
            outcome.tries += abs(tries)
            if tries > 0:
                outcome.done += 1
                outcome.done_bytes += m.size
            else:
                outcome.failed.append(m.path.name)
        outcome.seconds = time.perf_counter() - started
    time.sleep(0.1)
    outcome.wire_up, outcome.wire_down = proxy.bytes_up - up, proxy.bytes_down - down
    outcome.cuts = proxy.cuts - cuts
    return outcome


def missing(url: str, tokens: MemoryTokens, hashes: Sequence[str]) -> list[str]:
    with PlatformClient(url, tokens) as client:
        answer: list[str] = client.post_json("/api/v1/blobs/missing", {"hashes": list(hashes)})["missing"]
    return answer


def known_material_bytes(proxy: FaultProxy, tokens: MemoryTokens, sha256: str) -> tuple[int, int]:
    """(up, down) bytes on the wire for what our sync sends for a material the platform has: one
    ``POST /api/v1/blobs/missing`` answering [], on a fresh connection (link unthrottled, no cuts)."""
    time.sleep(0.1)
    up, down = proxy.bytes_up, proxy.bytes_down
    answer = missing(proxy.url, tokens, [sha256])
    time.sleep(0.1)
    if answer:
        raise RuntimeError(f"the platform lacks {sha256[:12]} though it was uploaded")
    return proxy.bytes_up - up, proxy.bytes_down - down


def fmt_mb(n: float) -> str:
    return f"{n / MB:.2f} MB"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(ours: Outcome, naive: Outcome, known: tuple[int, int] | None, link: int) -> None:
    g_ours, g_naive = ours.goodput(link), naive.goodput(link)
    ratio = g_ours / g_naive if g_naive > 0 else float("inf") if g_ours > 0 else 0.0
    print(f"{'baseline: naive re-POST':<30} {naive.done} files done, {len(naive.failed)} given up after "
          f"{NAIVE_TRIES} tries ({naive.tries} tries in all)")
    print(f"{'':<30} {fmt_mb(naive.done_bytes)} in {naive.seconds:6.1f} s = {g_naive:5.3f} of the link; "
          f"{naive.cuts} cuts, {fmt_mb(naive.wire_up)} up on the wire")
    print(f"{'tus (ours)':<30} {ours.done} files done, {len(ours.failed)} failed")
    print(f"{'':<30} {fmt_mb(ours.done_bytes)} in {ours.seconds:6.1f} s = {g_ours:5.3f} of the link "
          f"= {ratio:.1f}× baseline")
    print(f"{'  cuts':<30} {ours.cuts} by the proxy, {ours.seen_cuts} noticed by the uploader")
    again = ours.wire_up - ours.done_bytes
    print(f"{'  bytes sent again':<30} {again / 1000:.1f} kB up the link beyond the files' bytes "
          f"(headers included; {fmt_mb(ours.wire_up)} up, {ours.wire_down / 1000:.1f} kB down); "
          f"link busy {ours.wire_up / (ours.seconds * link):5.3f}")
    print(f"{'  uploader stats: resent':<30} {fmt_mb(max(ours.sent - ours.gained, 0))} = sent {fmt_mb(ours.sent)} "
          f"− gained {fmt_mb(ours.gained)} (slices handed to the socket, also those still buffered at a cut)")
    requests = ", ".join(f"{method} {n}" for method, n in sorted(ours.requests.items()))
    print(f"{'  requests':<30} {requests}; backoff sleeps {ours.backoff:.2f} s")
    if known is None:
        print(f"{'known material (re-send)':<30} not measured: our upload did not verify")
    else:
        print(f"{'known material (re-send)':<30} {sum(known)} B on the wire: POST /blobs/missing → [] "
              f"({known[0]} B up, {known[1]} B down)")
    known_ok = known is not None and sum(known) < KNOWN_LIMIT
    print(f"targets: goodput {g_ours:.3f} ≥ {GOODPUT_TARGET} {verdict(g_ours >= GOODPUT_TARGET)}; "
          f"ratio {ratio:.1f}× ≥ {RATIO_TARGET:.0f}× {verdict(ratio >= RATIO_TARGET)}; "
          f"known material {'-' if known is None else sum(known)} B < {KNOWN_LIMIT} B {verdict(known_ok)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help=f"~{sum(QUICK_SIZES):.1f} MB instead of "
                                                             f"~{sum(SIZES):.1f} MB (a smoke run)")
    parser.add_argument("--link", type=int, default=MB, metavar="BYTES_PER_SEC",
                        help="the link's rate each way (default 1000000)")
    parser.add_argument("--cut-every", type=int, default=1_500_000, metavar="BYTES",
                        help="cut the connection after this many bytes uploaded (default 1500000; 0: never)")
    args = parser.parse_args(argv)
    if args.link < 1 or args.cut_every < 0:
        parser.error("--link must be positive and --cut-every not negative")
    link, cut = args.link, args.cut_every or None
    sizes = QUICK_SIZES if args.quick else SIZES
    temp = Path(tempfile.mkdtemp(prefix="chuangkou-bench-sync-"))
    platform = PlatformProcess(temp / "platform", access_ttl=24 * 3600)  # the naive client never refreshes
    proxy: FaultProxy | None = None
    try:
        ours_set = make_materials(temp / "ours", sizes, seed=7)
        naive_set = make_materials(temp / "naive", sizes, seed=8)
        total = sum(m.size for m in ours_set)
        platform.start()
        tokens = MemoryTokens()
        with PlatformClient(platform.url, tokens) as client:
            client.login(USERS[TOWNSHIP], PASSWORD)
        proxy = FaultProxy(platform.port, max_lifetime=None).start()
        print(f"{len(ours_set)} materials, {fmt_mb(total)} ({min(sizes)}–{max(sizes)} MB); link {fmt_mb(link)}/s "
              f"each way, " + (f"a cut every {cut / MB:g} MB uploaded" if cut else "no cuts"))

        proxy.throttle(link)
        proxy.cut_every(cut)
        ours = upload_ours(proxy.url, tokens, proxy, ours_set)
        absent = missing(platform.url, tokens, [m.sha256 for m in ours_set])

        proxy.throttle(None)
        proxy.cut_every(None)
        known = known_material_bytes(proxy, tokens, ours_set[-1].sha256) if not absent else None

        proxy.throttle(link)
        proxy.cut_every(cut)  # also restarts the count towards the next cut
        naive = upload_naive(proxy.url, tokens, proxy, naive_set)

        report(ours, naive, known, link)
        for line in ours.failed:
            print(f"FAILED: {line}")
        if absent:
            print(f"NOT VERIFIED: the platform lacks {len(absent)} of our {len(ours_set)} materials: "
                  + ", ".join(h[:12] for h in absent))
            return 1
        return 1 if ours.failed else 0
    finally:
        if proxy is not None:
            proxy.stop()
        platform.stop()
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
