"""Holiday tables the platform distributes (stored in the database) make deadlines final."""

from __future__ import annotations

import datetime as dt
import json

from app.core.workcal import DayOverride
from app.store import meta
from tests.support import folders


def test_a_distributed_year_turns_a_provisional_deadline_final(data_dir, cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("--json", "deadline", "--accepted", "2026-12-28", "--days", "5")
    before = json.loads(out)
    assert code == 0 and before == {"deadline": "2027-01-04", "provisional": True}

    ctx = folders.open_signed_in(data_dir)
    year_2027 = [DayOverride(dt.date(2027, 1, 1), "holiday", "元旦"),
                 DayOverride(dt.date(2027, 1, 4), "holiday", "元旦（补）")]
    ctx.store.write(lambda db: meta.save_calendar_year(db, 2027, year_2027, "platform"))
    ctx.close()

    code, out, _ = cli("--json", "deadline", "--accepted", "2026-12-28", "--days", "5")
    # Dec 29, 30, 31 count; Jan 1 and the (made-up) Jan 4 are holidays; then Jan 5, 6.
    assert json.loads(out) == {"deadline": "2027-01-06", "provisional": False}
