"""Notices kept with a case: derived from its ``notice`` actions, so a notice is listed, chained and
synced exactly as its action is, and nothing else has to be kept in step.

The PDFs, signed copies and signature records are blobs (one row each in ``blobs``, so garbage
collection keeps them); the SQL here names them for upload.
"""

from __future__ import annotations

import sqlite_utils

from app.core.lifecycle import Action, ActionType
from app.store.actions import load

#: every blob a notice action names (and the PDF of the licence an issue action hands out), with its
#: case: ``SELECT case_id, sha256 FROM (…)``, for the actions in ``{actions}`` (a table or subquery
#: with the columns of ``actions``)
NOTICE_BLOBS = """
SELECT case_id, json_extract(payload, '$.pdf_sha256') AS sha256, id AS action_id
  FROM {actions} WHERE type = 'notice'
UNION SELECT case_id, json_extract(payload, '$.signed.pdf_sha256'), id
  FROM {actions} WHERE type = 'notice' AND json_extract(payload, '$.signed') IS NOT NULL
UNION SELECT case_id, json_extract(payload, '$.signed.record_sha256'), id
  FROM {actions} WHERE type = 'notice' AND json_extract(payload, '$.signed') IS NOT NULL
UNION SELECT case_id, json_extract(payload, '$.sealed.pdf_sha256'), id
  FROM {actions} WHERE type = 'notice' AND json_extract(payload, '$.sealed') IS NOT NULL
UNION SELECT case_id, json_extract(payload, '$.licence.pdf_sha256'), id
  FROM {actions} WHERE type = 'issue' AND json_extract(payload, '$.licence') IS NOT NULL
"""


def notice_actions(db: sqlite_utils.Database, case_id: str) -> list[Action]:
    """The case's notice actions, and its issue actions that made a licence (its seal grows as a notice's
    does), oldest first, leaving out those the platform refused."""
    refused = {r[0] for r in db.execute(
        "SELECT s.action_id FROM action_sync s JOIN actions a ON a.id = s.action_id"
        " WHERE a.case_id = ? AND a.type IN ('notice', 'issue') AND s.state = 'refused'", [case_id]).fetchall()}
    return [a for a in load(db, case_id) if a.id not in refused and (
        a.type is ActionType.NOTICE or (a.type is ActionType.ISSUE and isinstance(a.payload.get("licence"), dict)))]
