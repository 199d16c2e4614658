"""What sealing a notice costs: 200 notices sealed with one key, B-B and B-T (a local RFC 3161
responder), against rendering the notice itself in the same run.

Printed: milliseconds per seal, the bytes a seal adds to the unsigned notice, and the ratio of the
seal's time to the render's; no assertions (the numbers are for people).

    python bench/seals.py            # 200 notices
    python bench/seals.py --count 50
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "DSA is deprecated", UserWarning)  # pyHanko's import of DSA types
    from app.core.notice_kinds import NoticeKind
    from app.documents import pades
    from app.documents.notices import render
    from app.store.bundled import NOTICE_FONT_FILE
    from tests.support.pki import SealPKI
    from tests.support.seal_servers import local_timestamper
    from tests.support.seal_tools import SEALED_KINDS, TOWNSHIP, credentials, notice_details


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    pki = SealPKI.create()
    creds, _ = credentials(pki, TOWNSHIP, "12450403MB1904102X")
    timestamper = local_timestamper(pki.tsa_cert(), pki.chain)

    renders: list[float] = []
    notices: list[bytes] = []
    for i in range(args.count):
        kind: NoticeKind = SEALED_KINDS[i % len(SEALED_KINDS)]
        t = time.perf_counter()
        notices.append(render(notice_details(kind), NOTICE_FONT_FILE))
        renders.append(time.perf_counter() - t)
    render_ms = statistics.mean(renders) * 1000
    print(f"render: {render_ms:.0f} ms per notice, {statistics.mean(len(n) for n in notices) / 1024:.0f} KiB")

    for label, ts in (("B-B", None), ("B-T", timestamper)):
        times, added = [], []
        for pdf in notices:
            t = time.perf_counter()
            sealed = pades.seal(pdf, creds, timestamper=ts)
            times.append(time.perf_counter() - t)
            added.append(len(sealed.pdf) - len(pdf))
        ms = statistics.mean(times) * 1000
        print(f"{label}: {ms:.0f} ms per seal (median {statistics.median(times) * 1000:.0f}, "
              f"max {max(times) * 1000:.0f}), +{statistics.mean(added) / 1024:.1f} KiB per notice, "
              f"{ms / render_ms:.2f}× the render; {args.count} seals in {sum(times):.1f} s")


if __name__ == "__main__":
    main()
