"""At each sync: the timestamps owed to seals made offline, and B-LTA for the files of archived cases
(the notices, the review sheet, the e-licence).

A township seals at the window with no link (B-B): the seal is valid, but nothing yet proves when
it was made. When the link is back, each such copy gets a document timestamp from the platform
(B-T). An archived case's sealed copies get the chain, the CRLs and a last document timestamp
(B-LTA), so an archivist can still verify them years after the unit's certificate has expired.

Each grown copy is a new blob and a ``notice`` action naming the copy it grew (``over``): the
earlier bytes stay, and the action syncs like any other. The work is bounded per run (count and
time); what is left waits for the next sync, and a copy that cannot be grown (its bytes not here,
the service refusing) is skipped without stopping the others.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from app.core.errors import UserError
from app.core.lifecycle import Status
from app.documents import pades
from app.documents.pades import PadesLevel
from app.services import notices, seals
from app.services.case_actions import current_state
from app.services.context import AppContext
from app.services.notice_records import NoticeRecord
from app.services.seal_trust import trust_material

log = logging.getLogger("services.seal_upgrades")
#: copies grown per sync run, and seconds spent at most
PER_RUN = 20
RUN_SECONDS = 20.0

#: cases with a document whose latest sealed copy, here on this PC, is still owed something: a timestamp
#: (B-B), or B-LTA once the case is archived. Each document (a notice, the review sheet, the licence) is
#: keyed by the PDF it was issued as; its latest action says its level and which copy it is now.
_CANDIDATES = """
WITH docs AS (
  SELECT case_id, seq, json_extract(payload, '$.pdf_sha256') AS doc,
         COALESCE(json_extract(payload, '$.signed.level'), json_extract(payload, '$.sealed.level')) AS level,
         COALESCE(json_extract(payload, '$.signed.pdf_sha256'), json_extract(payload, '$.sealed.pdf_sha256')) AS copy
    FROM actions WHERE type = 'notice'
  UNION ALL
  SELECT case_id, seq, json_extract(payload, '$.licence.pdf_sha256'), json_extract(payload, '$.licence.seal_level'),
         json_extract(payload, '$.licence.pdf_sha256')
    FROM actions WHERE type = 'issue' AND json_extract(payload, '$.licence.seal_level') IS NOT NULL
), latest AS (
  SELECT case_id, level, copy, ROW_NUMBER() OVER (PARTITION BY case_id, doc ORDER BY seq DESC) AS nth FROM docs
)
SELECT DISTINCT l.case_id FROM latest l JOIN cases c ON c.id = l.case_id
 JOIN blobs b ON b.sha256 = l.copy AND b.present = 1
 WHERE l.nth = 1 AND (l.level = 'B-B' OR (c.status = 'archived' AND l.level IS NOT NULL AND l.level != 'B-LTA'))
 LIMIT 200
"""


@dataclass
class Upgrades:
    """What a run grew."""

    timestamped: int = 0
    archived: int = 0
    skipped: int = 0


def _copy(notice: NoticeRecord) -> tuple[str, str, int]:
    """(sha256, level, seals) of the notice's latest sealed copy; ("", "", 0) if it bears no seal."""
    if notice.signed is not None:
        return (notice.signed.pdf_sha256, notice.signed.level, 1) if notice.signed.level else ("", "", 0)
    if notice.sealed is not None:
        return notice.sealed.pdf_sha256, notice.sealed.level, notice.sealed.seals
    return "", "", 0


#: what growing one copy came to
DONE, NOTHING, SKIPPED, UNAVAILABLE = "done", "nothing", "skipped", "unavailable"


def _grow(ctx: AppContext, archived: bool, notice: NoticeRecord) -> str:
    """Grow one copy: DONE; NOTHING owed; SKIPPED (not here, or not this person's to record);
    UNAVAILABLE (the time-stamping service did not answer: the run stops, the next sync tries again)."""
    sha, level, count = _copy(notice)
    if not sha or level == PadesLevel.B_LTA or (not archived and level != PadesLevel.B_B):
        return NOTHING
    if not ctx.store.blobs.has(sha):
        return SKIPPED
    stamper = seals.timestamper(ctx)
    if stamper is None:
        return UNAVAILABLE
    pdf = ctx.store.blobs.read(sha)
    try:
        if archived:
            grown, new_level = pades.make_lta(pdf, trust_material(ctx), stamper), PadesLevel.B_LTA
        else:
            grown, new_level = pades.add_timestamp(pdf, stamper), PadesLevel.B_T
    except pades.TimestampUnavailable as e:
        log.info("notice %s: no timestamp now: %s", notice.action_id, e)
        return UNAVAILABLE
    except UserError as e:  # e.g. no CRL yet for B-LTA
        log.info("notice %s: seal not grown now: %s", notice.action_id, e)
        return SKIPPED
    payload = {"kind": str(notice.kind), "pdf_sha256": notice.pdf_sha256,
               "sealed": seals.Sealed(grown, new_level).payload(seals=count, over=sha)}
    try:
        notices.record_grown(ctx, notice.case_id, payload, grown)
    except UserError as e:  # this person's role may not record it: the next one who syncs will
        log.info("notice %s: grown seal not recorded: %s", notice.action_id, e)
        return SKIPPED
    return DONE


def grow_seals(ctx: AppContext) -> Upgrades:
    """Timestamp the B-B copies and make B-LTA the copies of archived cases, within this run's bounds."""
    done = Upgrades()
    if seals.timestamper(ctx) is None:
        return done
    started = time.monotonic()
    db = ctx.store.reader()
    for (case_id,) in db.execute(_CANDIDATES).fetchall():
        archived = current_state(db, case_id).status is Status.ARCHIVED
        for notice in notices.notices_of(ctx, case_id):
            if done.timestamped + done.archived >= PER_RUN or time.monotonic() - started > RUN_SECONDS:
                return done
            outcome = _grow(ctx, archived, notice)
            if outcome == UNAVAILABLE:
                return done  # one wait for a silent service per run is enough
            if outcome == SKIPPED:
                done.skipped += 1
            elif outcome == DONE:
                if archived:
                    done.archived += 1
                else:
                    done.timestamped += 1
    if done.timestamped or done.archived:
        log.info("seals grown: %d timestamped, %d made B-LTA", done.timestamped, done.archived)
    return done

