"""The lupdate tables in app/ui/labels.py copy the core's Chinese labels: they must not drift."""

from __future__ import annotations

from app.core.deadlines import Light
from app.core.lifecycle import ActionType, Status
from app.ui import labels


def test_every_core_label_is_in_a_translation_table() -> None:
    assert set(labels.STATUS_LABELS) == {s.label for s in Status}
    assert set(labels.LIGHT_LABELS) == {x.label for x in Light}
    assert set(labels.ACTION_LABELS) == {a.label for a in ActionType}
