"""What encryption at rest costs the clerk: intake time and sync goodput, encrypted ÷ plaintext.

Both figures are measured in the same run, on the same machine, alternating the two modes:

* **encrypted**: the program as it ships (SQLCipher database, AES-256-GCM page files);
* **plaintext**: the same code with the key left out of the database connections and the page
  files written as they are (the seal and open of a blob made the identity) — only the
  encryption differs.

Intake: a case of ``--pages`` scanned pages through the whole pipeline (decode, deskew, classify,
encode, PDF) into the store, best of ``--rounds``. Sync: ``--cases`` cases pushed to a platform
process on 127.0.0.1 (a fresh one per measurement, so nothing is deduplicated away), bytes of
page files and PDFs ÷ seconds of ``sync --once``, median of ``--rounds``. Target: ≤ 1.1× both.

    python bench/encryption.py [--pages 8] [--cases 6] [--rounds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.services import sync_run
from app.services.context import AppContext, init_data_dir
from app.services.intake import MaterialInput, new_case
from app.store import blobs, crypto, database, sqlite
from app.sync.credentials import MemoryTokens
from tests.conftest import PERSON
from tests.support import folders, pagegen
from tests.support.platform import TOWNSHIP, USERS, PlatformProcess

DPI = 200


@contextlib.contextmanager
def plaintext() -> Iterator[None]:
    """The program with encryption left out, and nothing else changed."""
    saved: list[tuple[Any, str, Any]] = []

    def patch(owner: Any, name: str, value: Any) -> None:
        saved.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    patch(sqlite, "open_keyed", lambda target, key, **kw: sqlite.connect(target, **kw))
    patch(database, "is_plaintext", lambda path: False)
    patch(crypto.DataKey, "seal_blob", lambda self, name, data: data)
    patch(blobs.BlobStore, "open_sealed", lambda self, name, data: data)
    patch(crypto.DataKey, "seal_chunk", lambda self, aad, data: data)
    patch(crypto.DataKey, "open_chunk", lambda self, aad, data: data)
    try:
        yield
    finally:
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)


def scans(folder: Path, count: int, seed: int) -> tuple[Path, ...]:
    """Scanned-looking pages (text, tables, a photo) as a scanner's PNG/JPEG files."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for n in range(count):
        page = (pagegen.text_page, pagegen.table_page, pagegen.mixed_page)[n % 3](seed * 100 + n, DPI)
        path = folder / f"p{n}.png"
        Image.fromarray(page).save(path, dpi=(DPI, DPI))
        out.append(path)
    return tuple(out)


def fresh_folder(root: Path, url: str = "") -> Path:
    folder = root / "data"
    init_data_dir(folder, TOWNSHIP, url)
    folders.enrol(folder, USERS[TOWNSHIP])
    return folder


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def intake_seconds(root: Path, pages: tuple[Path, ...]) -> float:
    ctx = folders.open_signed_in(fresh_folder(root))
    try:
        new_case(ctx, "GG00231000", PERSON, [MaterialInput("申请表", pages[:1])])  # warm: imports, first blob
        return timed(lambda: new_case(ctx, "GG00231000", PERSON, [MaterialInput("申请表", pages)]))
    finally:
        ctx.close()


def sync_goodput(root: Path, cases: int, pages: int, seed: int) -> float:
    """Bytes per second of one ``sync --once`` pushing ``cases`` fresh cases to a fresh platform."""
    with PlatformProcess(root / "platform") as platform:
        folder = fresh_folder(root, platform.url)
        ctx: AppContext = folders.online(folder, USERS[TOWNSHIP], tokens=MemoryTokens())
        try:
            for c in range(cases):
                new_case(ctx, "GG00231000", PERSON, [MaterialInput("申请表", scans(root / f"s{c}", pages, seed + c))])
            size = sum(r["size"] for r in ctx.store.reader().query("SELECT size FROM blobs"))
            seconds = timed(lambda: sync_run.sync_once(ctx))
            assert sync_run.status(ctx).pending_cases == 0
        finally:
            ctx.close()
    return float(size) / seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=8, help="pages of the intake measured")
    parser.add_argument("--cases", type=int, default=6, help="cases in each sync measured")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    intake: dict[str, list[float]] = {"encrypted": [], "plaintext": []}
    goodput: dict[str, list[float]] = {"encrypted": [], "plaintext": []}
    with tempfile.TemporaryDirectory(prefix="chuangkou-bench-enc-") as tmp:
        root = Path(tmp)
        pages = scans(root / "scans", args.pages, 1)
        for r in range(args.rounds):
            for mode in ("encrypted", "plaintext") if r % 2 == 0 else ("plaintext", "encrypted"):
                where = root / f"{mode}-{r}"
                with plaintext() if mode == "plaintext" else contextlib.nullcontext():
                    intake[mode].append(intake_seconds(where / "intake", pages))
                    goodput[mode].append(sync_goodput(where / "sync", args.cases, 2, 1000 * r + 10))
    enc_in, plain_in = min(intake["encrypted"]), min(intake["plaintext"])
    enc_up, plain_up = statistics.median(goodput["encrypted"]), statistics.median(goodput["plaintext"])
    print(f"intake of {args.pages} pages (best of {args.rounds}):"
          f"  encrypted {enc_in * 1000:7.0f} ms   plaintext {plain_in * 1000:7.0f} ms"
          f"   = {enc_in / plain_in:4.2f}× (target ≤ 1.10×)")
    print(f"sync goodput, {args.cases} cases (median of {args.rounds}):"
          f"  encrypted {enc_up / 1e6:6.2f} MB/s   plaintext {plain_up / 1e6:6.2f} MB/s"
          f"   = {plain_up / enc_up:4.2f}× slower (target ≤ 1.10×)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
